/**
 * The cost ledger's arithmetic: billed segments from a resource's lifecycle events, and daily rows from them.
 *
 * Rules (issue 13):
 * - A resource is billed only while its infrastructure exists: from the event that takes it to `ready` for the
 *   first time (the create succeeded) until the event that takes it to `deleted`. A resource that never became
 *   ready (awaiting approval then rejected, a failed create, a request deleted before it was created) costs
 *   nothing. A failed update or delete leaves the infrastructure in place, so billing goes on.
 * - Each later transition to `ready` (an update or repair completed) closes the current segment and opens one
 *   at the price then in effect: a resize mid-day splits that day exactly.
 * - The price of a segment is the latest price point recorded at or before its start (the resource's USD/month
 *   price when it became ready at a size, see `provisioning_cost_prices`); without any, the resource's current
 *   `monthly_cost_usd` (history from before the ledger existed).
 * - Proration: prices are in USD per calendar month. A span of `s` seconds inside a month of `d` days costs
 *   `price * s / (d * 86400)`: a resource billed for a whole month costs exactly its monthly price, a whole day
 *   costs `price / d` (1/31 of it in December, 1/28 in a February of a common year). Days are UTC days.
 *
 * @packageDocumentation
 */

const DAY_MS = 86_400_000;

/** A lifecycle transition of a resource as stored in `provisioning_events`. @internal */
export interface LedgerEvent {
  /** Epoch ms. */
  at: number;
  fromState?: string | null;
  toState?: string | null;
}

/** A price in effect from `at` (epoch ms), in USD/month. @internal */
export interface PricePoint {
  at: number;
  monthlyCostUsd: number;
  size?: string | null;
}

/** A span `[start, end)` (epoch ms) billed at one price (USD/month). @internal */
export interface BilledSegment {
  start: number;
  end: number;
  monthlyCostUsd: number;
  size?: string | null;
}

/** One UTC day of one resource. @internal */
export interface LedgerDay {
  /** `YYYY-MM-DD` (UTC). */
  day: string;
  /** `YYYY-MM` (UTC). */
  month: string;
  /** USD, unrounded. */
  costUsd: number;
  /** Hours of the day billed. */
  billedHours: number;
  /** Size and price (USD/month) of the day's last segment. */
  size: string | null;
  monthlyPriceUsd: number;
}

/**
 * The billed segments of one resource up to `until` (epoch ms; an open segment ends there), from its events
 * in any order and its price points. See the module docs for the rules.
 * @internal
 */
export function billedSegments(options: {
  events: LedgerEvent[];
  prices: PricePoint[];
  /** Price when no price point applies (USD/month). */
  fallbackMonthlyCostUsd: number;
  fallbackSize?: string | null;
  until: number;
}): BilledSegment[] {
  const events = [...options.events]
    .filter(e => e.toState && e.toState !== e.fromState)
    .sort((a, b) => a.at - b.at);
  const prices = [...options.prices].sort((a, b) => a.at - b.at);
  const priceAt = (at: number): PricePoint => {
    let found: PricePoint | undefined;
    for (const p of prices) {
      if (p.at <= at) found = p;
      else break;
    }
    return (
      found ?? {
        at,
        monthlyCostUsd: options.fallbackMonthlyCostUsd,
        size: options.fallbackSize ?? null,
      }
    );
  };
  const segments: BilledSegment[] = [];
  let open: BilledSegment | undefined;
  const close = (at: number) => {
    if (open) {
      const end = Math.min(at, options.until);
      if (end > open.start) segments.push({ ...open, end });
      open = undefined;
    }
  };
  for (const e of events) {
    if (e.at >= options.until) break;
    if (e.toState === 'ready') {
      close(e.at);
      const p = priceAt(e.at);
      open = { start: e.at, end: e.at, monthlyCostUsd: p.monthlyCostUsd, size: p.size ?? null };
    } else if (e.toState === 'deleted') {
      close(e.at);
    }
  }
  close(options.until);
  return segments;
}

/** `YYYY-MM-DD` of an epoch ms (UTC). @internal */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Epoch ms of the start of a `YYYY-MM-DD` (UTC). @internal */
export function dayStart(day: string): number {
  return Date.parse(`${day}T00:00:00.000Z`);
}

/** Days in the UTC month of an epoch ms. @internal */
export function daysInMonthOf(ms: number): number {
  const d = new Date(ms);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
}

/**
 * Cost in USD of `[start, end)` at `monthlyCostUsd`, prorated by the seconds in each UTC calendar month it
 * covers (`price * seconds / (days in month * 86400)`).
 * @internal
 */
export function proratedCost(start: number, end: number, monthlyCostUsd: number): number {
  let cost = 0;
  let t = start;
  while (t < end) {
    const d = new Date(t);
    const monthEnd = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    const stop = Math.min(end, monthEnd);
    cost += (monthlyCostUsd * (stop - t)) / (daysInMonthOf(t) * DAY_MS);
    t = stop;
  }
  return cost;
}

/**
 * The ledger days of billed segments, restricted to days from `fromDay` (inclusive, `YYYY-MM-DD`) if given.
 * A day appears when any part of it was billed; its cost is the sum over its segments.
 * @internal
 */
export function ledgerDays(segments: BilledSegment[], fromDay?: string): LedgerDay[] {
  const byDay = new Map<string, LedgerDay>();
  const from = fromDay ? dayStart(fromDay) : -Infinity;
  for (const s of [...segments].sort((a, b) => a.start - b.start)) {
    let t = Math.max(s.start, from);
    while (t < s.end) {
      const day = dayOf(t);
      const stop = Math.min(s.end, dayStart(day) + DAY_MS);
      const entry = byDay.get(day) ?? {
        day,
        month: day.slice(0, 7),
        costUsd: 0,
        billedHours: 0,
        size: null,
        monthlyPriceUsd: 0,
      };
      entry.costUsd += (s.monthlyCostUsd * (stop - t)) / (daysInMonthOf(t) * DAY_MS);
      entry.billedHours += (stop - t) / 3_600_000;
      entry.size = s.size ?? null;
      entry.monthlyPriceUsd = s.monthlyCostUsd;
      byDay.set(day, entry);
      t = stop;
    }
  }
  return [...byDay.values()].sort((a, b) => a.day.localeCompare(b.day));
}
