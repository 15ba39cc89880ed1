import { Knex } from 'knex';
import {
  LatencyBucket,
  ProbeResult,
  ProbeState,
  UptimeSummary,
} from '@paved/backstage-plugin-service-status-common';
import { chunk, HOUR_MS, iso, isPostgres, num, optNum } from './util';

/** One health sample to record. @internal */
export interface SampleInput {
  entityRef: string;
  /** Epoch ms. */
  at: number;
  state: ProbeState;
  source: 'probe' | 'resource';
  httpStatus?: number;
  latencyMs?: number;
  error?: string;
}

/** The newest health result of an entity. @internal */
export interface CurrentHealth {
  entityRef: string;
  state: ProbeState;
  source: 'probe' | 'resource';
  /** Epoch ms since when `state` holds. */
  since: number;
  /** Epoch ms. */
  checkedAt: number;
  httpStatus?: number;
  latencyMs?: number;
  error?: string;
}

/** Outcome of one rollup run. @internal */
export interface RollupResult {
  hoursRolledUp: number;
  rawSamplesDeleted: number;
  hourlyRowsDeleted: number;
}

type SampleRow = {
  entity_ref: string;
  at: number | string;
  state: string;
  http_status: number | null;
  latency_ms: number | null;
  error: string | null;
};

type CurrentRow = SampleRow & {
  source: string;
  since: number | string;
  checked_at: number | string;
};

/** Latency percentiles of one (entity, hour). @internal */
export interface HourPercentiles {
  entityRef: string;
  hour: number;
  samples: number;
  p50: number | null;
  p95: number | null;
}

const MAX_ERROR_LENGTH = 1000;

/**
 * Health samples, the current health per entity, hourly rollups and the history queries.
 * All aggregation happens in SQL; SQLite and PostgreSQL differ only in the percentile query.
 * @internal
 */
export class SampleStore {
  readonly #db: Knex;

  static create(options: { knex: Knex }): SampleStore {
    return new SampleStore(options.knex);
  }

  private constructor(db: Knex) {
    this.#db = db;
  }

