/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  BackstageCredentials,
  LoggerService,
  resolveSafeChildPath,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { ConflictError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ScaffolderService } from '@backstage/plugin-scaffolder-node';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { UpgradeRecord, UpgradeStore } from '../database/UpgradeStore';
import { git } from '../lib/git';
import { Renderer } from '../lib/render';
import { REPO_NAME_PATTERN } from '../lib/upgrade';
import {
  compareVersions,
  readVersions,
  TEMPLATE_ANNOTATION,
  TEMPLATE_VERSION_ANNOTATION,
  TemplateVersion,
} from '../lib/versions';

/** A service made from a versioned template, as the fleet view shows it. @public */
export interface FleetService {
  entityRef: string;
  name: string;
  title?: string;
  owner: string;
  version: string;
  behind: boolean;
  upgrade?: UpgradeRecord;
}

/** One versioned template with its fleet. @public */
export interface FleetTemplate {
  ref: string;
  title: string;
  current: string;
  versions: Array<TemplateVersion & { services: number }>;
  services: FleetService[];
  counts: { services: number; behind: number; open: number; conflicted: number; merged: number; failed: number; queued: number };
}

const TEMPLATE_CACHE_MS = 60_000;
/** How long the fleet page uses a caller's catalog read of the fleet's components before re-reading it. */
const COMPONENTS_FRESH_MS = 10_000;
/** The oldest catalog read the fleet page still shows (while one background read renews it). */
const COMPONENTS_MAX_STALE_MS = 5 * 60_000;
/** Callers whose catalog reads are kept (the least recently read go first). */
const COMPONENTS_CACHED_CALLERS = 50;

const COMPONENT_FIELDS = ['kind', 'metadata.name', 'metadata.namespace', 'metadata.title', 'metadata.annotations', 'spec.owner'];

/** What the fleet page reads from the catalog. */
interface FleetEntities {
  templates: Entity[];
  components: Entity[];
}

/** Cache key of a caller: catalog reads are made with (and cached per) the caller's own credentials. */
function callerKey(credentials: BackstageCredentials): string {
  const p = credentials.principal as { type?: string; userEntityRef?: string; subject?: string };
  return p.type === 'user' ? `user:${p.userEntityRef}` : `${p.type ?? 'none'}:${p.subject ?? ''}`;
}

/**
 * The fleet of golden-path services: which template version each is on, their upgrades, campaigns
 * and merges of conflict-free upgrade branches.
 * @internal
 */
export class Fleet {
  readonly #versions = new Map<string, { at: number; versions: TemplateVersion[] }>();

  constructor(
    private readonly options: {
      catalog: CatalogService;
      scaffolder: ScaffolderService;
      userInfo: UserInfoService;
      store: UpgradeStore;
      renderer: Renderer;
      logger: LoggerService;
      gitDirectory: string;
      resolveTemplateUrl: (ref: string, credentials: BackstageCredentials) => Promise<string>;
      campaignOwners: string[];
      upgradeTemplateRef: string;
      author: { name: string; email: string };
      now?: () => number;
    },
  ) {}

  readonly #refreshing = new Map<string, Promise<TemplateVersion[]>>();
  readonly #components = new Map<string, { at: number; items: FleetEntities }>();
  readonly #componentsLoading = new Map<string, Promise<FleetEntities>>();

