import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_HEALTH_URL,
  DependencyStatus,
  EntityStatus,
  HealthSource,
  Incident,
  ProbeResult,
  StatusReason,
  StatusState,
} from '@paved/backstage-plugin-service-status-common';
import { IncidentStore } from '../../database/IncidentStore';
import { CurrentHealth, SampleStore } from '../../database/SampleStore';
import { resourceHealth } from '../probes/resourceHealth';
import { dependsOnRefs, refOf } from './entityRefs';
import {
  compareWorstFirst,
  formatSince,
  incidentState,
  worst,
} from './stateOrder';
import { healthUrlProblem } from '../probes/probeUrl';

/** Annotation of components made from a golden path (written by paved:template:record). */
const ANNOTATION_TEMPLATE = 'paved.dev/template';

/** An entity's own status: health and open incidents, without dependencies. @internal */
export interface OwnStatus {
  entityRef: string;
  /** Undefined when the entity is not in the catalog (or not visible). */
  entity?: Entity;
  healthState: StatusState;
  healthSource: HealthSource;
  /** Epoch ms. */
  since?: number;
  lastProbe?: ProbeResult;
  openIncidents: Incident[];
  /** Worst of health (when there is a source) and incidents; undefined when there is no signal. */
  state?: StatusState;
  /** Epoch ms since when `state` holds: the health's since, or the oldest incident causing it. */
  stateSince?: number;
  /** Reasons from own health and incidents. */
  reasons: StatusReason[];
  /** How reasons name the entity: `metadata.title`, else its name; undefined when not in the catalog. */
  title?: string;
  /** The cause of the worst own reason, in the entity's own words (e.g. its health endpoint's message). */
  cause?: string;
}

/** The name reasons use for an entity: `metadata.title`, else `metadata.name`. @internal */
export function entityTitle(entity: Entity): string {
  const title = entity.metadata.title;
  return typeof title === 'string' && title.trim()
    ? title.trim()
    : entity.metadata.name;
}

/**
 * Per-request memoisation for the status roll-up: entities, current health and open incidents
 * are loaded level by level (one catalog call and two queries per dependency level) and kept only
 * for the lifetime of one request, so replicas never serve stale in-process state.
 * @internal
 */
export class RollupContext {
  readonly #catalog: CatalogService;
  readonly #credentials: BackstageCredentials;
  readonly #samples: SampleStore;
  readonly #incidents: IncidentStore;
  readonly #maxDepth: number;
  readonly #staleAfterMs: number;
  readonly #probeAllow: string[] | undefined;
  readonly #deployments:
    | { entitiesWithDeployments(refs: string[]): Promise<Set<string>> }
    | undefined;
  readonly #now: number;
  readonly #own = new Map<string, OwnStatus>();

  constructor(options: {
    catalog: CatalogService;
    credentials: BackstageCredentials;
    samples: SampleStore;
    incidents: IncidentStore;
    maxDepth: number;
    staleAfterMs: number;
    /** `serviceStatus.probes.allow`; health URLs outside it are reported as a configuration problem. */
    probeAllow?: string[];
    /** Deployments: golden-path services without one are "awaiting first deployment". */
    deployments?: { entitiesWithDeployments(refs: string[]): Promise<Set<string>> };
    now: number;
  }) {
    this.#deployments = options.deployments;
    this.#catalog = options.catalog;
    this.#credentials = options.credentials;
    this.#samples = options.samples;
    this.#incidents = options.incidents;
    this.#maxDepth = options.maxDepth;
    this.#staleAfterMs = options.staleAfterMs;
    this.#probeAllow = options.probeAllow;
    this.#now = options.now;
  }

  /** Adds already-fetched entities (e.g. from an overview query) to the memo. */
  async addEntities(entities: Entity[]): Promise<void> {
    const fresh = entities.filter(e => !this.#own.has(refOf(e)));
    await this.#evaluate(
      fresh.map(e => refOf(e)),
      new Map(fresh.map(e => [refOf(e), e])),
    );
  }

