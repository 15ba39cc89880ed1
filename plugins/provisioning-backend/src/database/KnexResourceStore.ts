import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import type {
  ResourceCondition,
  ResourceEvent,
  ResourceState,
} from '@paved/backstage-plugin-provisioning-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import {
  NewEvent,
  PendingOperation,
  ResourceFilter,
  ResourcePatch,
  ResourceStore,
  StoredResource,
  UpdateGuard,
} from './types';

const RESOURCES = 'provisioning_resources';
const EVENTS = 'provisioning_events';

const migrationsDir = resolvePackagePath(
  '@paved/backstage-plugin-provisioning-backend',
  'migrations',
);

type ResourceRow = {
  id: string;
  name: string;
  type: string;
  owner: string;
  entity_ref: string | null;
  system: string | null;
  parameters: string;
  pending_parameters: string | null;
  state: string;
  pending_operation: string | null;
  drifted: boolean | number;
  reason: string | null;
  conditions: string;
  outputs: string;
  secrets: string | null;
  monthly_cost_usd: number | string;
  created_by: string;
  created_at: number | string;
  updated_at: number | string;
  live_name: string | null;
  next_attempt_at: number | string | null;
  attempts: number;
  claimed_by: string | null;
  claim_expires_at: number | string | null;
  drift_checked_at: number | string | null;
};

type EventRow = {
  id: string;
  resource_id: string;
  at: number | string;
  actor: string;
  type: string;
  from_state: string | null;
  to_state: string | null;
  message: string;
};

const RESOURCE_COLUMNS: (keyof ResourceRow)[] = [
  'id',
  'name',
  'type',
  'owner',
  'entity_ref',
  'system',
  'parameters',
  'pending_parameters',
  'state',
  'pending_operation',
  'drifted',
  'reason',
  'conditions',
  'outputs',
  'secrets',
  'monthly_cost_usd',
  'created_by',
  'created_at',
  'updated_at',
  'next_attempt_at',
  'attempts',
  'claimed_by',
  'claim_expires_at',
];

const num = (v: number | string | null): number | undefined =>
  v === null || v === undefined ? undefined : Number(v);

function toResource(row: ResourceRow): StoredResource {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    owner: row.owner,
    ...(row.entity_ref ? { entityRef: row.entity_ref } : {}),
    ...(row.system ? { system: row.system } : {}),
    parameters: JSON.parse(row.parameters),
    ...(row.pending_parameters
      ? { pendingParameters: JSON.parse(row.pending_parameters) }
      : {}),
    state: row.state as ResourceState,
    drifted: Boolean(row.drifted),
    ...(row.reason ? { reason: row.reason } : {}),
    conditions: JSON.parse(row.conditions) as ResourceCondition[],
    outputs: JSON.parse(row.outputs),
    monthlyCostUsd: Number(row.monthly_cost_usd),
    createdBy: row.created_by,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    updatedAt: new Date(Number(row.updated_at)).toISOString(),
    ...(row.pending_operation
      ? { pendingOperation: row.pending_operation as PendingOperation }
      : {}),
    ...(row.secrets ? { encryptedSecrets: row.secrets } : {}),
    ...(row.next_attempt_at !== null && row.next_attempt_at !== undefined
      ? { nextAttemptAt: num(row.next_attempt_at) }
      : {}),
    attempts: Number(row.attempts),
    ...(row.claimed_by ? { claimedBy: row.claimed_by } : {}),
    ...(row.claim_expires_at !== null && row.claim_expires_at !== undefined
      ? { claimExpiresAt: num(row.claim_expires_at) }
      : {}),
  };
}

function toEvent(row: EventRow): ResourceEvent {
  return {
    id: row.id,
    resourceId: row.resource_id,
    at: new Date(Number(row.at)).toISOString(),
    actor: row.actor,
    type: row.type,
    ...(row.from_state ? { fromState: row.from_state as ResourceState } : {}),
    ...(row.to_state ? { toState: row.to_state as ResourceState } : {}),
    message: row.message,
  };
}

