import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  EntityHistory,
  EntityStatus,
  EntityStatusSummary,
  ListStatusesQuery,
  ListStatusesResponse,
} from '@paved/backstage-plugin-service-status-common';
import { IncidentStore } from '../../database/IncidentStore';
import { SampleStore } from '../../database/SampleStore';
import { decodeCursor, encodeCursor, HOUR_MS } from '../../database/util';
import { normalizeEntityRef, ownerRef, refOf, systemRef } from './entityRefs';
import { RollupContext } from './RollupContext';

/**
 * Computes entity statuses (roll-up over dependsOn with reasons), the overview and history.
 * Reads the catalog with the caller's credentials, so catalog permissions apply.
 * @internal
 */
export class StatusService {
  readonly #catalog: CatalogService;
  readonly #samples: SampleStore;
  readonly #incidents: IncidentStore;
  readonly #maxDepth: number;
  readonly #staleAfterMs: number;
  readonly #probeAllow: string[] | undefined;
  readonly #clock: () => number;

  static create(options: {
    catalog: CatalogService;
    samples: SampleStore;
    incidents: IncidentStore;
    maxDepth: number;
    staleAfterMs: number;
    /** `serviceStatus.probes.allow`; health URLs outside it are reported as a configuration problem. */
    probeAllow?: string[];
    clock?: () => number;
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
  }) {
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
    // Only the fields the roll-up and the summary read (keeps catalog responses small).
    const { items } = await this.#catalog.getEntities(
      {
        filter,
        fields: [
          'kind',
          'metadata.namespace',
          'metadata.name',
          'metadata.title',
          'metadata.annotations',
          'spec.owner',
          'spec.system',
          'relations',
        ],
      },
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
        const owner = ownerRef(entity);
        const system = systemRef(entity);
        result.push({
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
        });
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

function compareStrings(a: string, b: string): number {
  if (a === b) {
    return 0;
  }
  return a < b ? -1 : 1;
}
