import type {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  EntityHistory,
  EntityStatus,
  EntityStatusSummary,
  ListStatusesQuery,
  ListStatusesResponse,
  ProbeResult,
} from '@paved/backstage-plugin-service-status-common';
import { IncidentStore } from '../../database/IncidentStore';
import { CurrentHealth, SampleStore } from '../../database/SampleStore';
import { SnapshotRow, SnapshotStore } from '../../database/SnapshotStore';
import { decodeCursor, encodeCursor, HOUR_MS } from '../../database/util';
import { normalizeEntityRef, ownerRef, refOf, systemRef } from './entityRefs';
import { RELATION_DEPENDENCY_OF } from '@backstage/catalog-model';
import { RollupContext } from './RollupContext';

/** Catalog fields the roll-up and the summary read (keeps catalog responses small). */
const SUMMARY_FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  'metadata.title',
  'metadata.annotations',
  'spec.owner',
  'spec.system',
  'relations',
];

/**
 * Computes entity statuses (roll-up over dependsOn with reasons), the overview and history.
 * Reads the catalog with the caller's credentials, so catalog permissions apply.
 * @internal
 */
/** Which entities have reported deployments (the DeploymentStore). @internal */
export interface DeploymentLookup {
  entitiesWithDeployments(entityRefs: string[]): Promise<Set<string>>;
}

export class StatusService {
  readonly #catalog: CatalogService;
  readonly #samples: SampleStore;
  readonly #incidents: IncidentStore;
  readonly #maxDepth: number;
  readonly #staleAfterMs: number;
  readonly #probeAllow: string[] | undefined;
  readonly #clock: () => number;
  readonly #snapshots: SnapshotStore | undefined;
  readonly #auth: AuthService | undefined;
  readonly #deployments: DeploymentLookup | undefined;

  static create(options: {
    catalog: CatalogService;
    samples: SampleStore;
    incidents: IncidentStore;
    maxDepth: number;
    staleAfterMs: number;
    /** `serviceStatus.probes.allow`; health URLs outside it are reported as a configuration problem. */
    probeAllow?: string[];
    clock?: () => number;
    /** The snapshot table; without it the overview is always computed live. */
    snapshots?: SnapshotStore;
    /** For the plugin's own credentials when refreshing snapshot rows on incident changes. */
    auth?: AuthService;
    /** Deployments: golden-path services without one are "awaiting first deployment". */
    deployments?: DeploymentLookup;
  }): StatusService {
    return new StatusService(options);
  }

  private constructor(options: {
    catalog: CatalogService;
    samples: SampleStore;
    incidents: IncidentStore;
    maxDepth: number;
    staleAfterMs: number;
    /** `serviceStatus.probes.allow`; health URLs outside it are reported as a configuration problem. */
    probeAllow?: string[];
    clock?: () => number;
    snapshots?: SnapshotStore;
    auth?: AuthService;
    deployments?: DeploymentLookup;
  }) {
    this.#deployments = options.deployments;
    this.#snapshots = options.snapshots;
    this.#auth = options.auth;
    this.#catalog = options.catalog;
    this.#samples = options.samples;
    this.#incidents = options.incidents;
    this.#maxDepth = options.maxDepth;
    this.#staleAfterMs = options.staleAfterMs;
    this.#probeAllow = options.probeAllow;
    this.#clock = options.clock ?? Date.now;
  }

