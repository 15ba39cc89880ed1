import { Knex } from 'knex';
import type {
  EntityStatusSummary,
  StatusState,
} from '@paved/backstage-plugin-service-status-common';
import { chunk } from './util';

const TABLE = 'status_snapshot';

/** One snapshot row to write. @internal */
export interface SnapshotRow {
  summary: EntityStatusSummary;
  /** Epoch ms since when the rolled-up state holds, if known. */
  since?: number;
}

/** Filters of the overview, already normalised (lower-case refs and kinds). @internal */
export interface SnapshotQuery {
  kinds: string[];
  owners?: string[];
  systems?: string[];
  states?: StatusState[];
  /** Keyset cursor: only refs after this one. */
  after?: string;
  limit: number;
}

/**
 * The rolled-up status per entity (`status_snapshot`), written by the snapshot task and by
 * incident changes, read by the overview (filters and keyset paging in SQL).
 * @internal
 */
export class SnapshotStore {
  readonly #knex: Knex;

  static create(options: { knex: Knex }): SnapshotStore {
    return new SnapshotStore(options.knex);
  }

  private constructor(knex: Knex) {
    this.#knex = knex;
  }

  /** Whether any snapshot row exists (false before the first snapshot run). */
  async hasRows(): Promise<boolean> {
    const row = await this.#knex(TABLE).select('entity_ref').first();
    return row !== undefined;
  }

  /** Inserts or replaces rows, in batches of 200 (one statement each). */
  async upsert(rows: SnapshotRow[], now: number): Promise<void> {
    for (const batch of chunk(rows, 200)) {
      await this.#knex(TABLE)
        .insert(batch.map(r => toDb(r, now)))
        .onConflict('entity_ref')
        .merge();
    }
  }

  /** Replaces rows that already exist (used by incident changes; never creates the first row). */
  async updateExisting(rows: SnapshotRow[], now: number): Promise<void> {
    for (const row of rows) {
      const { entity_ref: ref, ...values } = toDb(row, now);
      await this.#knex(TABLE).where('entity_ref', ref).update(values);
    }
  }

  /** Deletes rows not written since `before` (entities gone from the catalog). */
  async deleteOlderThan(before: number): Promise<number> {
    return this.#knex(TABLE).where('updated_at', '<', before).delete();
  }

  /** One page of the overview, ordered by ref; returns `limit + 1` rows at most. */
  async list(query: SnapshotQuery): Promise<EntityStatusSummary[]> {
    const q = this.#knex(TABLE)
      .select('summary')
      .whereIn('kind', query.kinds)
      .orderBy('entity_ref', 'asc')
      .limit(query.limit + 1);
    if (query.owners?.length) {
      q.whereIn('owner', query.owners);
    }
    if (query.systems?.length) {
      q.whereIn('system', query.systems);
    }
    if (query.states?.length) {
      q.whereIn('state', query.states);
    }
    if (query.after !== undefined) {
      q.where('entity_ref', '>', query.after);
    }
    const rows: Array<{ summary: string }> = await q;
    return rows.map(r => JSON.parse(r.summary));
  }
}

function toDb(row: SnapshotRow, now: number) {
  const s = row.summary;
  return {
    entity_ref: s.entityRef,
    kind: s.kind.toLocaleLowerCase('en-US'),
    owner: s.owner ?? null,
    system: s.system ?? null,
    state: s.state,
    summary: JSON.stringify(s),
    since: row.since ?? null,
    updated_at: now,
  };
}
