import { ConflictError } from '@backstage/errors';
import type { RolloutStatus } from '@paved/backstage-plugin-provisioning-common';
import { Knex } from 'knex';
import type {
  RolloutItemRecord,
  RolloutItemStatus,
  RolloutPatch,
  RolloutRecord,
  RolloutStore,
} from './types';

const ROLLOUTS = 'provisioning_rollouts';
const ITEMS = 'provisioning_rollout_items';

type RolloutRow = {
  id: string;
  type: string;
  target_version: string;
  status: string;
  reason: string | null;
  strategy: string;
  wave_percents: string;
  owners: string | null;
  soak_ms: number | string;
  wave_count: number;
  current_wave: number;
  phase: string;
  soak_until: number | string | null;
  created_by: string;
  created_at: number | string;
  updated_at: number | string;
  finished_at: number | string | null;
  claimed_by: string | null;
  claim_expires_at: number | string | null;
};

type ItemRow = {
  rollout_id: string;
  resource_id: string;
  wave: number;
  name: string;
  owner: string;
  previous_version: string;
  status: string;
  message: string | null;
  updated_at: number | string;
};

const opt = (v: number | string | null) => (v === null || v === undefined ? undefined : Number(v));

function toRollout(row: RolloutRow): RolloutRecord {
  return {
    id: row.id,
    type: row.type,
    targetVersion: row.target_version,
    status: row.status as RolloutStatus,
    ...(row.reason ? { reason: row.reason } : {}),
    strategy: row.strategy as RolloutRecord['strategy'],
    wavePercents: JSON.parse(row.wave_percents),
    ...(row.owners ? { owners: JSON.parse(row.owners) } : {}),
    soakMs: Number(row.soak_ms),
    waveCount: Number(row.wave_count),
    currentWave: Number(row.current_wave),
    phase: row.phase as RolloutRecord['phase'],
    ...(opt(row.soak_until) !== undefined ? { soakUntil: opt(row.soak_until) } : {}),
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    ...(opt(row.finished_at) !== undefined ? { finishedAt: opt(row.finished_at) } : {}),
    ...(row.claimed_by ? { claimedBy: row.claimed_by } : {}),
    ...(opt(row.claim_expires_at) !== undefined ? { claimExpiresAt: opt(row.claim_expires_at) } : {}),
  };
}

function toItem(row: ItemRow): RolloutItemRecord {
  return {
    rolloutId: row.rollout_id,
    resourceId: row.resource_id,
    wave: Number(row.wave),
    name: row.name,
    owner: row.owner,
    previousVersion: row.previous_version,
    status: row.status as RolloutItemStatus,
    ...(row.message ? { message: row.message } : {}),
  };
}

/**
 * Knex implementation of {@link RolloutStore} (SQLite and PostgreSQL), on the provisioning plugin's database
 * (tables from migration `202612061000_rollouts`).
 * @internal
 */
export class KnexRolloutStore implements RolloutStore {
  readonly #db: Knex;
  readonly #isPostgres: boolean;

  constructor(db: Knex) {
    this.#db = db;
    this.#isPostgres = db.client.config.client === 'pg';
  }

