import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import {
  CreateDeploymentRequest,
  Deployment,
  DeploymentStatus,
  ListResponse,
} from '@paved/backstage-plugin-service-status-common';
import { decodeCursor, encodeCursor, iso, num } from './util';

type DeploymentRow = {
  id: string;
  entity_ref: string;
  environment: string;
  version: string;
  commit: string | null;
  committed_at?: number | string | null;
  status: string;
  started_at: number | string;
  finished_at: number | string | null;
  url: string | null;
  created_by: string;
  created_at: number | string;
};

const COLUMNS = [
  'id',
  'entity_ref',
  'environment',
  'version',
  'commit',
  'committed_at',
  'status',
  'started_at',
  'finished_at',
  'url',
  'created_by',
  'created_at',
];

/**
 * Deployments reported by CI pipelines.
 * @internal
 */
export class DeploymentStore {
  readonly #db: Knex;

  static create(options: { knex: Knex }): DeploymentStore {
    return new DeploymentStore(options.knex);
  }

  private constructor(db: Knex) {
    this.#db = db;
  }

  /** Stores a deployment; `entityRef` must already be normalised. */
  async create(
    input: CreateDeploymentRequest & { createdBy: string; now: number },
  ): Promise<Deployment> {
    const row: DeploymentRow = {
      id: randomUUID(),
      entity_ref: input.entityRef,
      environment: input.environment,
      version: input.version,
      commit: input.commit ?? null,
      committed_at: input.committedAt ? Date.parse(input.committedAt) : null,
      status: input.status,
      started_at: Date.parse(input.startedAt),
      finished_at: input.finishedAt ? Date.parse(input.finishedAt) : null,
      url: input.url ?? null,
      created_by: input.createdBy,
      created_at: input.now,
    };
    await this.#db('status_deployments').insert(row);
    return toDeployment(row);
  }

  /** Which of the given entities have at least one reported deployment. */
  async entitiesWithDeployments(entityRefs: string[]): Promise<Set<string>> {
    if (entityRefs.length === 0) {
      return new Set();
    }
    const rows = (await this.#db('status_deployments')
      .distinct('entity_ref')
      .whereIn('entity_ref', entityRefs)) as Array<{ entity_ref: string }>;
    return new Set(rows.map(r => r.entity_ref));
  }

  /** Count, first and last `startedAt` of the deployments of each given entity that has any. */
  async summaries(options: {
    entityRefs: string[];
    environment?: string;
  }): Promise<
    Array<{ entityRef: string; deployments: number; first: number; last: number }>
  > {
    if (options.entityRefs.length === 0) {
      return [];
    }
    const query = this.#db('status_deployments')
      .select('entity_ref')
      .count({ n: '*' })
      .min({ first: 'started_at' })
      .max({ last: 'started_at' })
      .whereIn('entity_ref', options.entityRefs)
      .groupBy('entity_ref')
      .orderBy('entity_ref');
    if (options.environment) {
      query.where('environment', options.environment);
    }
    const rows = (await query) as unknown as Array<{
      entity_ref: string;
      n: number | string;
      first: number | string;
      last: number | string;
    }>;
    return rows.map(r => ({
      entityRef: r.entity_ref,
      deployments: num(r.n),
      first: num(r.first),
      last: num(r.last),
    }));
  }

  /** Deployments of one entity, newest `startedAt` first, keyset-paged. */
  async list(options: {
    entityRef: string;
    environment?: string;
    cursor?: string;
    limit: number;
  }): Promise<ListResponse<Deployment>> {
    const query = this.#db('status_deployments')
      .select(COLUMNS)
      .where('entity_ref', options.entityRef)
      .orderBy([
        { column: 'started_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(options.limit + 1);
    if (options.environment) {
      query.andWhere('environment', options.environment);
    }
    if (options.cursor) {
      const c = decodeCursor(options.cursor, { s: 'number', i: 'string' });
      query.andWhere(q =>
        q
          .where('started_at', '<', c.s)
          .orWhere(q2 =>
            q2.where('started_at', '=', c.s).andWhere('id', '<', c.i),
          ),
      );
    }
    const rows = (await query) as DeploymentRow[];
    const page = rows.slice(0, options.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toDeployment),
      ...(rows.length > options.limit && last
        ? { nextCursor: encodeCursor({ s: num(last.started_at), i: last.id }) }
        : {}),
    };
  }
}

function toDeployment(r: DeploymentRow): Deployment {
  return {
    id: r.id,
    entityRef: r.entity_ref,
    environment: r.environment,
    version: r.version,
    ...(r.commit ? { commit: r.commit } : {}),
    ...(r.committed_at !== null && r.committed_at !== undefined
      ? { committedAt: iso(num(r.committed_at)) }
      : {}),
    status: r.status as DeploymentStatus,
    startedAt: iso(num(r.started_at)),
    ...(r.finished_at !== null ? { finishedAt: iso(num(r.finished_at)) } : {}),
    ...(r.url ? { url: r.url } : {}),
    createdBy: r.created_by,
    createdAt: iso(num(r.created_at)),
  };
}