function encodeCursor(createdAt: number, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');
}

function decodeCursor(cursor: string): [number, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      Number.isSafeInteger(value[0]) &&
      typeof value[1] === 'string'
    ) {
      return [value[0], value[1]];
    }
  } catch {
    // fall through
  }
  throw new InputError('Invalid cursor');
}

function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return (
    err?.code === '23505' ||
    err?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    /UNIQUE constraint failed/i.test(String(err?.message))
  );
}

/**
 * Knex implementation of {@link ResourceStore} for SQLite and PostgreSQL.
 * @internal
 */
export class KnexResourceStore implements ResourceStore {
  readonly #db: Knex;
  readonly #isPostgres: boolean;

  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<KnexResourceStore> {
    const client = await options.database.getClient();
    if (!options.skipMigrations && !options.database.migrations?.skip) {
      await client.migrate.latest({
        directory: migrationsDir,
        tableName: 'provisioning_knex_migrations',
      });
    }
    return new KnexResourceStore(client);
  }

  /** Runs the migrations on a raw client (tests). */
  static async migrateUp(client: Knex) {
    await client.migrate.latest({
      directory: migrationsDir,
      tableName: 'provisioning_knex_migrations',
    });
  }

  static async migrateDown(client: Knex) {
    await client.migrate.rollback(
      { directory: migrationsDir, tableName: 'provisioning_knex_migrations' },
      true,
    );
  }

  private constructor(db: Knex) {
    this.#db = db;
    this.#isPostgres = db.client.config.client === 'pg';
  }

