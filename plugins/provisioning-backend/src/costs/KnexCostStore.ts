import { Knex } from 'knex';
import type { LedgerDay, LedgerEvent, PricePoint } from './ledger';

/* Database access of the cost ledger (SQLite and PostgreSQL): tables of migration 202612061200_costs.js. */

/** @internal */
export const LEDGER = 'provisioning_cost_ledger';
/** @internal */
export const MONTHLY = 'provisioning_cost_monthly';
/** @internal */
export const ROLLUP = 'provisioning_cost_rollup';
/** @internal */
export const PRICES = 'provisioning_cost_prices';
/** @internal */
export const STATE = 'provisioning_cost_state';

/** Who a resource's cost is attributed to (entity refs; null when unknown). @internal */
export interface Attribution {
  resourceName: string;
  resourceType: string;
  owner: string;
  component: string | null;
  system: string | null;
  domain: string | null;
}

/** A resource as the accrual reads it from `provisioning_resources`. @internal */
export interface AccrualResource {
  id: string;
  name: string;
  type: string;
  owner: string;
  entityRef: string | null;
  system: string | null;
  monthlyCostUsd: number;
  size: string | null;
}

/** The dimension a cost query groups by. @public */
export type CostGroupBy = 'owner' | 'component' | 'system' | 'domain' | 'resource';

/** Filters of the cost queries (entity refs, exact match). @internal */
export interface CostFilter {
  owner?: string;
  system?: string;
  component?: string;
  domain?: string;
  /** Ledger rows of these resource ids only. */
  resourceIds?: string[];
  /** With `component`: also these resources (what the component depends on). */
  alsoResourceIds?: string[];
}

/** A row of `provisioning_cost_ledger`. @internal */
export interface LedgerRow {
  resource_id: string;
  day: string;
  month: string;
  cost_usd: number;
  billed_hours: number;
  size: string | null;
  monthly_price_usd: number;
  resource_name: string;
  resource_type: string;
  owner: string;
  component: string | null;
  system: string | null;
  domain: string | null;
  demo: boolean;
}

const GROUP_COLUMN: Record<CostGroupBy, string> = {
  owner: 'owner',
  component: 'component',
  system: 'system',
  domain: 'domain',
  resource: 'resource_id',
};

/** Rows per multi-row insert: SQLite compiles them to a compound SELECT of at most 500 terms. */
const SQLITE_CHUNK = 400;
const PG_CHUNK = 2000;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function sizeOf(parameters: string): string | null {
  try {
    const size = JSON.parse(parameters)?.size;
    return typeof size === 'string' ? size : null;
  } catch {
    return null;
  }
}

const LEDGER_COLUMNS: Array<[keyof LedgerRow, string]> = [
  ['resource_id', 'text'], ['day', 'text'], ['month', 'text'], ['cost_usd', 'float8'], ['billed_hours', 'float8'],
  ['size', 'text'], ['monthly_price_usd', 'float8'], ['resource_name', 'text'], ['resource_type', 'text'],
  ['owner', 'text'], ['component', 'text'], ['system', 'text'], ['domain', 'text'], ['demo', 'bool'],
];
const MONTHLY_COLUMNS: Array<[string, string]> = [
  ['resource_id', 'text'], ['month', 'text'], ['cost_usd', 'float8'], ['resource_name', 'text'],
  ['resource_type', 'text'], ['owner', 'text'], ['component', 'text'], ['system', 'text'], ['domain', 'text'],
  ['demo', 'bool'],
];

/**
 * PostgreSQL: one `INSERT … SELECT FROM unnest(arrays) ON CONFLICT (key) DO UPDATE` with one array parameter per
 * column (fixed SQL text, values bound), instead of a statement with a binding per value.
 */
async function pgUpsert(
  tx: Knex,
  table: string,
  columns: Array<[string, string]>,
  key: string[],
  rows: Array<Record<string, unknown>>,
) {
  if (rows.length === 0) return;
  const names = columns.map(([c]) => c);
  const sql = `INSERT INTO ?? (${names.map(() => '??').join(', ')})
    SELECT * FROM unnest(${columns.map(([, t]) => `?::${t}[]`).join(', ')})
    ON CONFLICT (${key.map(() => '??').join(', ')}) DO UPDATE SET ${names
      .filter(c => !key.includes(c))
      .map(() => '?? = excluded.??')
      .join(', ')}`;
  const bindings: unknown[] = [
    table,
    ...names,
    ...columns.map(([c]) => rows.map(r => r[c] ?? null)),
    ...key,
    ...names.filter(c => !key.includes(c)).flatMap(c => [c, c]),
  ];
  await tx.raw(sql, bindings as any);
}