  /**
   * The versioned templates and the components made from them (`paved.dev/template`), read from the catalog with
   * the caller's credentials in one query each (only the fields the fleet needs). The page polls it for live progress: a caller's
   * read is reused for {@link COMPONENTS_FRESH_MS}, and with `allowStale` an older one (up to
   * {@link COMPONENTS_MAX_STALE_MS}) is returned at once while a single background read renews it. Upgrade states
   * come from the module's own table on every request, so campaign progress is never stale.
   */
  async #fleetEntities(credentials: BackstageCredentials, allowStale: boolean): Promise<FleetEntities> {
    const now = (this.options.now ?? Date.now)();
    const key = callerKey(credentials);
    const cached = this.#components.get(key);
    if (cached && now - cached.at < COMPONENTS_FRESH_MS) return cached.items;
    let load = this.#componentsLoading.get(key);
    if (!load) {
      load = Promise.all([
        this.options.catalog.getEntities(
          {
            filter: { kind: 'Template', [`metadata.annotations.${TEMPLATE_VERSION_ANNOTATION}`]: CATALOG_FILTER_EXISTS },
            fields: ['kind', 'metadata.name', 'metadata.namespace', 'metadata.title', 'metadata.annotations'],
          },
          { credentials },
        ),
        this.options.catalog.getEntities(
          {
            filter: { kind: 'Component', [`metadata.annotations.${TEMPLATE_ANNOTATION}`]: CATALOG_FILTER_EXISTS },
            fields: COMPONENT_FIELDS,
          },
          { credentials },
        ),
      ])
        .then(([templates, components]) => {
          const items = { templates: templates.items, components: components.items };
          this.#components.delete(key);
          this.#components.set(key, { at: (this.options.now ?? Date.now)(), items });
          while (this.#components.size > COMPONENTS_CACHED_CALLERS) {
            this.#components.delete(this.#components.keys().next().value!);
          }
          return items;
        })
        .finally(() => this.#componentsLoading.delete(key));
      this.#componentsLoading.set(key, load);
    }
    if (cached && allowStale && now - cached.at < COMPONENTS_MAX_STALE_MS) {
      load.catch(error => this.options.logger.warn(`Could not read the fleet's components: ${error}`));
      return cached.items;
    }
    return load;
  }