  async createRollout(r: RolloutRecord, items: RolloutItemRecord[]): Promise<void> {
    await this.#db.transaction(async tx => {
      if (this.#isPostgres) {
        // one active rollout per type, across replicas
        await tx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`paved-provisioning-rollout:${r.type}`]);
      }
      const active = await tx<RolloutRow>(ROLLOUTS)
        .where({ type: r.type })
        .whereIn('status', ['running', 'paused'])
        .first('id');
      if (active) {
        throw new ConflictError(
          `A rollout of '${r.type}' is already in progress (${active.id}); abort it or wait for it to finish`,
        );
      }
      const row: RolloutRow = {
        id: r.id,
        type: r.type,
        target_version: r.targetVersion,
        status: r.status,
        reason: r.reason ?? null,
        strategy: r.strategy,
        wave_percents: JSON.stringify(r.wavePercents),
        owners: r.owners ? JSON.stringify(r.owners) : null,
        soak_ms: r.soakMs,
        wave_count: r.waveCount,
        current_wave: r.currentWave,
        phase: r.phase,
        soak_until: r.soakUntil ?? null,
        created_by: r.createdBy,
        created_at: r.createdAt,
        updated_at: r.updatedAt,
        finished_at: r.finishedAt ?? null,
        claimed_by: null,
        claim_expires_at: null,
      };
      await tx(ROLLOUTS).insert(row);
      const rows: ItemRow[] = items.map(i => ({
        rollout_id: r.id,
        resource_id: i.resourceId,
        wave: i.wave,
        name: i.name,
        owner: i.owner,
        previous_version: i.previousVersion,
        status: i.status,
        message: i.message ?? null,
        updated_at: r.createdAt,
      }));
      // SQLite limits the number of bound variables per statement
      await tx.batchInsert(ITEMS, rows, 50);
    });
  }

  async getRollout(id: string): Promise<RolloutRecord | undefined> {
    const row = await this.#db<RolloutRow>(ROLLOUTS).where({ id }).first();
    return row ? toRollout(row) : undefined;
  }

  async listRollouts(filter: { type?: string; status?: string; limit: number }) {
    const q = this.#db<RolloutRow>(ROLLOUTS)
      .select('*')
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(filter.limit);
    if (filter.type) q.where('type', filter.type);
    if (filter.status) q.where('status', filter.status);
    return ((await q) as RolloutRow[]).map(toRollout);
  }

  async listItems(rolloutId: string, wave?: number) {
    const q = this.#db<ItemRow>(ITEMS)
      .where({ rollout_id: rolloutId })
      .orderBy([
        { column: 'wave', order: 'asc' },
        { column: 'name', order: 'asc' },
        { column: 'resource_id', order: 'asc' },
      ])
      .select('*');
    if (wave !== undefined) q.where('wave', wave);
    return ((await q) as ItemRow[]).map(toItem);
  }

  async updateRollout(
    id: string,
    patch: RolloutPatch,
    now: number,
    guard?: { status?: string | string[]; claimedBy?: string },
  ) {
    const values: Partial<RolloutRow> = { updated_at: now };
    if (patch.status !== undefined) values.status = patch.status;
    if (patch.currentWave !== undefined) values.current_wave = patch.currentWave;
    if (patch.phase !== undefined) values.phase = patch.phase;
    if (patch.reason !== undefined) values.reason = patch.reason;
    if (patch.soakUntil !== undefined) values.soak_until = patch.soakUntil;
    if (patch.finishedAt !== undefined) values.finished_at = patch.finishedAt;
    const q = this.#db<RolloutRow>(ROLLOUTS).where({ id }).update(values);
    if (guard?.status !== undefined) q.whereIn('status', [guard.status].flat());
    if (guard?.claimedBy !== undefined) q.where('claimed_by', guard.claimedBy);
    return (await q) === 1;
  }

  async updateItem(
    rolloutId: string,
    resourceId: string,
    status: RolloutItemStatus,
    message: string | null,
    now: number,
    from?: RolloutItemStatus[],
  ) {
    const q = this.#db<ItemRow>(ITEMS)
      .where({ rollout_id: rolloutId, resource_id: resourceId })
      .update({ status, message, updated_at: now });
    if (from) q.whereIn('status', from);
    return (await q) === 1;
  }

  async markApplying(rolloutId: string, resourceIds: string[], now: number) {
    if (resourceIds.length === 0) return 0;
    return this.#db<ItemRow>(ITEMS)
      .where({ rollout_id: rolloutId, status: 'pending' })
      .whereIn('resource_id', resourceIds)
      .update({ status: 'applying', message: null, updated_at: now });
  }

  async updateItems(
    rolloutId: string,
    from: RolloutItemStatus,
    to: RolloutItemStatus,
    message: string,
    now: number,
  ) {
    return this.#db<ItemRow>(ITEMS)
      .where({ rollout_id: rolloutId, status: from })
      .update({ status: to, message, updated_at: now });
  }

  #claimable(q: Knex.QueryBuilder, now: number) {
    return q.where(w => w.whereNull('claimed_by').orWhere('claim_expires_at', '<', now));
  }

  async findClaimable(now: number, limit: number) {
    const q = this.#db<RolloutRow>(ROLLOUTS)
      .where('status', 'running')
      .orderBy('created_at', 'asc')
      .limit(limit)
      .select('id');
    return ((await this.#claimable(q, now)) as { id: string }[]).map(r => r.id);
  }

  async claim(id: string, worker: string, leaseMs: number, now: number) {
    const q = this.#db<RolloutRow>(ROLLOUTS).where({ id, status: 'running' });
    const count = await this.#claimable(q, now).update({
      claimed_by: worker,
      claim_expires_at: now + leaseMs,
    });
    return count === 1;
  }

  async release(id: string, worker: string) {
    await this.#db<RolloutRow>(ROLLOUTS)
      .where({ id, claimed_by: worker })
      .update({ claimed_by: null, claim_expires_at: null });
  }
}