  #context(credentials: BackstageCredentials) {
    return new RollupContext({
      catalog: this.#catalog,
      credentials,
      samples: this.#samples,
      incidents: this.#incidents,
      maxDepth: this.#maxDepth,
      staleAfterMs: this.#staleAfterMs,
      probeAllow: this.#probeAllow,
      deployments: this.#deployments,
      now: this.#clock(),
    });
  }

  /**
   * Looks an entity up in the catalog. Throws InputError for a malformed ref and NotFoundError
   * when the entity does not exist (or is not visible to the caller).
   */
  async requireEntity(
    rawRef: string,
    credentials: BackstageCredentials,
  ): Promise<{ entityRef: string; entity: Entity }> {
    const entityRef = normalizeEntityRef(rawRef);
    const entity = await this.#catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(`Entity '${entityRef}' not found`);
    }
    return { entityRef: refOf(entity), entity };
  }

  /**
   * The subset of `entityRefs` (normalised refs) that `credentials` may read in the catalog (catalog read
   * permission applies): one `getEntitiesByRefs` call per 500 refs.
   */
  async readableRefs(entityRefs: string[], credentials: BackstageCredentials): Promise<Set<string>> {
    const readable = new Set<string>();
    for (let i = 0; i < entityRefs.length; i += 500) {
      const batch = entityRefs.slice(i, i + 500);
      const { items } = await this.#catalog.getEntitiesByRefs(
        { entityRefs: batch, fields: ['kind', 'metadata.namespace', 'metadata.name'] },
        { credentials },
      );
      items.forEach((entity, index) => {
        if (entity) readable.add(batch[index]);
      });
    }
    return readable;
  }

  /** The rolled-up status of one entity. Throws InputError (400) / NotFoundError (404). */
  async getEntityStatus(
    rawRef: string,
    credentials: BackstageCredentials,
  ): Promise<EntityStatus> {
    const { entityRef, entity } = await this.requireEntity(rawRef, credentials);
    const context = this.#context(credentials);
    await context.addEntities([entity]);
    await context.expand([entityRef]);
    return context.rollup(entityRef);
  }

  /** The overview: entities matching the filters, ordered by ref, with rolled-up status. */
  async listStatuses(
    query: ListStatusesQuery,
    credentials: BackstageCredentials,
  ): Promise<ListStatusesResponse> {
    const limit = query.limit ?? 25;
    const kinds = (
      query.kind?.length ? query.kind : ['Component', 'Resource']
    ).map(k => k.toLocaleLowerCase('en-US'));
    const owners = query.owner?.map(o =>
      normalizeEntityRef(o, { defaultKind: 'group' }),
    );
    const systems = query.system?.map(s =>
      normalizeEntityRef(s, { defaultKind: 'system' }),
    );
    const after = query.cursor
      ? decodeCursor(query.cursor, { r: 'string' }).r
      : undefined;

    // One filter object per combination (ORed by the catalog), each with scalar values only.
    let filter: Array<Record<string, string>> = kinds.map(kind => ({ kind }));
    if (owners?.length) {
      filter = filter.flatMap(f =>
        owners.map(owner => ({ ...f, 'relations.ownedBy': owner })),
      );
    }
    if (systems?.length) {
      filter = filter.flatMap(f =>
        systems.map(system => ({ ...f, 'relations.partOf': system })),
      );
    }
    if (filter.length > 1000) {
      throw new InputError(
        'Too many filter combinations (kind × owner × system over 1000)',
      );
    }

    // Served from the snapshot table when the snapshot task has run (filters and paging in SQL).
    if (this.#snapshots && (await this.#snapshots.hasRows())) {
      const rows = await this.#snapshots.list({
        kinds,
        owners,
        systems,
        states: query.state,
        after,
        limit,
      });
      const page = rows.slice(0, limit);
      const lastRow = page[page.length - 1];
      // The snapshot is written with the plugin's own credentials: only return entities the
      // caller may see in the catalog (one catalog call for the page shown). A page can then be
      // shorter than `limit`; the cursor still continues after the last row read.
      const { items: visible } = page.length
        ? await this.#catalog.getEntitiesByRefs(
            {
              entityRefs: page.map(r => r.entityRef),
              fields: ['kind', 'metadata.namespace', 'metadata.name'],
            },
            { credentials },
          )
        : { items: [] };
      const visibleRefs = new Set(visible.flatMap(e => (e ? [refOf(e)] : [])));
      const items = page.filter(r => visibleRefs.has(r.entityRef));
      // Rows are rewritten only when their status changes: the newest probe (time, latency)
      // comes from the current health rows of the page shown (one query).
      const probed = items.filter(i => i.lastProbe);
      const current = probed.length
        ? await this.#samples.getCurrent(probed.map(i => i.entityRef))
        : new Map();
      for (const item of probed) {
        const now = current.get(item.entityRef);
        if (now?.source === 'probe') {
          item.lastProbe = toProbeResult(now);
        }
      }
      return {
        items,
        ...(rows.length > limit && lastRow
          ? { nextCursor: encodeCursor({ r: lastRow.entityRef }) }
          : {}),
      };
    }

    // Live computation (before the first snapshot run).
    const { items } = await this.#catalog.getEntities(
      { filter, fields: SUMMARY_FIELDS },
      { credentials },
    );
    const candidates = items
      .map(entity => ({ entity, ref: refOf(entity) }))
      .filter(c => after === undefined || c.ref > after)
      .sort((a, b) => compareStrings(a.ref, b.ref));

    const states = query.state?.length ? new Set(query.state) : undefined;
    const context = this.#context(credentials);
    const result: EntityStatusSummary[] = [];
    let hasMore = false;
    const batchSize = Math.max(limit, 25);
    for (let i = 0; i < candidates.length && !hasMore; i += batchSize) {
      const batch = candidates.slice(i, i + batchSize);
      await context.addEntities(batch.map(c => c.entity));
      await context.expand(batch.map(c => c.ref));
      for (const { entity, ref } of batch) {
        const status = context.rollup(ref);
        if (states && !states.has(status.state)) {
          continue;
        }
        if (result.length === limit) {
          hasMore = true;
          break;
        }
        result.push(toSummary(entity, ref, status));
      }
    }
    const last = result[result.length - 1];
    return {
      items: result,
      ...(hasMore && last
        ? { nextCursor: encodeCursor({ r: last.entityRef }) }
        : {}),
    };
  }

  /**
   * Writes the snapshot table: reads all Components and Resources from the catalog once, rolls
   * each one up (same code as the live status) and writes only the rows whose rolled-up status
   * changed (see `SnapshotStore.sync`); rows of entities no longer in the catalog are deleted.
   * Run by the global probe task after each cycle.
   */
  async writeSnapshot(
    credentials: BackstageCredentials,
    /** The Components and Resources from {@link StatusService.readSnapshotEntities}, when read already. */
    entities?: Entity[],
  ): Promise<{ written: number; unchanged: number; deleted: number }> {
    if (!this.#snapshots) {
      return { written: 0, unchanged: 0, deleted: 0 };
    }
    const startedAt = this.#clock();
    const items = entities ?? (await this.readSnapshotEntities(credentials));
    const refs = items.map(entity => ({ entity, ref: refOf(entity) }));
    const context = this.#context(credentials);
    await context.addEntities(items);
    await context.expand(refs.map(e => e.ref));
    const rows: SnapshotRow[] = refs.map(({ entity, ref }) =>
      snapshotRow(entity, ref, context.rollup(ref)),
    );
    return this.#snapshots.sync(rows, startedAt);
  }

  /**
   * Reads every Component and Resource with the fields the snapshot (and the probe task) need,
   * in one catalog call.
   */
  async readSnapshotEntities(
    credentials: BackstageCredentials,
  ): Promise<Entity[]> {
    const { items } = await this.#catalog.getEntities(
      {
        filter: [{ kind: 'Component' }, { kind: 'Resource' }],
        fields: SUMMARY_FIELDS,
      },
      { credentials },
    );
    return items;
  }

  /**
   * Refreshes the existing snapshot rows of an entity and of its direct dependents (after an
   * incident change), so the overview shows the change without waiting for the next probe run.
   * Never creates the first rows (the overview would then hide everything else).
   */
  async refreshSnapshotFor(entityRef: string): Promise<void> {
    if (!this.#snapshots || !this.#auth) {
      return;
    }
    const credentials = await this.#auth.getOwnServiceCredentials();
    const {
      items: [root],
    } = await this.#catalog.getEntitiesByRefs(
      { entityRefs: [entityRef], fields: SUMMARY_FIELDS },
      { credentials },
    );
    if (!root) {
      return;
    }
    const dependents = (root.relations ?? [])
      .filter(r => r.type === RELATION_DEPENDENCY_OF)
      .map(r => r.targetRef.toLocaleLowerCase('en-US'));
    const { items } = dependents.length
      ? await this.#catalog.getEntitiesByRefs(
          { entityRefs: dependents, fields: SUMMARY_FIELDS },
          { credentials },
        )
      : { items: [] };
    const entities = [root, ...items].filter(
      (e): e is Entity =>
        !!e &&
        ['component', 'resource'].includes(e.kind.toLocaleLowerCase('en-US')),
    );
    const context = this.#context(credentials);
    await context.addEntities(entities);
    await context.expand(entities.map(e => refOf(e)));
    await this.#snapshots.updateExisting(
      entities.map(e => snapshotRow(e, refOf(e), context.rollup(refOf(e)))),
      this.#clock(),
    );
  }

  /** Uptime (24h/7d/30d), hourly latency for the last `hours` hours and recent probes. */
  async getHistory(
    rawRef: string,
    hours: number,
    credentials: BackstageCredentials,
  ): Promise<EntityHistory> {
    const { entityRef } = await this.requireEntity(rawRef, credentials);
    const now = this.#clock();
    const [uptime, latency, recentProbes] = await Promise.all([
      this.#samples.getUptime(entityRef, now),
      this.#samples.getLatencyBuckets(
        entityRef,
        now - hours * HOUR_MS,
        now + 1,
      ),
      this.#samples.getRecentSamples(entityRef, 50),
    ]);
    return { entityRef, uptime, latency, recentProbes };
  }
}

function toSummary(
  entity: Entity,
  ref: string,
  status: EntityStatus,
): EntityStatusSummary {
  const owner = ownerRef(entity);
  const system = systemRef(entity);
  return {
    entityRef: ref,
    kind: entity.kind,
    namespace: entity.metadata.namespace ?? 'default',
    name: entity.metadata.name,
    ...(entity.metadata.title ? { title: entity.metadata.title } : {}),
    ...(owner ? { owner } : {}),
    ...(system ? { system } : {}),
    state: status.state,
    healthState: status.healthState,
    healthSource: status.healthSource,
    reasons: status.reasons,
    openIncidentCount: status.openIncidents.length,
    ...(status.lastProbe ? { lastProbe: status.lastProbe } : {}),
  };
}

function snapshotRow(
  entity: Entity,
  ref: string,
  status: EntityStatus,
): SnapshotRow {
  return {
    summary: toSummary(entity, ref, status),
    ...(status.since ? { since: Date.parse(status.since) } : {}),
  };
}

function compareStrings(a: string, b: string): number {
  if (a === b) {
    return 0;
  }
  return a < b ? -1 : 1;
}

function toProbeResult(current: CurrentHealth): ProbeResult {
  return {
    entityRef: current.entityRef,
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
}
