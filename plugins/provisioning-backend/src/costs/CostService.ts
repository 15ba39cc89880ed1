import { InputError } from '@backstage/errors';
import type { CostItem, MonthlyCost } from '@paved/backstage-plugin-provisioning-common';
import { ACCRUED_AT } from './CostAccrual';
import type { TeamBudget } from './config';
import type { CostFilter, CostGroupBy, KnexCostStore, LedgerRow } from './KnexCostStore';
import { dayOf, daysInMonthOf } from './ledger';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const GROUP_BYS: CostGroupBy[] = ['owner', 'component', 'system', 'domain', 'resource'];

export type { CostItem, MonthlyCost };

const cents = (usd: number) => Math.round(usd * 100) / 100;

/** Months `from`..`to` inclusive; 400 when malformed, reversed or longer than 36 months. @internal */
export function monthRange(from: string, to: string): string[] {
  for (const [name, v] of [['from', from], ['to', to]]) {
    if (!MONTH.test(v)) throw new InputError(`${name} must be a month as YYYY-MM, got '${v}'`);
  }
  const [fy, fm] = from.split('-').map(Number);
  const [ty, tm] = to.split('-').map(Number);
  const count = (ty - fy) * 12 + (tm - fm) + 1;
  if (count < 1) throw new InputError(`from (${from}) must not be after to (${to})`);
  if (count > 36) throw new InputError(`At most 36 months at once; ${from}..${to} is ${count}`);
  return Array.from({ length: count }, (_, i) => {
    const d = new Date(Date.UTC(fy, fm - 1 + i, 1));
    return d.toISOString().slice(0, 7);
  });
}