/**
 * The ledger tables: price points, daily rows, monthly roll-up and queries over them.
 * @internal
 */
export class KnexCostStore {
  readonly #db: Knex;
  readonly #chunk: number;
  readonly #pg: boolean;

  constructor(db: Knex) {
    this.#db = db;
    this.#pg = db.client.config.client === 'pg';
    this.#chunk = this.#pg ? PG_CHUNK : SQLITE_CHUNK;
  }

  get db(): Knex {
    return this.#db;
  }

  #applyFilter(q: Knex.QueryBuilder, f: CostFilter) {
    if (f.owner) q.where('owner', f.owner);
    if (f.system) q.where('system', f.system);
    if (f.component && f.alsoResourceIds?.length) {
      q.where(w => w.where('component', f.component!).orWhereIn('resource_id', f.alsoResourceIds!));
    } else if (f.component) q.where('component', f.component);
    if (f.domain) q.where('domain', f.domain);
    if (f.resourceIds) q.whereIn('resource_id', f.resourceIds.length ? f.resourceIds : ['']);
    return q;
  }

  /** Reads a bookkeeping value. */
  async getState(key: string): Promise<string | undefined> {
    const row = await this.#db(STATE).where({ key }).first('value');
    return row?.value;
  }

  /** Writes a bookkeeping value (upsert). */
  async setState(key: string, value: string): Promise<void> {
    await this.#db(STATE).insert({ key, value }).onConflict('key').merge(['value']);
  }

  /**
   * Records the price of every ready, billable resource (or of `ids` only; or of those that became ready at or
   * after `sinceMs` only) as of its latest transition to `ready`; existing points are kept (idempotent, safe on
   * two replicas). Returns how many it saw.
   */
  async capturePrices(ids?: string[], sinceMs?: number): Promise<number> {
    const q = this.#db('provisioning_resources as r')
      .join('provisioning_events as e', 'e.resource_id', 'r.id')
      .where('r.state', 'ready')
      .where('e.to_state', 'ready')
      .whereIn('r.billable', [true])
      .groupBy('r.id', 'r.monthly_cost_usd', 'r.parameters')
      .select('r.id', 'r.monthly_cost_usd', 'r.parameters')
      .max({ at: 'e.at' });
    if (ids) q.whereIn('r.id', ids);
    if (sinceMs !== undefined) q.where('e.at', '>=', sinceMs);
    const rows: Array<{ id: string; monthly_cost_usd: number | string; parameters: string; at: number | string }> =
      (await q) as any[];
    for (const part of chunks(rows, this.#chunk)) {
      await this.#db(PRICES)
        .insert(
          part.map(r => ({
            resource_id: r.id,
            effective_at: Number(r.at),
            monthly_cost_usd: Number(r.monthly_cost_usd),
            size: sizeOf(r.parameters),
          })),
        )
        .onConflict(['resource_id', 'effective_at'])
        .ignore();
    }
    return rows.length;
  }

  /**
   * Ids of the resources whose ledger may change from `sinceMs` on: billable now, or changed since then
   * (e.g. deleted). Without `sinceMs`: every resource that ever became ready (backfill).
   */
  async accrualCandidates(sinceMs?: number): Promise<string[]> {
    if (sinceMs === undefined) {
      const rows = await this.#db('provisioning_events')
        .where('to_state', 'ready')
        .distinct('resource_id');
      return rows.map(r => r.resource_id);
    }
    const rows = await this.#db('provisioning_resources')
      .whereIn('billable', [true])
      .orWhere('updated_at', '>=', sinceMs)
      .select('id');
    return rows.map(r => r.id);
  }

  /** The resources, their transitions and price points, for the accrual. */
  async loadHistory(ids: string[]): Promise<
    Map<string, { resource: AccrualResource; events: LedgerEvent[]; prices: PricePoint[] }>
  > {
    const out = new Map<string, { resource: AccrualResource; events: LedgerEvent[]; prices: PricePoint[] }>();
    const resources = await this.#db('provisioning_resources')
      .whereIn('id', ids)
      .select('id', 'name', 'type', 'owner', 'entity_ref', 'system', 'monthly_cost_usd', 'parameters');
    for (const r of resources) {
      out.set(r.id, {
        resource: {
          id: r.id,
          name: r.name,
          type: r.type,
          owner: r.owner,
          entityRef: r.entity_ref,
          system: r.system,
          monthlyCostUsd: Number(r.monthly_cost_usd),
          size: sizeOf(r.parameters),
        },
        events: [],
        prices: [],
      });
    }
    const events = await this.#db('provisioning_events')
      .whereIn('resource_id', ids)
      .whereNotNull('to_state')
      .select('resource_id', 'at', 'from_state', 'to_state');
    for (const e of events) {
      out.get(e.resource_id)?.events.push({ at: Number(e.at), fromState: e.from_state, toState: e.to_state });
    }
    const prices = await this.#db(PRICES).whereIn('resource_id', ids).select();
    for (const p of prices) {
      out.get(p.resource_id)?.prices.push({
        at: Number(p.effective_at),
        monthlyCostUsd: Number(p.monthly_cost_usd),
        size: p.size,
      });
    }
    return out;
  }

  /**
   * Writes the ledger days of `resources` from `fromDay` on (upserts), or replaces all their days without it,
   * and recomputes their monthly rows from that month on. One transaction; upserts, so that two replicas
   * accruing at once converge on the same rows.
   */
  async writeDays(
    entries: Array<{ resourceId: string; attribution: Attribution; days: LedgerDay[]; demo?: boolean }>,
    fromDay?: string,
  ): Promise<number> {
    if (entries.length === 0) return 0;
    const ids = entries.map(e => e.resourceId);
    const fromMonth = fromDay?.slice(0, 7);
    let written = 0;
    await this.#db.transaction(async tx => {
      // a full recompute replaces everything; a window only upserts (a day once billed never stops being billed:
      // events are appended, never rewritten)
      if (!fromDay) await tx(LEDGER).whereIn('resource_id', ids).delete();
      const rows: LedgerRow[] = entries.flatMap(e =>
        e.days.map(d => ({
          resource_id: e.resourceId,
          day: d.day,
          month: d.month,
          cost_usd: d.costUsd,
          billed_hours: d.billedHours,
          size: d.size,
          monthly_price_usd: d.monthlyPriceUsd,
          resource_name: e.attribution.resourceName,
          resource_type: e.attribution.resourceType,
          owner: e.attribution.owner,
          component: e.attribution.component,
          system: e.attribution.system,
          domain: e.attribution.domain,
          demo: Boolean(e.demo),
        })),
      );
      written = rows.length;
      if (this.#pg) {
        await pgUpsert(tx, LEDGER, LEDGER_COLUMNS, ['resource_id', 'day'], rows as unknown as Array<Record<string, unknown>>);
      } else {
        for (const part of chunks(rows, this.#chunk)) {
          await tx(LEDGER).insert(part).onConflict(['resource_id', 'day']).merge();
        }
      }
      // monthly roll-up of the months touched
      const sumsQ = tx(LEDGER)
        .whereIn('resource_id', ids)
        .groupBy('resource_id', 'month')
        .select('resource_id', 'month')
        .sum({ usd: 'cost_usd' });
      // a range on the primary key (resource_id, day), not a filter over every day of the resources
      if (fromMonth) sumsQ.where('day', '>=', `${fromMonth}-01`);
      const sums: Array<{ resource_id: string; month: string; usd: number | string }> = (await sumsQ) as any[];
      if (!fromMonth) await tx(MONTHLY).whereIn('resource_id', ids).delete();
      const byId = new Map(entries.map(e => [e.resourceId, e]));
      const monthly = sums.map(s => {
        const e = byId.get(s.resource_id)!;
        return {
          resource_id: s.resource_id,
          month: s.month,
          cost_usd: Number(s.usd),
          resource_name: e.attribution.resourceName,
          resource_type: e.attribution.resourceType,
          owner: e.attribution.owner,
          component: e.attribution.component,
          system: e.attribution.system,
          domain: e.attribution.domain,
          demo: Boolean(e.demo),
        };
      });
      if (this.#pg) {
        await pgUpsert(tx, MONTHLY, MONTHLY_COLUMNS, ['resource_id', 'month'], monthly);
      } else {
        for (const part of chunks(monthly, this.#chunk)) {
          await tx(MONTHLY).insert(part).onConflict(['resource_id', 'month']).merge();
        }
      }
    });
    return written;
  }

  /**
   * Rebuilds the roll-up per owner/component/system/domain of months from `fromMonth` on (all without it) from the
   * monthly rows, in one transaction (PostgreSQL: with the table locked, so two replicas never both insert).
   */
  async rebuildRollup(fromMonth?: string): Promise<void> {
    await this.#db.transaction(async tx => {
      if (this.#db.client.config.client === 'pg') {
        await tx.raw(`LOCK TABLE ${ROLLUP} IN EXCLUSIVE MODE`);
      }
      const del = tx(ROLLUP);
      if (fromMonth) del.where('month', '>=', fromMonth);
      await del.delete();
      const select = tx(MONTHLY)
        .groupBy('month', 'owner', 'component', 'system', 'domain')
        .select('month', 'owner', 'component', 'system', 'domain')
        .sum({ cost_usd: 'cost_usd' })
        .select(tx.raw('sum(case when demo then 1 else 0 end) as demo_rows'));
      if (fromMonth) select.where('month', '>=', fromMonth);
      await tx
        .into(tx.raw('?? (??, ??, ??, ??, ??, ??, ??)', [ROLLUP, 'month', 'owner', 'component', 'system', 'domain', 'cost_usd', 'demo_rows']))
        .insert(select);
    });
  }

  /** Ledger days of one resource (tests, drill-down). */
  async days(resourceId: string): Promise<LedgerRow[]> {
    const rows = await this.#db(LEDGER).where({ resource_id: resourceId }).orderBy('day').select();
    return rows.map(r => ({ ...r, cost_usd: Number(r.cost_usd), billed_hours: Number(r.billed_hours), monthly_price_usd: Number(r.monthly_price_usd), demo: Boolean(r.demo) }));
  }

  /** Whether any demo rows exist. */
  async hasDemo(): Promise<boolean> {
    const row = await this.#db(MONTHLY).whereIn('demo', [true]).first('resource_id');
    return Boolean(row);
  }

  /** Sum of cost per group key and month, months `from`..`to` (`YYYY-MM`, inclusive). */
  async costByMonth(options: {
    groupBy: CostGroupBy;
    from: string;
    to: string;
    filter: CostFilter;
  }): Promise<Array<{ key: string | null; month: string; usd: number; title?: string; demo: boolean }>> {
    const col = GROUP_COLUMN[options.groupBy];
    const f = options.filter;
    if (options.groupBy !== 'resource' && !f.resourceIds && !f.alsoResourceIds?.length) {
      // the roll-up per owner/component/system/domain: ~10^4 rows instead of one per resource and month
      const rq = this.#db(ROLLUP)
        .where('month', '>=', options.from)
        .where('month', '<=', options.to)
        .groupBy(col, 'month')
        .select({ key: col, month: 'month' })
        .sum({ usd: 'cost_usd' })
        .sum({ demo: 'demo_rows' });
      this.#applyFilter(rq, f);
      return (await rq).map((r: any) => ({ key: r.key, month: r.month, usd: Number(r.usd), demo: Number(r.demo) > 0 }));
    }
    const q = this.#db(MONTHLY)
      .where('month', '>=', options.from)
      .where('month', '<=', options.to)
      .groupBy(col, 'month')
      .select({ key: col, month: 'month' })
      .sum({ usd: 'cost_usd' })
      // demo as an integer so that max() works on both databases
      .select(this.#db.raw('max(case when demo then 1 else 0 end) as demo'));
    if (options.groupBy === 'resource') {
      q.max({ title_name: 'resource_name', title_type: 'resource_type' });
    }
    this.#applyFilter(q, options.filter);
    const rows = await q;
    return rows.map((r: any) => ({
      key: r.key,
      month: r.month,
      usd: Number(r.usd),
      demo: Number(r.demo) === 1,
      ...(options.groupBy === 'resource' ? { title: `${r.title_type}/${r.title_name}` } : {}),
    }));
  }

  /** The most expensive resources of a month. */
  async topResources(month: string, filter: CostFilter, limit: number) {
    const q = this.#db(MONTHLY)
      .where('month', month)
      .orderBy([{ column: 'cost_usd', order: 'desc' }, { column: 'resource_id' }])
      .limit(limit)
      .select('resource_id', 'resource_name', 'resource_type', 'owner', 'component', 'system', 'domain', 'cost_usd', 'demo');
    this.#applyFilter(q, filter);
    return (await q).map((r: any) => ({ ...r, cost_usd: Number(r.cost_usd), demo: Boolean(r.demo) }));
  }

  /** Total of a month. */
  async monthTotal(month: string, filter: CostFilter): Promise<number> {
    const table = filter.resourceIds || filter.alsoResourceIds?.length ? MONTHLY : ROLLUP;
    const q = this.#db(table).where('month', month).sum({ usd: 'cost_usd' });
    this.#applyFilter(q, filter);
    const [row] = await q;
    return Number(row?.usd ?? 0);
  }

  /**
   * Resources billed on `day` that are still live (real ones billable now, demo ones by their ledger), with
   * their price in USD/month: the base of the forecast.
   */
  async liveOn(day: string, filter: CostFilter): Promise<Array<{ resourceId: string; monthlyPriceUsd: number }>> {
    const q = this.#db(`${LEDGER} as l`)
      .leftJoin('provisioning_resources as r', 'r.id', 'l.resource_id')
      .where('l.day', day)
      .where(w => w.whereIn('l.demo', [true]).orWhereIn('r.billable', [true]))
      .select({ resource_id: 'l.resource_id', price: 'l.monthly_price_usd' });
    if (filter.owner) q.where('l.owner', filter.owner);
    if (filter.system) q.where('l.system', filter.system);
    if (filter.component && filter.alsoResourceIds?.length) {
      q.where(w => w.where('l.component', filter.component!).orWhereIn('l.resource_id', filter.alsoResourceIds!));
    } else if (filter.component) q.where('l.component', filter.component);
    if (filter.domain) q.where('l.domain', filter.domain);
    if (filter.resourceIds) q.whereIn('l.resource_id', filter.resourceIds.length ? filter.resourceIds : ['']);
    return (await q).map((r: any) => ({ resourceId: r.resource_id, monthlyPriceUsd: Number(r.price) }));
  }

  /** Ledger days between two days (inclusive), for the export, in pages. */
  async *exportDays(fromDay: string, toDay: string, filter: CostFilter, pageSize = 5000): AsyncGenerator<LedgerRow[]> {
    let after: [string, string] | undefined;
    for (;;) {
      const q = this.#db(LEDGER)
        .where('day', '>=', fromDay)
        .where('day', '<=', toDay)
        .orderBy([{ column: 'day' }, { column: 'resource_id' }])
        .limit(pageSize)
        .select();
      this.#applyFilter(q, filter);
      if (after) {
        const [d, id] = after;
        q.where(w => w.where('day', '>', d).orWhere(w2 => w2.where('day', d).where('resource_id', '>', id)));
      }
      const rows: LedgerRow[] = (await q).map((r: any) => ({
        ...r,
        cost_usd: Number(r.cost_usd),
        billed_hours: Number(r.billed_hours),
        monthly_price_usd: Number(r.monthly_price_usd),
        demo: Boolean(r.demo),
      }));
      if (rows.length === 0) return;
      yield rows;
      if (rows.length < pageSize) return;
      const last = rows[rows.length - 1];
      after = [last.day, last.resource_id];
    }
  }

  /** Current monthly run rate (USD/month) of an owner's live and pending resources (budgets). */
  async ownerRunRate(owner: string, excludeResourceId?: string): Promise<number> {
    const q = this.#db('provisioning_resources')
      .where('owner', owner)
      .whereNot('state', 'deleted')
      .whereNot(w => w.where('state', 'failed').whereIn('billable', [false]))
      .sum({ usd: 'monthly_cost_usd' });
    if (excludeResourceId) q.whereNot('id', excludeResourceId);
    const [row] = await q;
    return Number(row?.usd ?? 0);
  }
}
