import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import type { ResourceEvent } from '@paved/backstage-plugin-provisioning-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import {
  decodeCursor,
  encodeCursor,
  EventRow,
  EVENTS,
  IDEMPOTENCY_KEYS,
  isUniqueViolation,
  RESOURCE_COLUMNS,
  ResourceRow,
  RESOURCES,
  toEvent,
  toResource,
} from './rows';
import {
  EventAnnouncement,
  IdempotencyRecord,
  NewEvent,
  ResourceFilter,
  ResourcePatch,
  ResourceStore,
  StoredResource,
  TtlStore,
  UnannouncedEvent,
  UpdateGuard,
} from './types';
import { KnexTtlStore } from './KnexTtlStore';
import { KnexWorkClaims } from './KnexWorkClaims';

const migrationsDir = resolvePackagePath(
  '@paved/backstage-plugin-provisioning-backend',
  'migrations',
);

/**
 * Knex implementation of {@link ResourceStore} for SQLite and PostgreSQL: the CRUD of resources, events and
 * idempotency keys here, row mapping in `rows.ts`, work claims in {@link KnexWorkClaims}.
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

  readonly #claims: KnexWorkClaims;
  readonly #ttl: KnexTtlStore;

  private constructor(db: Knex) {
    this.#db = db;
    this.#isPostgres = db.client.config.client === 'pg';
    this.#claims = new KnexWorkClaims(db);
    this.#ttl = new KnexTtlStore(db);
  }

  claimDue(id: string, worker: string, leaseMs: number) {
    return this.#claims.claimDue(id, worker, leaseMs);
  }

  claimForDriftCheck(id: string, worker: string, leaseMs: number, intervalMs: number) {
    return this.#claims.claimForDriftCheck(id, worker, leaseMs, intervalMs);
  }

  renewClaim(id: string, worker: string, leaseMs: number) {
    return this.#claims.renewClaim(id, worker, leaseMs);
  }

  releaseClaim(id: string, worker: string) {
    return this.#claims.releaseClaim(id, worker);
  }

  findDue(limit: number) {
    return this.#claims.findDue(limit);
  }

  findDriftCheckDue(intervalMs: number, limit: number) {
    return this.#claims.findDriftCheckDue(intervalMs, limit);
  }

  findExpired(now: number, limit: number) {
    return this.#ttl.findExpired(now, limit);
  }

  claimReminders(options: Parameters<TtlStore['claimReminders']>[0]) {
    return this.#ttl.claimReminders(options);
  }

  #eventRow(resourceId: string, event: NewEvent, at: number): EventRow {
    return {
      id: event.id ?? randomUUID(),
      resource_id: resourceId,
      at,
      actor: event.actor,
      type: event.type,
      from_state: event.fromState ?? null,
      to_state: event.toState ?? null,
      message: event.message,
      ...(event.announcement ? { announcement: JSON.stringify(event.announcement) } : {}),
    };
  }

  async createResource(
    r: StoredResource,
    event: NewEvent,
    options?: {
      quota?: number;
      idempotency?: { principal: string; key: string; requestHash: string };
    },
  ): Promise<{ id: string; existing: boolean }> {
    const now = Date.now();
    const row: Omit<ResourceRow, 'drift_checked_at'> = {
      id: r.id,
      name: r.name,
      type: r.type,
      owner: r.owner,
      entity_ref: r.entityRef ?? null,
      system: r.system ?? null,
      parameters: JSON.stringify(r.parameters),
      pending_change: r.pendingChange ? JSON.stringify(r.pendingChange) : null,
      billable: false,
      working_since: null,
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
      ttl_ms: r.ttlMs ?? null,
      expires_at: r.expiresAt ? Date.parse(r.expiresAt) : null,
      ttl_reminders_sent: r.ttlRemindersSent ?? 0,
      applied_version: r.appliedVersion ?? null,
      target_version: r.targetVersion ?? null,
      deviations: r.deviations?.length ? JSON.stringify(r.deviations) : null,
    };
    const idem = options?.idempotency;
    try {
      return await this.#db.transaction(async tx => {
        if (idem) {
          if (this.#isPostgres) {
            // serialise requests with the same key across replicas
            await tx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [
              `paved-provisioning-idem:${idem.principal}:${idem.key}`,
            ]);
          }
          const known = await this.#idempotencyKey(tx, idem.principal, idem.key);
          if (known) {
            if (known.requestHash !== idem.requestHash) {
              throw new ConflictError(
                'This Idempotency-Key was already used with a different request body',
              );
            }
            return { id: known.resourceId, existing: true };
          }
        }
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
        if (idem) {
          await tx(IDEMPOTENCY_KEYS).insert({
            principal: idem.principal,
            key: idem.key,
            request_hash: idem.requestHash,
            resource_id: r.id,
            created_at: now,
          });
        }
        return { id: r.id, existing: false };
      });
    } catch (e) {
      if (idem && isUniqueViolation(e)) {
        // a concurrent request with the same key won (SQLite has no advisory lock)
        const known = await this.#idempotencyKey(this.#db, idem.principal, idem.key);
        if (known && known.requestHash === idem.requestHash) {
          return { id: known.resourceId, existing: true };
        }
      }
      if (isUniqueViolation(e)) {
        throw new ConflictError(
          `A '${r.type}' resource named '${r.name}' already exists`,
        );
      }
      throw e;
    }
  }

  async #idempotencyKey(
    db: Knex | Knex.Transaction,
    principal: string,
    key: string,
  ): Promise<IdempotencyRecord | undefined> {
    const row = await db(IDEMPOTENCY_KEYS)
      .where({ principal, key })
      .first('request_hash', 'resource_id');
    return row
      ? { requestHash: row.request_hash, resourceId: row.resource_id }
      : undefined;
  }

  getIdempotencyKey(principal: string, key: string) {
    return this.#idempotencyKey(this.#db, principal, key);
  }

  async getResource(id: string): Promise<StoredResource | undefined> {
    const row = await this.#db<ResourceRow>(RESOURCES)
      .where({ id })
      .first(RESOURCE_COLUMNS);
    return row ? toResource(row) : undefined;
  }

  async getResources(ids: string[]): Promise<StoredResource[]> {
    const out: StoredResource[] = [];
    for (let i = 0; i < ids.length; i += 200) {
      const rows = await this.#db<ResourceRow>(RESOURCES)
        .whereIn('id', ids.slice(i, i + 200))
        .select(RESOURCE_COLUMNS);
      out.push(...(rows as ResourceRow[]).map(toResource));
    }
    return out;
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
    if (filter.name) {
      query.where('name', filter.name);
    }
    if (filter.withPendingChange) {
      query.whereNotNull('pending_change');
    }
    if (filter.withDeviations === true) {
      query.whereNotNull('deviations');
    } else if (filter.withDeviations === false) {
      query.whereNull('deviations');
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
        .where('billable', true)
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
    if (options?.event) {
      return this.#db.transaction(tx => this.#update(tx, id, patch, options));
    }
    return this.#update(this.#db, id, patch, options);
  }

  async updateResources(
    updates: Array<{ id: string; patch: ResourcePatch; guard?: UpdateGuard; event?: NewEvent }>,
  ): Promise<boolean[]> {
    return this.#db.transaction(async tx => {
      const results: boolean[] = [];
      for (const u of updates) {
        results.push(await this.#update(tx, u.id, u.patch, u));
      }
      return results;
    });
  }

  async #update(
    tx: Knex | Knex.Transaction,
    id: string,
    patch: ResourcePatch,
    options?: { guard?: UpdateGuard; event?: NewEvent },
  ): Promise<boolean> {
    const now = Date.now();
    const values: Partial<ResourceRow> = { updated_at: now };
    if (patch.parameters !== undefined) {
      values.parameters = JSON.stringify(patch.parameters);
    }
    if (patch.pendingChange !== undefined) {
      values.pending_change = patch.pendingChange
        ? JSON.stringify(patch.pendingChange)
        : null;
    }
    if (patch.billable !== undefined) values.billable = patch.billable;
    if (patch.workingSince !== undefined) {
      values.working_since = patch.workingSince;
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
    if (patch.ttlMs !== undefined) values.ttl_ms = patch.ttlMs;
    if (patch.expiresAtMs !== undefined) values.expires_at = patch.expiresAtMs;
    if (patch.ttlRemindersSent !== undefined) {
      values.ttl_reminders_sent = patch.ttlRemindersSent;
    }
    if (patch.appliedVersion !== undefined) values.applied_version = patch.appliedVersion;
    if (patch.targetVersion !== undefined) values.target_version = patch.targetVersion;
    if (patch.deviations !== undefined) {
      values.deviations = patch.deviations?.length ? JSON.stringify(patch.deviations) : null;
    }
    if (patch.releaseClaim) {
      values.claimed_by = null;
      values.claim_expires_at = null;
    }
    const guard = options?.guard;
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
    if (guard?.expiresAtOrBefore !== undefined) {
      query.where('expires_at', '<=', guard.expiresAtOrBefore);
    }
    if (guard?.appliedVersionNot !== undefined) {
      const not = guard.appliedVersionNot;
      query.where(q => q.whereNull('applied_version').orWhereNot('applied_version', not));
    }
    if (guard?.noTargetVersion) {
      query.whereNull('target_version');
    }
    const count = await query;
    if (count === 1 && options?.event) {
      await tx(EVENTS).insert(this.#eventRow(id, options.event, now));
    }
    return count === 1;
  }

  async countAppliedVersions() {
    const rows = (await this.#db(RESOURCES)
      .select('type', 'applied_version')
      .count({ count: '*' })
      .whereNot('state', 'deleted')
      .whereNotNull('applied_version')
      .groupBy('type', 'applied_version')) as Array<{ type: string; applied_version: string; count: number | string }>;
    return rows.map(r => ({ type: r.type, version: r.applied_version, count: Number(r.count) }));
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

  async markAnnounced(eventIds: string[], at: number): Promise<void> {
    for (let i = 0; i < eventIds.length; i += 500) {
      await this.#db<EventRow>(EVENTS)
        .whereIn('id', eventIds.slice(i, i + 500))
        .update({ announced_at: at, announce_claim: null, announce_claimed_until: null });
    }
  }

  /**
   * Claims in one transaction: reads the oldest claimable ids (on PostgreSQL `FOR UPDATE SKIP LOCKED`, so that
   * concurrent sweeps take disjoint batches instead of waiting for each other), then one conditional UPDATE sets a
   * random token and the lease on them, its conditions repeated so that a row claimed meanwhile is left alone (SQLite
   * serialises writers); the claimed rows are then read back by token.
   */
  async claimUnannounced(options: {
    now: number;
    recordedBefore: number;
    leaseMs: number;
    limit: number;
  }): Promise<UnannouncedEvent[]> {
    const { now, recordedBefore, leaseMs, limit } = options;
    const token = randomUUID();
    const claimable = (q: Knex.QueryBuilder) =>
      q
        .whereNotNull('announcement')
        .whereNull('announced_at')
        .where(c =>
          c.whereNull('announce_claimed_until').orWhere('announce_claimed_until', '<', now),
        );
    const claimed = await this.#db.transaction(async tx => {
      const candidates = claimable(tx(EVENTS).select('id'))
        .where('at', '<=', recordedBefore)
        .orderBy([
          { column: 'at', order: 'asc' },
          { column: 'id', order: 'asc' },
        ])
        .limit(limit);
      if (this.#isPostgres) candidates.forUpdate().skipLocked();
      const ids = ((await candidates) as { id: string }[]).map(r => r.id);
      if (ids.length === 0) return 0;
      return claimable(tx(EVENTS).whereIn('id', ids)).update({
        announce_claim: token,
        announce_claimed_until: now + leaseMs,
      });
    });
    if (!claimed) return [];
    const rows = await this.#db<EventRow>(EVENTS)
      .where({ announce_claim: token })
      .whereNull('announced_at')
      .orderBy([
        { column: 'at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ])
      .select('id', 'resource_id', 'at', 'actor', 'message', 'announcement');
    return rows.map(r => ({
      id: r.id,
      resourceId: r.resource_id,
      at: Number(r.at),
      actor: r.actor,
      message: r.message,
      announcement: JSON.parse(r.announcement!) as EventAnnouncement,
    }));
  }
}