function csvCell(v: string | number): string {
  let s = String(v);
  // spreadsheet formula injection
  if (/^[=+\-@\t\r]/.test(s) && typeof v === 'string') s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The FOCUS columns of the CSV export (FinOps Open Cost and Usage Specification). @public */
export const FOCUS_COLUMNS = [
  'BilledCost',
  'EffectiveCost',
  'BillingCurrency',
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'ChargeCategory',
  'ResourceId',
  'ResourceName',
  'ResourceType',
  'ServiceName',
  'SubAccountId',
  'SubAccountName',
  'Tags',
] as const;

/**
 * Showback over the cost ledger: cost per owner/component/system/domain/resource per month, this month so far
 * with a forecast to month end, top resources, the FOCUS CSV export, and the budget check of requests.
 * @internal
 */
export class CostService {
  readonly #store: KnexCostStore;
  readonly #now: () => number;
  readonly #budgets: Map<string, number>;

  constructor(options: { store: KnexCostStore; budgets?: TeamBudget[]; now?: () => number }) {
    this.#store = options.store;
    this.#now = options.now ?? Date.now;
    this.#budgets = new Map((options.budgets ?? []).map(b => [b.owner, b.monthlyUsd]));
  }

  /** Cost per group key per month; keys sorted by total, highest first. */
  async costs(options: { groupBy?: string; from?: string; to?: string; filter: CostFilter }): Promise<{
    months: string[];
    items: CostItem[];
    demo: boolean;
  }> {
    const groupBy = (options.groupBy ?? 'owner') as CostGroupBy;
    if (!GROUP_BYS.includes(groupBy)) {
      throw new InputError(`groupBy must be one of ${GROUP_BYS.join(', ')}`);
    }
    const current = dayOf(this.#now()).slice(0, 7);
    const to = options.to ?? current;
    const from =
      options.from ??
      (() => {
        const [y, m] = to.split('-').map(Number);
        return new Date(Date.UTC(y, m - 12, 1)).toISOString().slice(0, 7); // 12 months with this one
      })();
    const months = monthRange(from, to);
    const rows = await this.#store.costByMonth({ groupBy, from, to, filter: options.filter });
    const byKey = new Map<string, { title?: string; usd: Map<string, number> }>();
    let demo = false;
    for (const r of rows) {
      const key = r.key ?? 'none';
      const entry = byKey.get(key) ?? { title: r.title, usd: new Map() };
      entry.usd.set(r.month, (entry.usd.get(r.month) ?? 0) + r.usd);
      byKey.set(key, entry);
      demo ||= r.demo;
    }
    const items = [...byKey.entries()]
      .map(([key, e]) => {
        const monthlyCostUsd = months.map(month => ({ month, usd: cents(e.usd.get(month) ?? 0) }));
        return {
          key,
          ...(e.title || key === 'none' ? { title: e.title ?? 'Not attributed' } : {}),
          monthlyCostUsd,
          totalUsd: cents([...e.usd.values()].reduce((a, b) => a + b, 0)),
        };
      })
      .sort((a, b) => b.totalUsd - a.totalUsd || a.key.localeCompare(b.key));
    return { months, items, demo };
  }

  /**
   * This month so far (the ledger up to its last accrual) and the forecast to month end: so far plus, for every
   * resource still live at the last accrual, its price (USD/month) prorated over the rest of the month.
   */
  async summary(filter: CostFilter, topLimit = 10) {
    const now = this.#now();
    const month = dayOf(now).slice(0, 7);
    const accruedAt = Number((await this.#store.getState(ACCRUED_AT)) ?? now);
    const soFar = await this.#store.monthTotal(month, filter);
    const [y, m] = month.split('-').map(Number);
    const monthEnd = Date.UTC(y, m, 1);
    const rest = Math.max(0, monthEnd - Math.max(accruedAt, Date.UTC(y, m - 1, 1)));
    const live = await this.#store.liveOn(dayOf(Math.min(accruedAt, monthEnd - 1)), filter);
    const monthMs = daysInMonthOf(now) * 86_400_000;
    const forecast = soFar + live.reduce((s, r) => s + (r.monthlyPriceUsd * rest) / monthMs, 0);
    const top = await this.#store.topResources(month, filter, topLimit);
    return {
      month,
      soFarUsd: cents(soFar),
      forecastUsd: cents(forecast),
      accruedAt: new Date(accruedAt).toISOString(),
      demo: top.some(t => t.demo),
      topResources: top.map(t => ({
        resourceId: t.resource_id,
        title: `${t.resource_type}/${t.resource_name}`,
        owner: t.owner,
        ...(t.component ? { component: t.component } : {}),
        ...(t.system ? { system: t.system } : {}),
        usd: cents(t.cost_usd),
        demo: t.demo,
      })),
    };
  }

  /** The ledger days of months `from`..`to` as CSV lines in FOCUS columns (header first). */
  async *exportCsv(options: { from?: string; to?: string; filter: CostFilter }): AsyncGenerator<string> {
    const current = dayOf(this.#now()).slice(0, 7);
    const to = options.to ?? current;
    const from = options.from ?? to;
    const months = monthRange(from, to);
    const [ty, tm] = months[months.length - 1].split('-').map(Number);
    const lastDay = new Date(Date.UTC(ty, tm, 0)).toISOString().slice(0, 10);
    yield `${FOCUS_COLUMNS.join(',')}\n`;
    for await (const page of this.#store.exportDays(`${months[0]}-01`, lastDay, options.filter)) {
      yield page.map(r => `${this.#focusLine(r)}\n`).join('');
    }
  }

  #focusLine(r: LedgerRow): string {
    const start = `${r.day}T00:00:00Z`;
    const end = new Date(Date.parse(start) + 86_400_000).toISOString().replace('.000Z', 'Z');
    const cost = r.cost_usd.toFixed(6);
    const tags: Record<string, string> = {};
    if (r.component) tags.component = r.component;
    if (r.system) tags.system = r.system;
    if (r.domain) tags.domain = r.domain;
    if (r.size) tags.size = r.size;
    if (r.demo) tags['paved.dev/demo-data'] = 'true';
    return [
      cost,
      cost,
      'USD',
      start,
      end,
      'Usage',
      r.resource_id,
      r.resource_name,
      r.resource_type,
      r.resource_type,
      r.owner,
      r.owner.replace(/^group:[^/]+\//, ''),
      JSON.stringify(tags),
    ]
      .map(csvCell)
      .join(',');
  }

  /**
   * The budget check of a request or resize: whether the owner's monthly run rate (its live and pending
   * resources at their prices, USD/month) with this change would exceed its budget
   * (`provisioning.budgets`). Undefined when the owner has no budget.
   */
  async budgetCheck(options: {
    owner: string;
    /** Price of the requested size, USD/month. */
    monthlyCostUsd: number;
    /** For a resize: the resource, whose current price is replaced. */
    resourceId?: string;
  }): Promise<
    | { owner: string; budgetUsd: number; currentUsd: number; projectedUsd: number; exceeded: boolean }
    | undefined
  > {
    const budget = this.#budgets.get(options.owner);
    if (budget === undefined) return undefined;
    const current = await this.#store.ownerRunRate(options.owner);
    const others = options.resourceId
      ? await this.#store.ownerRunRate(options.owner, options.resourceId)
      : current;
    const projected = others + options.monthlyCostUsd;
    return {
      owner: options.owner,
      budgetUsd: budget,
      currentUsd: cents(current),
      projectedUsd: cents(projected),
      exceeded: projected > budget && projected > current,
    };
  }
}