  /** Loads the given refs and everything they depend on, up to the depth limit. */
  async expand(roots: string[]): Promise<void> {
    let level = [...new Set(roots)];
    for (let depth = 0; depth <= this.#maxDepth && level.length > 0; depth++) {
      const missing = level.filter(r => !this.#own.has(r));
      if (missing.length > 0) {
        const { items } = await this.#catalog.getEntitiesByRefs(
          { entityRefs: missing },
          { credentials: this.#credentials },
        );
        const found = new Map<string, Entity>();
        items.forEach(e => {
          if (e) {
            found.set(refOf(e), e);
          }
        });
        await this.#evaluate(missing, found);
      }
      if (depth === this.#maxDepth) {
        break;
      }
      const next = new Set<string>();
      for (const ref of level) {
        const entity = this.#own.get(ref)?.entity;
        if (entity) {
          dependsOnRefs(entity).forEach(d => next.add(d));
        }
      }
      level = [...next];
    }
  }

  own(entityRef: string): OwnStatus | undefined {
    return this.#own.get(entityRef);
  }

  /** The rolled-up status of an entity already loaded with {@link RollupContext.expand}. */
  rollup(entityRef: string): EntityStatus {
    const root = this.#own.get(entityRef);
    if (!root?.entity) {
      throw new Error(`Entity ${entityRef} was not loaded`);
    }
    const dependencies: DependencyStatus[] = [];
    const reasons: StatusReason[] = [...root.reasons];
    const contributions: StatusState[] = [];
    if (root.state !== undefined) {
      contributions.push(root.state);
    }

    // Breadth-first over dependsOn; `visited` makes cycles harmless.
    const visited = new Set<string>([entityRef]);
    const parents = new Map<string, string>();
    let frontier = [entityRef];
    let truncated = false;
    for (let depth = 1; frontier.length > 0; depth++) {
      const next: string[] = [];
      for (const ref of frontier) {
        const entity = this.#own.get(ref)?.entity;
        if (!entity) {
          continue;
        }
        for (const dep of dependsOnRefs(entity)) {
          if (visited.has(dep)) {
            continue;
          }
          if (depth > this.#maxDepth) {
            truncated = true;
            continue;
          }
          visited.add(dep);
          parents.set(dep, ref);
          next.push(dep);
          const own = this.#own.get(dep);
          const state = own?.state ?? 'unknown';
          dependencies.push({
            entityRef: dep,
            ...(own?.title ? { title: own.title } : {}),
            state,
            ...(own?.cause && state !== 'up' ? { cause: own.cause } : {}),
            depth,
            via: ref,
            ...(own?.stateSince !== undefined
              ? { since: new Date(own.stateSince).toISOString() }
              : {}),
          });
          if (own?.state === undefined) {
            continue; // no health signal (or not in the catalog): listed, not counted
          }
          const contributed: StatusState =
            own.state === 'down' ? 'degraded' : own.state;
          contributions.push(contributed);
          if (own.state !== 'up') {
            const path = chain(parents, dep, entityRef);
            const sinceText =
              own.stateSince !== undefined
                ? ` since ${formatSince(own.stateSince, this.#now)}`
                : '';
            const via =
              path.length > 1
                ? ` (via ${path
                    .slice(0, -1)
                    .map(r => this.#own.get(r)?.title ?? r)
                    .join(' → ')})`
                : '';
            const cause = own.cause ? `: ${own.cause}` : '';
            reasons.push({
              state: contributed,
              source: 'dependency',
              entityRef: dep,
              ...(own.title ? { entityTitle: own.title } : {}),
              ...(own.cause ? { cause: own.cause } : {}),
              message: `${contributed}: ${own.title ?? dep} is ${
                own.state
              }${sinceText}${via}${cause}`,
              ...(own.stateSince !== undefined
                ? { since: new Date(own.stateSince).toISOString() }
                : {}),
              path,
            });
          }
        }
      }
      frontier = next;
    }

    const state = worst(contributions) ?? 'unknown';
    reasons.sort((a, b) => compareWorstFirst(a.state, b.state));
    return {
      entityRef,
      state,
      healthState: root.healthState,
      healthSource: root.healthSource,
      ...(root.since !== undefined
        ? { since: new Date(root.since).toISOString() }
        : {}),
      reasons: reasons.filter(r => r.state !== 'up'),
      ...(root.lastProbe ? { lastProbe: root.lastProbe } : {}),
      openIncidents: root.openIncidents,
      dependencies,
      dependenciesTruncated: truncated,
      computedAt: new Date(this.#now).toISOString(),
    };
  }

  async #evaluate(refs: string[], found: Map<string, Entity>): Promise<void> {
    if (refs.length === 0) {
      return;
    }
    const present = refs.filter(r => found.has(r));
    // Services born from a golden path (paved.dev/template) are known before their first deployment.
    const born = present.filter(
      r => found.get(r)?.metadata.annotations?.[ANNOTATION_TEMPLATE],
    );
    const [current, incidents, deployed] = await Promise.all([
      this.#samples.getCurrent(present),
      this.#incidents.listOpenByEntity(present),
      this.#deployments && born.length
        ? this.#deployments.entitiesWithDeployments(born)
        : Promise.resolve(undefined),
    ]);
    const awaiting = new Set(
      deployed ? born.filter(r => !deployed.has(r)) : [],
    );
    for (const ref of refs) {
      const entity = found.get(ref);
      if (!entity) {
        this.#own.set(ref, {
          entityRef: ref,
          healthState: 'unknown',
          healthSource: 'none',
          openIncidents: [],
          reasons: [],
        });
        continue;
      }
      this.#own.set(
        ref,
        this.#ownStatus(
          ref,
          entity,
          current.get(ref),
          incidents.get(ref) ?? [],
          awaiting.has(ref),
        ),
      );
    }
  }

  #ownStatus(
    ref: string,
    entity: Entity,
    current: CurrentHealth | undefined,
    openIncidents: Incident[],
    awaitingFirstDeployment = false,
  ): OwnStatus {
    const reasons: StatusReason[] = [];
    const healthStates: StatusState[] = [];
    let healthSource: HealthSource = 'none';
    let since: number | undefined;
    let lastProbe: ProbeResult | undefined;

    const url = entity.metadata.annotations?.[ANNOTATION_HEALTH_URL];
    const urlProblem =
      url && this.#probeAllow
        ? healthUrlProblem(url, this.#probeAllow)
        : undefined;
    if (awaitingFirstDeployment) {
      // Made by a golden path and never deployed: not an outage, not a configuration problem.
      healthSource = url ? 'probe' : 'none';
      healthStates.push('unknown');
      reasons.push({
        state: 'unknown',
        source: 'probe',
        entityRef: ref,
        message: 'unknown: awaiting first deployment',
      });
    } else if (url && urlProblem) {
      // Not probed (see ProbeTask): a configuration problem, not an outage.
      healthSource = 'probe';
      healthStates.push('unknown');
      reasons.push({
        state: 'unknown',
        source: 'probe',
        entityRef: ref,
        cause: `health URL not allowed: ${urlProblem}`,
        message: `unknown: health URL not allowed: ${urlProblem}`,
      });
    } else if (url) {
      healthSource = 'probe';
      if (!current || current.source !== 'probe') {
        healthStates.push('unknown');
        reasons.push({
          state: 'unknown',
          source: 'probe',
          entityRef: ref,
          cause: 'not probed yet',
          message: 'unknown: not probed yet',
        });
      } else {
        lastProbe = {
          entityRef: ref,
          at: new Date(current.checkedAt).toISOString(),
          state: current.state,
          ...(current.httpStatus !== undefined
            ? { httpStatus: current.httpStatus }
            : {}),
          ...(current.latencyMs !== undefined
            ? { latencyMs: current.latencyMs }
            : {}),
          ...(current.error ? { error: current.error } : {}),
        };
        if (this.#now - current.checkedAt > this.#staleAfterMs) {
          healthStates.push('unknown');
          const cause = `no probe result since ${formatSince(
            current.checkedAt,
            this.#now,
          )}`;
          reasons.push({
            state: 'unknown',
            source: 'probe',
            entityRef: ref,
            cause,
            message: `unknown: ${cause}`,
            since: new Date(current.checkedAt).toISOString(),
          });
        } else {
          healthStates.push(current.state);
          since = current.since;
          if (current.state !== 'up') {
            reasons.push({
              state: current.state,
              source: 'probe',
              entityRef: ref,
              ...(current.error ? { cause: current.error } : {}),
              message: `${current.state}: health check ${
                current.state === 'down' ? 'failed' : 'degraded'
              }${
                current.error ? ` (${current.error})` : ''
              } since ${formatSince(current.since, this.#now)}`,
              since: new Date(current.since).toISOString(),
            });
          }
        }
      }
    }

    const resource = resourceHealth(entity);
    if (resource) {
      if (healthSource === 'none') {
        healthSource = 'resource';
      }
      healthStates.push(resource.state);
      const resourceSince =
        current?.source === 'resource' && current.state === resource.state
          ? current.since
          : undefined;
      if (healthSource === 'resource') {
        since = resourceSince;
      }
      if (resource.state !== 'up') {
        reasons.push({
          state: resource.state,
          source: 'resource',
          entityRef: ref,
          ...(resource.error ? { cause: resource.error } : {}),
          message: `${resource.state}: ${resource.error}${
            resourceSince !== undefined
              ? ` since ${formatSince(resourceSince, this.#now)}`
              : ''
          }`,
          ...(resourceSince !== undefined
            ? { since: new Date(resourceSince).toISOString() }
            : {}),
        });
      }
    }

    const healthState = worst(healthStates) ?? 'unknown';
    const signals: StatusState[] = healthSource === 'none' ? [] : [healthState];
    const incidentSince = new Map<StatusState, number>();
    for (const incident of openIncidents) {
      const s = incidentState(incident.severity);
      signals.push(s);
      const created = Date.parse(incident.createdAt);
      incidentSince.set(s, Math.min(incidentSince.get(s) ?? created, created));
      reasons.push({
        state: s,
        source: 'incident',
        entityRef: ref,
        cause: `open incident '${incident.title}' (${incident.severity})`,
        message: `${s}: open incident '${incident.title}' (${incident.severity})`,
        since: incident.createdAt,
        incidentId: incident.id,
      });
    }
    const state = worst(signals);
    let stateSince: number | undefined;
    if (state !== undefined) {
      stateSince =
        healthSource !== 'none' && healthState === state
          ? since
          : incidentSince.get(state);
    }
    const title = entityTitle(entity);
    for (const reason of reasons) {
      reason.entityTitle = title;
    }
    const worstOwn = [...reasons].sort((a, b) =>
      compareWorstFirst(a.state, b.state),
    )[0];
    return {
      entityRef: ref,
      entity,
      healthState,
      healthSource,
      since,
      lastProbe,
      openIncidents,
      state,
      stateSince,
      reasons,
      title,
      ...(worstOwn?.cause ? { cause: worstOwn.cause } : {}),
    };
  }
}

/** The chain from the root's direct dependency down to `ref`. */
function chain(parents: Map<string, string>, ref: string, root: string) {
  const path: string[] = [ref];
  let current = parents.get(ref);
  while (current && current !== root) {
    path.unshift(current);
    current = parents.get(current);
  }
  return path;
}
