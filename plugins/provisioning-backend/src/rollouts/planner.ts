import { InputError } from '@backstage/errors';

/** Default wave sizes: a 5 % canary, then 25 %, then the rest. @internal */
export const DEFAULT_WAVE_PERCENTS = [5, 25];

/** A resource to place in a wave. @internal */
export interface PlanCandidate {
  id: string;
  name: string;
  owner: string;
}

/** The waves of a plan: resources per wave, in order, with a display name each. @internal */
export interface RolloutPlan<T extends PlanCandidate> {
  waves: Array<{ name: string; resources: T[] }>;
}

/**
 * Splits the resources into waves.
 *
 * - `percent`: wave i takes `ceil(n * percents[i] / 100)` resources (at least one), the last wave takes the rest;
 *   waves left empty are dropped. So 500 resources with [5, 25] make waves of 25, 125 and 350; 3 resources make
 *   1, 1, 1; one resource makes one wave. Resources are ordered by id (random UUIDs), which spreads the canary
 *   over owners.
 * - `owner`: one wave per owner, owners with the fewest resources first (a small canary), then by name.
 *
 * Throws `InputError` for percentages that are not integers between 1 and 99 or add up to 100 or more.
 * @internal
 */
export function planWaves<T extends PlanCandidate>(
  resources: T[],
  options: { strategy: 'percent' | 'owner'; percents?: number[] },
): RolloutPlan<T> {
  if (options.strategy === 'owner') {
    const byOwner = new Map<string, T[]>();
    for (const r of [...resources].sort((a, b) => a.name.localeCompare(b.name))) {
      byOwner.set(r.owner, [...(byOwner.get(r.owner) ?? []), r]);
    }
    const owners = [...byOwner.keys()].sort(
      (a, b) => byOwner.get(a)!.length - byOwner.get(b)!.length || a.localeCompare(b),
    );
    return { waves: owners.map(owner => ({ name: owner, resources: byOwner.get(owner)! })) };
  }
  const percents = options.percents ?? DEFAULT_WAVE_PERCENTS;
  if (percents.some(p => !Number.isInteger(p) || p < 1 || p > 99)) {
    throw new InputError('waves must be integers between 1 and 99 (percent of the resources per wave)');
  }
  if (percents.reduce((a, b) => a + b, 0) >= 100) {
    throw new InputError('waves must add up to less than 100 percent: the last wave takes the rest');
  }
  const ordered = [...resources].sort((a, b) => a.id.localeCompare(b.id));
  const n = ordered.length;
  const waves: RolloutPlan<T>['waves'] = [];
  let start = 0;
  for (const p of percents) {
    if (start >= n) break;
    const size = Math.max(1, Math.ceil((n * p) / 100));
    const end = Math.min(n, start + size);
    waves.push({ name: '', resources: ordered.slice(start, end) });
    start = end;
  }
  if (start < n) waves.push({ name: '', resources: ordered.slice(start) });
  waves.forEach((w, i) => {
    w.name = percentWaveName(i, waves.length);
  });
  return { waves };
}

/** The name of wave `index` (0-based) of `count` percent waves: `canary`, `wave 2`, …, `rest`. @internal */
export function percentWaveName(index: number, count: number): string {
  if (index === 0 && count > 1) return 'canary';
  if (index === count - 1 && index > 0) return 'rest';
  return `wave ${index + 1}`;
}
