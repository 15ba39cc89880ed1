import type {
  Recommendation,
  Resource,
  ResourceType,
} from '@paved/backstage-plugin-provisioning-common';
import { dayBefore, type UtilisationDay } from '../utilisation/KnexUtilisationStore';
import type { RightsizingConfig } from './config';

/** A rightsizing proposal; see the common package's `Recommendation`. @internal */
export type { Recommendation };

const max = (values: Array<number | undefined>): number | undefined => {
  const defined = values.filter((v): v is number => typeof v === 'number');
  return defined.length > 0 ? Math.max(...defined) : undefined;
};

/** Bytes in words (binary units), e.g. `1.5 MiB`. @internal */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : Number(value.toFixed(1))} ${units[unit]}`;
}

/**
 * The rightsizing rule, as a pure function of a resource, its type, its daily utilisation peaks and today.
 *
 * - The window is the last `windowDays` UTC days, today included. Only days sampled at the resource's current
 *   `size` count (a resize starts the measurement again); the first day of the window must be sampled (it was
 *   measured over the whole window) and at least `minSampledDays` days must be.
 * - Peaks over the window: connections (PostgreSQL), memory and keys (Redis); capacity per size as the driver
 *   reports it.
 * - **Idle**: no connection at any sample (when connections are measured) and no key (when memory is measured).
 * - **Oversized / idle resize**: the cheapest size priced below the current one whose capacity holds the peak
 *   at no more than `targetUtilisation` of it, for every measured figure:
 *   `peak <= targetUtilisation x capacity(size)`.
 * - **Saving** (USD/month) = `pricing[current] - pricing[recommended]`; for an idle resource at the cheapest
 *   size the proposal is to delete it, saving `pricing[current]`.
 *
 * Returns undefined when the resource is not `ready`, has a pending change, has no priced size, was not
 * measured long enough, or no cheaper size fits.
 * @internal
 */
export function recommend(input: {
  resource: Resource;
  type: Pick<ResourceType, 'pricing'>;
  days: UtilisationDay[];
  /** Today, UTC, `YYYY-MM-DD`. */
  today: string;
  config: Pick<RightsizingConfig, 'windowDays' | 'minSampledDays' | 'targetUtilisation'>;
}): Recommendation | undefined {
  const { resource: r, type, today, config } = input;
  const size = r.parameters?.size;
  if (r.state !== 'ready' || r.pendingChange || typeof size !== 'string') return undefined;
  const price = type.pricing[size];
  if (typeof price !== 'number') return undefined;
  const from = dayBefore(today, config.windowDays - 1);
  const rows = input.days
    .filter(d => d.resourceId === r.id && d.size === size && d.day >= from && d.day <= today)
    .sort((a, b) => a.day.localeCompare(b.day));
  const sampledDays = new Set(rows.map(d => d.day)).size;
  if (rows.length === 0 || rows[0].day !== from || sampledDays < config.minSampledDays) {
    return undefined;
  }
  const last = rows[rows.length - 1];
  const peakConnections = max(rows.map(d => d.peakConnections));
  const peakMemoryBytes = max(rows.map(d => d.peakMemoryBytes));
  const maxKeys = max(rows.map(d => d.maxKeys));
  const maxStorageBytes = max(rows.map(d => d.maxStorageBytes));
  const connectionLimit = [...rows].reverse().find(d => d.connectionLimit !== undefined)?.connectionLimit;
  const memoryLimitBytes = [...rows].reverse().find(d => d.memoryLimitBytes !== undefined)?.memoryLimitBytes;
  const capacity = [...rows].reverse().find(d => d.capacity)?.capacity ?? last.capacity ?? {};
  if (peakConnections === undefined && peakMemoryBytes === undefined) return undefined;

  const idle =
    (peakConnections === undefined || peakConnections === 0) &&
    (peakMemoryBytes === undefined || (maxKeys ?? 0) === 0);
  const fits = (candidate: string) => {
    const c = capacity[candidate];
    if (!c) return false;
    if (peakConnections !== undefined) {
      if (c.connections === undefined || peakConnections > config.targetUtilisation * c.connections) return false;
    }
    if (peakMemoryBytes !== undefined) {
      if (c.memoryBytes === undefined || peakMemoryBytes > config.targetUtilisation * c.memoryBytes) return false;
    }
    return true;
  };
  const cheaper = Object.entries(type.pricing)
    .filter(([s, p]) => s !== size && typeof p === 'number' && p < price)
    .sort((a, b) => a[1] - b[1]);
  const target = cheaper.find(([s]) => fits(s));

  const usage: string[] = [];
  if (peakConnections !== undefined) {
    usage.push(
      `peak ${peakConnections}${connectionLimit !== undefined ? ` of ${connectionLimit}` : ''} connections`,
    );
  }
  if (peakMemoryBytes !== undefined) {
    usage.push(
      `peak ${formatBytes(peakMemoryBytes)}${
        memoryLimitBytes !== undefined ? ` of ${formatBytes(memoryLimitBytes)}` : ''
      } memory (${maxKeys ?? 0} keys)`,
    );
  }
  const evidenceText = `${idle ? 'idle, ' : ''}${usage.join(' and ')} over ${config.windowDays} days`;
  const evidence: Recommendation['evidence'] = {
    windowDays: config.windowDays,
    from,
    to: today,
    sampledDays,
    ...(peakConnections !== undefined ? { peakConnections } : {}),
    ...(connectionLimit !== undefined ? { connectionLimit } : {}),
    ...(peakMemoryBytes !== undefined ? { peakMemoryBytes } : {}),
    ...(memoryLimitBytes !== undefined ? { memoryLimitBytes } : {}),
    ...(maxKeys !== undefined ? { maxKeys } : {}),
    ...(maxStorageBytes !== undefined ? { maxStorageBytes } : {}),
    demo: rows.some(d => d.demo),
  };
  const base = {
    resourceId: r.id,
    resourceName: r.name,
    type: r.type,
    owner: r.owner,
    ...(r.entityRef ? { entityRef: r.entityRef } : {}),
    kind: idle ? ('idle' as const) : ('oversized' as const),
    currentSize: size,
    currentMonthlyCostUsd: price,
    evidence,
  };
  if (target) {
    const saving = price - target[1];
    return {
      ...base,
      action: 'resize',
      recommendedSize: target[0],
      recommendedMonthlyCostUsd: target[1],
      monthlySavingUsd: saving,
      message: `${size} -> ${target[0]} saves $${saving.toFixed(2)}/month: ${evidenceText}`,
    };
  }
  if (idle && price > 0 && cheaper.length === 0) {
    return {
      ...base,
      action: 'delete',
      recommendedMonthlyCostUsd: 0,
      monthlySavingUsd: price,
      message: `deleting it saves $${price.toFixed(2)}/month: ${evidenceText}`,
    };
  }
  return undefined;
}