  /**
   * The released versions of a template (its `versions.yaml`), cached for {@link TEMPLATE_CACHE_MS}. With
   * `allowStale` (the fleet page, polled for live progress) an expired entry is returned at once while one
   * background fetch renews it, so no page request waits for a template download.
   */
  async #templateVersions(
    ref: string,
    credentials: BackstageCredentials,
    options: { allowStale?: boolean } = {},
  ): Promise<TemplateVersion[]> {
    const now = (this.options.now ?? Date.now)();
    const cached = this.#versions.get(ref);
    if (cached && now - cached.at < TEMPLATE_CACHE_MS) return cached.versions;
    let refresh = this.#refreshing.get(ref);
    if (!refresh) {
      refresh = this.#fetchVersions(ref, credentials).finally(() => this.#refreshing.delete(ref));
      this.#refreshing.set(ref, refresh);
    }
    if (cached && options.allowStale) {
      refresh.catch(error =>
        this.options.logger.warn(`Could not refresh the versions of ${ref}: ${error}`),
      );
      return cached.versions;
    }
    return refresh;
  }

  async #fetchVersions(ref: string, credentials: BackstageCredentials) {
    const dir = await fs.promises.mkdtemp(join(os.tmpdir(), 'paved-template-'));
    try {
      await this.options.renderer.fetchTemplate({
        templateUrl: await this.options.resolveTemplateUrl(ref, credentials),
        dir,
      });
      const versions = await readVersions(dir);
      this.#versions.set(ref, { at: (this.options.now ?? Date.now)(), versions });
      return versions;
    } finally {
      await fs.promises.rm(dir, { recursive: true, force: true });
    }
  }

  /** Every versioned template with its services, versions and upgrades. */
  async overview(
    credentials: BackstageCredentials,
    options: { allowStale?: boolean } = { allowStale: true },
  ): Promise<FleetTemplate[]> {
    const { store } = this.options;
    const [{ templates, components }, upgrades] = await Promise.all([
      this.#fleetEntities(credentials, options.allowStale ?? false),
      store.list(),
    ]);
    const upgradesByRepo = new Map<string, UpgradeRecord[]>();
    for (const u of upgrades) upgradesByRepo.set(u.repo, [...(upgradesByRepo.get(u.repo) ?? []), u]);

    const result: FleetTemplate[] = [];
    for (const template of templates) {
      const ref = stringifyEntityRef(template);
      const versions = await this.#templateVersions(ref, credentials, options);
      const current = versions[versions.length - 1].version;
      const services = components
        .filter(c => c.metadata.annotations?.[TEMPLATE_ANNOTATION] === ref)
        .map(c => this.#service(c, current, upgradesByRepo.get(c.metadata.name)));
      const count = (s: string) => services.filter(x => x.upgrade?.status === s).length;
      result.push({
        ref,
        title: template.metadata.title ?? template.metadata.name,
        current,
        versions: versions.map(v => ({
          ...v,
          services: services.filter(s => s.version === v.version).length,
        })),
        services,
        counts: {
          services: services.length,
          behind: services.filter(s => s.behind).length,
          open: count('open'),
          conflicted: count('conflicted'),
          merged: count('merged'),
          failed: count('failed'),
          queued: count('queued'),
        },
      });
    }
    return result;
  }

  #service(entity: Entity, current: string, upgrades: UpgradeRecord[] = []): FleetService {
    const version = entity.metadata.annotations?.[TEMPLATE_VERSION_ANNOTATION] ?? '0.0.0';
    const relevant = upgrades
      .filter(u => compareVersions(u.toVersion, version) > 0 || u.status === 'merged')
      .sort((a, b) => compareVersions(a.toVersion, b.toVersion));
    return {
      entityRef: stringifyEntityRef(entity),
      name: entity.metadata.name,
      title: entity.metadata.title,
      owner: String(entity.spec?.owner ?? ''),
      version,
      behind: compareVersions(version, current) < 0,
      upgrade: relevant[relevant.length - 1],
    };
  }

  /** One component: its template, version, what newer versions change, and its upgrade. */
  async entity(entityRef: string, credentials: BackstageCredentials) {
    const entity = await this.options.catalog.getEntityByRef(entityRef, { credentials });
    if (!entity) throw new NotFoundError(`${entityRef} is not in the catalog`);
    const template = entity.metadata.annotations?.[TEMPLATE_ANNOTATION];
    if (!template) {
      return { entityRef, template: undefined };
    }
    const versions = await this.#templateVersions(template, credentials);
    const templateEntity = await this.options.catalog.getEntityByRef(template, { credentials });
    const current = versions[versions.length - 1].version;
    const service = this.#service(entity, current, await this.options.store.list({ repo: entity.metadata.name }));
    return {
      entityRef,
      template,
      templateTitle: templateEntity?.metadata.title ?? template,
      version: service.version,
      current,
      behind: service.behind,
      changes: versions
        .filter(v => compareVersions(v.version, service.version) > 0)
        .map(v => ({ version: v.version, changes: v.changes })),
      upgrade: service.upgrade,
      upgradeTemplateRef: this.options.upgradeTemplateRef,
    };
  }

  async #isPlatformTeam(credentials: BackstageCredentials) {
    const { ownershipEntityRefs } = await this.options.userInfo.getUserInfo(credentials);
    return this.options.campaignOwners.some(o => ownershipEntityRefs.includes(o));
  }

  /** Opens upgrades (one scaffolder task each) for every service of a template behind its newest version. */
  async startCampaign(template: string, credentials: BackstageCredentials) {
    if (!(await this.#isPlatformTeam(credentials))) {
      throw new NotAllowedError(
        `Only members of ${this.options.campaignOwners.join(', ')} may start an upgrade campaign`,
      );
    }
    const overview = (await this.overview(credentials, { allowStale: false })).find(t => t.ref === template);
    if (!overview) throw new NotFoundError(`${template} is not a versioned template`);
    // Services with an upgrade to this version already under way are left alone; a failed one is retried, and
    // one still `queued` without a task (a backend killed while it was starting an earlier campaign) is started.
    const underWay = (u: UpgradeRecord | undefined) =>
      !!u && u.toVersion === overview.current && u.status !== 'failed' && !(u.status === 'queued' && !u.taskId);
    const targets = overview.services.filter(s => s.behind && !underWay(s.upgrade));
    const { userEntityRef } = await this.options.userInfo.getUserInfo(credentials);
    const campaign = await this.options.store.createCampaign({
      id: randomUUID(),
      template,
      toVersion: overview.current,
      createdBy: userEntityRef,
      total: targets.length,
    });
    for (const service of targets) {
      await this.options.store.upsert({
        repo: service.name,
        template,
        toVersion: overview.current,
        fromVersion: service.version,
        status: 'queued',
        conflicts: [],
        campaignId: campaign.id,
      });
      const { taskId } = await this.options.scaffolder.scaffold(
        {
          templateRef: this.options.upgradeTemplateRef,
          values: { component: service.entityRef, targetVersion: overview.current, runTests: true, campaignId: campaign.id },
        },
        { credentials },
      );
      await this.options.store.upsert({
        repo: service.name,
        template,
        toVersion: overview.current,
        fromVersion: service.version,
        status: 'queued',
        conflicts: [],
        campaignId: campaign.id,
        taskId,
      });
    }
    this.options.logger.info(`Campaign ${campaign.id}: ${targets.length} upgrades of ${template} to ${overview.current}`);
    return this.campaign(campaign.id);
  }

  async campaign(id: string) {
    const campaign = await this.options.store.getCampaign(id);
    if (!campaign) throw new NotFoundError(`Campaign ${id} does not exist`);
    const counts = await this.options.store.campaignCounts(id);
    const done = campaign.total - (counts.queued ?? 0);
    return { ...campaign, counts, done, finished: done >= campaign.total };
  }

  /** Merges a conflict-free, tested upgrade branch into the default branch (owners of the component only). */
  async merge(repo: string, toVersion: string, credentials: BackstageCredentials) {
    if (!REPO_NAME_PATTERN.test(repo)) throw new NotFoundError(`Repository ${repo} does not exist`);
    const entityRef = `component:default/${repo}`;
    const entity = await this.options.catalog.getEntityByRef(entityRef, { credentials });
    if (!entity) throw new NotFoundError(`${entityRef} is not in the catalog`);
    const owner = String(entity.spec?.owner ?? '');
    const ownerRef = owner.includes(':') ? owner : `group:default/${owner}`;
    const { ownershipEntityRefs, userEntityRef } = await this.options.userInfo.getUserInfo(credentials);
    if (!ownershipEntityRefs.includes(ownerRef)) {
      throw new NotAllowedError(`Only the owners of ${entityRef} (${ownerRef}) may merge its upgrade`);
    }
    const upgrade = await this.options.store.get(repo, toVersion);
    if (!upgrade?.branch) throw new NotFoundError(`${repo} has no upgrade to ${toVersion}`);
    if (upgrade.status !== 'open') {
      throw new ConflictError(`The upgrade of ${repo} to ${toVersion} is ${upgrade.status}; only a conflict-free, tested branch can be merged here`);
    }
    const gitdir = resolveSafeChildPath(this.options.gitDirectory, `${repo}.git`);
    const work = await fs.promises.mkdtemp(join(os.tmpdir(), 'paved-merge-'));
    try {
      const head = (await git(['symbolic-ref', '--short', 'HEAD'], { cwd: gitdir })).stdout.trim();
      const clone = join(work, 'repo');
      await git(['clone', '--quiet', '--branch', head, '--', gitdir, clone], { cwd: work });
      const id = ['-c', `user.name=${this.options.author.name}`, '-c', `user.email=${this.options.author.email}`];
      const merged = await git(
        [...id, 'merge', '--no-ff', '--no-edit', '-m', `Merge ${upgrade.branch} (approved by ${userEntityRef})`, `origin/${upgrade.branch}`],
        { cwd: clone, allowExitCodes: () => true },
      );
      if (merged.code !== 0) {
        throw new ConflictError(`${upgrade.branch} no longer merges cleanly into ${head}: resolve it in a clone`);
      }
      const pushed = await git(['push', '--quiet', 'origin', `HEAD:refs/heads/${head}`], {
        cwd: clone,
        allowExitCodes: () => true,
      });
      if (pushed.code !== 0) {
        throw new ConflictError(`${head} moved while merging; try again`);
      }
    } finally {
      await fs.promises.rm(work, { recursive: true, force: true });
    }
    await this.options.store.setStatus(repo, toVersion, 'merged');
    await this.options.catalog.refreshEntity(entityRef, { credentials }).catch(() => undefined);
    this.#components.clear(); // the component's version changes: the next page read goes to the catalog
    this.options.logger.info(`Merged ${upgrade.branch} of ${repo} by ${userEntityRef}`);
    return (await this.options.store.get(repo, toVersion))!;
  }
}
