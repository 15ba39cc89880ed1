import { createHash } from 'node:crypto';
import { Knex } from 'knex';
import type {
  EntityStatusSummary,
  StatusState,
} from '@paved/backstage-plugin-service-status-common';
import { chunk } from './util';

const TABLE = 'status_snapshot';

/**
 * A sync that adds or deletes more rows than this (and more than 10 % of the table) refreshes the table's planner
 * statistics at once. Without them, PostgreSQL planned the overview page on a freshly filled table (80,000 rows,
 * never analyzed) as a sequential scan and sort: 156-409 ms instead of 0.6 ms through the primary key.
 */
const ANALYZE_MIN_ROWS = 500;

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

  /**
   * Makes the table hold exactly `rows`, writing only what changed: rows whose content digest
   * differs from the stored one (or that are new) are upserted in batches of 200, rows of refs
   * not in `rows` are deleted, everything else is left alone. Reads one small column pair
   * (`entity_ref`, `digest`) of every row to decide.
   */
  async sync(
    rows: SnapshotRow[],
    now: number,
  ): Promise<{ written: number; unchanged: number; deleted: number }> {
    const stored = new Map<string, string | null>();
    const existing: Array<{ entity_ref: string; digest: string | null }> =
      await this.#knex(TABLE).select('entity_ref', 'digest');
    for (const r of existing) {
      stored.set(r.entity_ref, r.digest);
    }
    const changed: Array<ReturnType<typeof toDb>> = [];
    const keep = new Set<string>();
    for (const row of rows) {
      const values = toDb(row, now);
      keep.add(values.entity_ref);
      if (stored.get(values.entity_ref) !== values.digest) {
        changed.push(values);
      }
    }
    for (const batch of chunk(changed, 200)) {
      await this.#knex(TABLE).insert(batch).onConflict('entity_ref').merge();
    }
    const gone = [...stored.keys()].filter(ref => !keep.has(ref));
    let deleted = 0;
    for (const batch of chunk(gone, 500)) {
      deleted += await this.#knex(TABLE).whereIn('entity_ref', batch).delete();
    }
    const added = changed.filter(c => !stored.has(c.entity_ref)).length;
    if (
      added + deleted > ANALYZE_MIN_ROWS &&
      added + deleted > stored.size / 10
    ) {
      await this.analyze();
    }
    return {
      written: changed.length,
      unchanged: rows.length - changed.length,
      deleted,
    };
  }

  /** Replaces rows that already exist (used by incident changes; never creates the first row). */
  async updateExisting(rows: SnapshotRow[], now: number): Promise<void> {
    for (const row of rows) {
      const { entity_ref: ref, ...values } = toDb(row, now);
      await this.#knex(TABLE).where('entity_ref', ref).update(values);
    }
  }

  /**
   * Refreshes the planner statistics of the table (`ANALYZE`, on PostgreSQL and SQLite alike), so that the overview
   * query is planned for the table's real size. Autovacuum would do it too, but only a while later.
   */
  async analyze(): Promise<void> {
    await this.#knex.raw('ANALYZE ??', [TABLE]);
  }

  /**
   * One page of the overview, ordered by ref; returns `limit + 1` rows at most. `lastProbe` is as
   * of the row's last write (see {@link SnapshotStore.sync}); callers overlay the current one.
   */
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

/**
 * The digest that decides whether a row changed: the summary without the probe's time and
 * latency (which change every run without changing the status; the overview overlays the current
 * probe), plus `since`.
 */
function digestOf(row: SnapshotRow): string {
  const { lastProbe, ...rest } = row.summary;
  const stable = {
    ...rest,
    ...(lastProbe
      ? {
          lastProbe: {
            state: lastProbe.state,
            httpStatus: lastProbe.httpStatus,
            error: lastProbe.error,
          },
        }
      : {}),
    since: row.since ?? null,
  };
  return createHash('sha256')
    .update(JSON.stringify(stable))
    .digest('base64url');
}

function toDb(row: SnapshotRow, now: number) {
  const s = row.summary;
  return {
    digest: digestOf(row),
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