  /**
   * Stores samples and updates each entity's current health (keeping `since` while the state
   * does not change). Expects at most one sample per entity per call.
   */
  async recordSamples(samples: SampleInput[]): Promise<void> {
    if (samples.length === 0) {
      return;
    }
    await this.#db.transaction(async tx => {
      for (const part of chunk(samples, 200)) {
        await tx('status_samples').insert(
          part.map(s => ({
            entity_ref: s.entityRef,
            at: s.at,
            state: s.state,
            http_status: s.httpStatus ?? null,
            latency_ms:
              s.latencyMs === undefined ? null : Math.round(s.latencyMs),
            error: s.error?.slice(0, MAX_ERROR_LENGTH) ?? null,
          })),
        );
        const current = await tx<CurrentRow>('status_current')
          .select('entity_ref', 'state', 'since')
          .whereIn(
            'entity_ref',
            part.map(s => s.entityRef),
          );
        const byRef = new Map(current.map(r => [r.entity_ref, r]));
        for (const s of part) {
          const prev = byRef.get(s.entityRef);
          const since = prev && prev.state === s.state ? num(prev.since) : s.at;
          await tx('status_current')
            .insert({
              entity_ref: s.entityRef,
              state: s.state,
              source: s.source,
              since,
              checked_at: s.at,
              http_status: s.httpStatus ?? null,
              latency_ms:
                s.latencyMs === undefined ? null : Math.round(s.latencyMs),
              error: s.error?.slice(0, MAX_ERROR_LENGTH) ?? null,
            })
            .onConflict('entity_ref')
            .merge();
        }
      }
    });
  }

  /** Current health of the given entities (missing ones have no result yet). */
  async getCurrent(entityRefs: string[]): Promise<Map<string, CurrentHealth>> {
    const result = new Map<string, CurrentHealth>();
    for (const part of chunk([...new Set(entityRefs)], 500)) {
      const rows = await this.#db<CurrentRow>('status_current')
        .select(
          'entity_ref',
          'state',
          'source',
          'since',
          'checked_at',
          'http_status',
          'latency_ms',
          'error',
        )
        .whereIn('entity_ref', part);
      for (const r of rows) {
        result.set(r.entity_ref, {
          entityRef: r.entity_ref,
          state: r.state as ProbeState,
          source: r.source as 'probe' | 'resource',
          since: num(r.since),
          checkedAt: num(r.checked_at),
          httpStatus: optNum(r.http_status),
          latencyMs: optNum(r.latency_ms),
          error: r.error ?? undefined,
        });
      }
    }
    return result;
  }

  /** Newest raw samples of an entity, newest first. */
  async getRecentSamples(
    entityRef: string,
    limit: number,
  ): Promise<ProbeResult[]> {
    const rows = await this.#db<SampleRow>('status_samples')
      .select('entity_ref', 'at', 'state', 'http_status', 'latency_ms', 'error')
      .where('entity_ref', entityRef)
      .orderBy('at', 'desc')
      .limit(limit);
    return rows.map(toProbeResult);
  }

  /**
   * Uptime over 24 h, 7 d and 30 d before `now` (epoch ms): the share of samples that were up or
   * degraded, from raw samples plus hourly rollups (an hourly row counts when its hour starts in
   * the window).
   */
  async getUptime(entityRef: string, now: number): Promise<UptimeSummary[]> {
    const windows: Array<[UptimeSummary['window'], number]> = [
      ['24h', now - 24 * HOUR_MS],
      ['7d', now - 7 * 24 * HOUR_MS],
      ['30d', now - 30 * 24 * HOUR_MS],
    ];
    const raw = (await this.#db('status_samples')
      .where('entity_ref', entityRef)
      .andWhere('at', '>=', windows[2][1])
      .andWhere('at', '<=', now)
      .select(
        ...windows.flatMap(([w, from]) => [
          this.#db.raw(
            `sum(case when at >= ? then 1 else 0 end) as ${alias('n', w)}`,
            [from],
          ),
          this.#db.raw(
            `sum(case when at >= ? and state <> 'down' then 1 else 0 end) as ${alias(
              'up',
              w,
            )}`,
            [from],
          ),
        ]),
      )
      .first()) as Record<string, unknown> | undefined;
    const hourly = (await this.#db('status_hourly')
      .where('entity_ref', entityRef)
      .andWhere('hour', '>=', windows[2][1] - (windows[2][1] % HOUR_MS))
      .select(
        ...windows.flatMap(([w, from]) => [
          this.#db.raw(
            `sum(case when hour >= ? then samples else 0 end) as ${alias(
              'n',
              w,
            )}`,
            [from - (from % HOUR_MS)],
          ),
          this.#db.raw(
            `sum(case when hour >= ? then up_samples else 0 end) as ${alias(
              'up',
              w,
            )}`,
            [from - (from % HOUR_MS)],
          ),
        ]),
      )
      .first()) as Record<string, unknown> | undefined;

    return windows.map(([window]) => {
      const samples =
        num(raw?.[alias('n', window)] ?? 0) +
        num(hourly?.[alias('n', window)] ?? 0);
      const up =
        num(raw?.[alias('up', window)] ?? 0) +
        num(hourly?.[alias('up', window)] ?? 0);
      return {
        window,
        samples,
        uptimeRatio: samples === 0 ? null : up / samples,
      };
    });
  }

  /**
   * Hourly latency p50/p95 of an entity from `from` to `to` (epoch ms), oldest first: raw samples
   * (exact percentiles, linear interpolation as `percentile_cont`) and, for older hours, the
   * rollup table.
   */
  async getLatencyBuckets(
    entityRef: string,
    from: number,
    to: number,
  ): Promise<LatencyBucket[]> {
    const fromHour = from - (from % HOUR_MS);
    const raw = await this.computeHourPercentiles({
      entityRef,
      from: fromHour,
      to,
    });
    const hourlyRows = await this.#db('status_hourly')
      .select('hour', 'latency_samples', 'p50_ms', 'p95_ms')
      .where('entity_ref', entityRef)
      .andWhere('hour', '>=', fromHour)
      .andWhere('hour', '<', to)
      .andWhere('latency_samples', '>', 0);
    const byHour = new Map<number, LatencyBucket>();
    for (const r of hourlyRows) {
      byHour.set(num(r.hour), {
        hour: iso(num(r.hour)),
        samples: num(r.latency_samples),
        p50Ms: r.p50_ms === null ? null : round1(num(r.p50_ms)),
        p95Ms: r.p95_ms === null ? null : round1(num(r.p95_ms)),
      });
    }
    for (const r of raw) {
      byHour.set(r.hour, {
        hour: iso(r.hour),
        samples: r.samples,
        p50Ms: r.p50 === null ? null : round1(r.p50),
        p95Ms: r.p95 === null ? null : round1(r.p95),
      });
    }
    return [...byHour.entries()].sort((a, b) => a[0] - b[0]).map(e => e[1]);
  }

  /**
   * p50/p95 of raw samples' latency per (entity, UTC hour) in [from, to).
   * PostgreSQL: `percentile_cont`. SQLite: window functions pick the two ranks around each
   * percentile and the interpolation happens here, giving the same values.
   */
  async computeHourPercentiles(options: {
    entityRef?: string;
    from: number;
    to: number;
  }): Promise<HourPercentiles[]> {
    const db = this.#db;
    const filters: string[] = ['latency_ms is not null', 'at >= ?', 'at < ?'];
    const bindings: Array<string | number> = [options.from, options.to];
    if (options.entityRef) {
      filters.push('entity_ref = ?');
      bindings.push(options.entityRef);
    }
    const where = filters.join(' and ');

    if (isPostgres(db)) {
      const result = await db.raw(
        `select entity_ref, (at - at % ${HOUR_MS}) as hour, count(*) as n,
           percentile_cont(0.5) within group (order by latency_ms) as p50,
           percentile_cont(0.95) within group (order by latency_ms) as p95
         from status_samples where ${where}
         group by entity_ref, (at - at % ${HOUR_MS})
         order by entity_ref, hour`,
        bindings,
      );
      return (result.rows as any[]).map(r => ({
        entityRef: r.entity_ref,
        hour: num(r.hour),
        samples: num(r.n),
        p50: r.p50 === null ? null : num(r.p50),
        p95: r.p95 === null ? null : num(r.p95),
      }));
    }

    const rows: Array<{
      entity_ref: string;
      hour: number;
      n: number;
      rn: number;
      latency_ms: number;
    }> = await db.raw(
      `with ranked as (
         select entity_ref, (at - at % ${HOUR_MS}) as hour, latency_ms,
           row_number() over (partition by entity_ref, (at - at % ${HOUR_MS}) order by latency_ms) as rn,
           count(*) over (partition by entity_ref, (at - at % ${HOUR_MS})) as n
         from status_samples where ${where}
       )
       select entity_ref, hour, n, rn, latency_ms from ranked
       where rn in (
         cast((n - 1) * 0.5 as integer) + 1, cast((n - 1) * 0.5 as integer) + 2,
         cast((n - 1) * 0.95 as integer) + 1, cast((n - 1) * 0.95 as integer) + 2)
       order by entity_ref, hour, rn`,
      bindings,
    );
    const groups = new Map<
      string,
      { entityRef: string; hour: number; n: number; ranks: Map<number, number> }
    >();
    for (const r of rows) {
      const key = `${r.entity_ref}\u0000${r.hour}`;
      let g = groups.get(key);
      if (!g) {
        g = {
          entityRef: r.entity_ref,
          hour: num(r.hour),
          n: num(r.n),
          ranks: new Map(),
        };
        groups.set(key, g);
      }
      g.ranks.set(num(r.rn), num(r.latency_ms));
    }
    return [...groups.values()].map(g => ({
      entityRef: g.entityRef,
      hour: g.hour,
      samples: g.n,
      p50: interpolate(g.ranks, g.n, 0.5),
      p95: interpolate(g.ranks, g.n, 0.95),
    }));
  }

  /**
   * Moves raw samples older than `rawBefore` (rounded down to the hour) into hourly rollups and
   * deletes them, at most `maxHours` hours per call, oldest first; then deletes hourly rows older
   * than `hourlyBefore`. Each hour is one transaction, so a crash never loses or double-counts.
   */
  async rollup(options: {
    rawBefore: number;
    hourlyBefore: number;
    maxHours?: number;
  }): Promise<RollupResult> {
    const cutoff = options.rawBefore - (options.rawBefore % HOUR_MS);
    const maxHours = options.maxHours ?? 24 * 14;
    let hoursRolledUp = 0;
    let rawSamplesDeleted = 0;
    while (hoursRolledUp < maxHours) {
      const oldest = await this.#db('status_samples')
        .min({ at: 'at' })
        .where('at', '<', cutoff)
        .first();
      if (!oldest || oldest.at === null || oldest.at === undefined) {
        break;
      }
      const hour = num(oldest.at) - (num(oldest.at) % HOUR_MS);
      const hourEnd = hour + HOUR_MS;
      const deleted = await this.#db.transaction(async tx => {
        const txStore = new SampleStore(tx);
        const counts: Array<{ entity_ref: string; n: unknown; up_n: unknown }> =
          await tx('status_samples')
            .select('entity_ref')
            .count({ n: '*' })
            .select(
              tx.raw(
                "sum(case when state <> 'down' then 1 else 0 end) as up_n",
              ),
            )
            .where('at', '>=', hour)
            .andWhere('at', '<', hourEnd)
            .groupBy('entity_ref');
        const percentiles = await txStore.computeHourPercentiles({
          from: hour,
          to: hourEnd,
        });
        const byRef = new Map(percentiles.map(p => [p.entityRef, p]));
        for (const part of chunk(counts, 200)) {
          await tx('status_hourly')
            .insert(
              part.map(c => {
                const p = byRef.get(c.entity_ref as string);
                return {
                  entity_ref: c.entity_ref,
                  hour,
                  samples: num(c.n),
                  up_samples: num(c.up_n),
                  latency_samples: p?.samples ?? 0,
                  p50_ms: p?.p50 ?? null,
                  p95_ms: p?.p95 ?? null,
                };
              }),
            )
            .onConflict(['entity_ref', 'hour'])
            .merge();
        }
        const removed: number = await tx('status_samples')
          .where('at', '>=', hour)
          .andWhere('at', '<', hourEnd)
          .delete();
        return removed;
      });
      rawSamplesDeleted += deleted;
      hoursRolledUp += 1;
    }
    const hourlyRowsDeleted = await this.#db('status_hourly')
      .where('hour', '<', options.hourlyBefore)
      .delete();
    return { hoursRolledUp, rawSamplesDeleted, hourlyRowsDeleted };
  }
}

function alias(prefix: string, window: string) {
  return `${prefix}_${window}`;
}

function round1(value: number) {
  return Math.round(value * 10) / 10;
}

/** Linear interpolation between the ranks around quantile q (as percentile_cont). */
function interpolate(
  ranks: Map<number, number>,
  n: number,
  q: number,
): number | null {
  if (n === 0) {
    return null;
  }
  const position = (n - 1) * q;
  const lower = Math.floor(position);
  const lo = ranks.get(lower + 1);
  if (lo === undefined) {
    return null;
  }
  const hi = ranks.get(lower + 2) ?? lo;
  return lo + (hi - lo) * (position - lower);
}

function toProbeResult(r: SampleRow): ProbeResult {
  return {
    entityRef: r.entity_ref,
    at: iso(num(r.at)),
    state: r.state as ProbeState,
    ...(r.http_status !== null ? { httpStatus: num(r.http_status) } : {}),
    ...(r.latency_ms !== null ? { latencyMs: num(r.latency_ms) } : {}),
    ...(r.error !== null ? { error: r.error } : {}),
  };
}