  #eventRow(resourceId: string, event: NewEvent, at: number): EventRow {
    return {
      id: randomUUID(),
      resource_id: resourceId,
      at,
      actor: event.actor,
      type: event.type,
      from_state: event.fromState ?? null,
      to_state: event.toState ?? null,
      message: event.message,
    };
  }

  async createResource(
    r: StoredResource,
    event: NewEvent,
    options?: { quota?: number },
  ): Promise<void> {
    const now = Date.now();
    const row: Omit<ResourceRow, 'drift_checked_at'> = {
      id: r.id,
      name: r.name,
      type: r.type,
      owner: r.owner,
      entity_ref: r.entityRef ?? null,
      system: r.system ?? null,
      parameters: JSON.stringify(r.parameters),
      pending_parameters: r.pendingParameters
        ? JSON.stringify(r.pendingParameters)
        : null,
      state: r.state,
      pending_operation: r.pendingOperation ?? null,
      drifted: false,
      reason: r.reason ?? null,
      conditions: JSON.stringify(r.conditions),
      outputs: JSON.stringify(r.outputs),
      secrets: null,
      monthly_cost_usd: r.monthlyCostUsd,
      created_by: r.createdBy,
      created_at: now,
      updated_at: now,
      live_name: r.name,
      next_attempt_at: r.nextAttemptAt ?? null,
      attempts: 0,
      claimed_by: null,
      claim_expires_at: null,
    };
    try {
      await this.#db.transaction(async tx => {
        if (options?.quota !== undefined) {
          if (this.#isPostgres) {
            // serialise quota checks per owner and type across replicas
            await tx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [
              `paved-provisioning-quota:${r.type}:${r.owner}`,
            ]);
          }
          const [{ count }] = await tx(RESOURCES)
            .where({ type: r.type, owner: r.owner })
            .whereNot('state', 'deleted')
            .count({ count: '*' });
          if (Number(count) >= options.quota) {
            throw new ConflictError(
              `Quota exceeded: ${r.owner} already has ${count} of at most ${options.quota} '${r.type}' resources; delete one or ask the platform team to raise the quota`,
            );
          }
        }
        await tx(RESOURCES).insert(row);
        await tx(EVENTS).insert(this.#eventRow(r.id, event, now));
      });
    } catch (e) {
      if (isUniqueViolation(e)) {
        throw new ConflictError(
          `A '${r.type}' resource named '${r.name}' already exists`,
        );
      }
      throw e;
    }
  }

  async getResource(id: string): Promise<StoredResource | undefined> {
    const row = await this.#db<ResourceRow>(RESOURCES)
      .where({ id })
      .first(RESOURCE_COLUMNS);
    return row ? toResource(row) : undefined;
  }

  #applyFilter(query: Knex.QueryBuilder, filter: ResourceFilter) {
    if (filter.owners?.length) {
      query.whereIn('owner', filter.owners);
    }
    if (filter.type) {
      query.where('type', filter.type);
    }
    if (filter.states?.length) {
      query.whereIn('state', filter.states);
    }
    if (filter.entityRef) {
      query.where('entity_ref', filter.entityRef);
    }
    return query;
  }

  async listResources(options: {
    filter: ResourceFilter;
    cursor?: string;
    limit: number;
  }) {
    const { filter, limit } = options;
    const query = this.#applyFilter(
      this.#db<ResourceRow>(RESOURCES).select(RESOURCE_COLUMNS),
      filter,
    );
    if (!filter.includeDeleted && !filter.states?.includes('deleted')) {
      query.whereNot('state', 'deleted');
    }
    if (options.cursor) {
      const [createdAt, id] = decodeCursor(options.cursor);
      query.where(q =>
        q
          .where('created_at', '<', createdAt)
          .orWhere(q2 => q2.where('created_at', createdAt).andWhere('id', '<', id)),
      );
    }
    query
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit + 1);

    const totalsQuery = this.#applyFilter(
      this.#db(RESOURCES)
        .select('owner')
        .sum({ cost: 'monthly_cost_usd' })
        .count({ count: '*' })
        .whereNot('state', 'deleted')
        .groupBy('owner')
        .orderBy('owner'),
      filter,
    );

    const [rows, totalRows] = await Promise.all([query, totalsQuery]);
    const page = (rows as ResourceRow[]).slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toResource),
      ...(rows.length > limit && last
        ? { nextCursor: encodeCursor(Number(last.created_at), last.id) }
        : {}),
      totals: (
        totalRows as { owner: string; cost: number | string; count: number | string }[]
      ).map(t => ({
        owner: t.owner,
        monthlyCostUsd: Math.round(Number(t.cost ?? 0) * 100) / 100,
        count: Number(t.count),
      })),
    };
  }

  async updateResource(
    id: string,
    patch: ResourcePatch,
    options?: { guard?: UpdateGuard; event?: NewEvent },
  ): Promise<boolean> {
    const now = Date.now();
    const values: Partial<ResourceRow> = { updated_at: now };
    if (patch.parameters !== undefined) {
      values.parameters = JSON.stringify(patch.parameters);
    }
    if (patch.pendingParameters !== undefined) {
      values.pending_parameters = patch.pendingParameters
        ? JSON.stringify(patch.pendingParameters)
        : null;
    }
    if (patch.state !== undefined) {
      values.state = patch.state;
      values.live_name = patch.state === 'deleted' ? null : undefined;
      if (values.live_name === undefined) delete values.live_name;
    }
    if (patch.pendingOperation !== undefined) {
      values.pending_operation = patch.pendingOperation;
    }
    if (patch.drifted !== undefined) values.drifted = patch.drifted;
    if (patch.reason !== undefined) values.reason = patch.reason;
    if (patch.conditions !== undefined) {
      values.conditions = JSON.stringify(patch.conditions);
    }
    if (patch.outputs !== undefined) {
      values.outputs = JSON.stringify(patch.outputs);
    }
    if (patch.encryptedSecrets !== undefined) {
      values.secrets = patch.encryptedSecrets;
    }
    if (patch.monthlyCostUsd !== undefined) {
      values.monthly_cost_usd = patch.monthlyCostUsd;
    }
    if (patch.attempts !== undefined) values.attempts = patch.attempts;
    if (patch.nextAttemptAt !== undefined) {
      values.next_attempt_at = patch.nextAttemptAt;
    }
    if (patch.releaseClaim) {
      values.claimed_by = null;
      values.claim_expires_at = null;
    }
    const guard = options?.guard;
    const run = async (tx: Knex | Knex.Transaction) => {
      const query = tx<ResourceRow>(RESOURCES).where({ id }).update(values);
      if (guard?.state !== undefined) {
        query.whereIn('state', [guard.state].flat());
      }
      if (guard?.claimedBy !== undefined) {
        query.where('claimed_by', guard.claimedBy);
      }
      if (guard?.drifted !== undefined) {
        query.where('drifted', guard.drifted);
      }
      const count = await query;
      if (count === 1 && options?.event) {
        await tx(EVENTS).insert(this.#eventRow(id, options.event, now));
      }
      return count === 1;
    };
    if (options?.event) {
      return this.#db.transaction(tx => run(tx));
    }
    return run(this.#db);
  }

  async addEvent(resourceId: string, event: NewEvent): Promise<void> {
    await this.#db(EVENTS).insert(this.#eventRow(resourceId, event, Date.now()));
  }

  async listEvents(resourceId: string): Promise<ResourceEvent[]> {
    const rows = await this.#db<EventRow>(EVENTS)
      .where({ resource_id: resourceId })
      .orderBy([
        { column: 'at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ])
      .select('*');
    return rows.map(toEvent);
  }

  #claimable(query: Knex.QueryBuilder, now: number) {
    return query.where(q =>
      q.whereNull('claimed_by').orWhere('claim_expires_at', '<', now),
    );
  }

  async claimDue(id: string, worker: string, leaseMs: number): Promise<boolean> {
    const now = Date.now();
    const query = this.#db<ResourceRow>(RESOURCES)
      .where({ id })
      .where('next_attempt_at', '<=', now);
    const count = await this.#claimable(query, now).update({
      claimed_by: worker,
      claim_expires_at: now + leaseMs,
    });
    return count === 1;
  }

  async claimForDriftCheck(
    id: string,
    worker: string,
    leaseMs: number,
    intervalMs: number,
  ): Promise<boolean> {
    const now = Date.now();
    const query = this.#db<ResourceRow>(RESOURCES)
      .where({ id, state: 'ready' })
      .whereNull('next_attempt_at')
      .where(q =>
        q
          .whereNull('drift_checked_at')
          .orWhere('drift_checked_at', '<=', now - intervalMs),
      );
    const count = await this.#claimable(query, now).update({
      claimed_by: worker,
      claim_expires_at: now + leaseMs,
      drift_checked_at: now,
    });
    return count === 1;
  }

  async renewClaim(id: string, worker: string, leaseMs: number) {
    const count = await this.#db<ResourceRow>(RESOURCES)
      .where({ id, claimed_by: worker })
      .update({ claim_expires_at: Date.now() + leaseMs });
    return count === 1;
  }

  async releaseClaim(id: string, worker: string): Promise<void> {
    await this.#db<ResourceRow>(RESOURCES)
      .where({ id, claimed_by: worker })
      .update({ claimed_by: null, claim_expires_at: null });
  }

  async findDue(limit: number): Promise<string[]> {
    const now = Date.now();
    const query = this.#db<ResourceRow>(RESOURCES)
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at', 'asc')
      .limit(limit)
      .select('id');
    const rows = await this.#claimable(query, now);
    return (rows as { id: string }[]).map(r => r.id);
  }

  async findDriftCheckDue(intervalMs: number, limit: number) {
    const now = Date.now();
    const query = this.#db<ResourceRow>(RESOURCES)
      .where('state', 'ready')
      .whereNull('next_attempt_at')
      .where(q =>
        q
          .whereNull('drift_checked_at')
          .orWhere('drift_checked_at', '<=', now - intervalMs),
      )
      .orderBy('drift_checked_at', 'asc')
      .limit(limit)
      .select('id');
    const rows = await this.#claimable(query, now);
    return (rows as { id: string }[]).map(r => r.id);
  }
}
