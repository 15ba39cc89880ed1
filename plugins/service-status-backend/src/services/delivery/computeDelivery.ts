import type {
  DeliveryMetrics,
  DeliveryWeek,
} from '@paved/backstage-plugin-service-status-common';
import {
  changeFailureRateBand,
  deploymentFrequencyBand,
  leadTimeBand,
  timeToRestoreBand,
} from './bands';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const WEEK_MS = 7 * DAY_MS;

/**
 * A change counts as failed when an incident is opened on the service within this long after
 * the deployment finished. @internal
 */
export const INCIDENT_AFTER_DEPLOYMENT_MS = HOUR_MS;

/** A finished deployment as the metrics see it (epoch ms). @internal */
export interface DeliveryDeployment {
  entityRef: string;
  status: 'succeeded' | 'failed' | 'rolled-back';
  /** When it finished (or started, when no finish was reported). */
  at: number;
  committedAt?: number;
}

/** An incident as the metrics see it (epoch ms). @internal */
export interface DeliveryIncident {
  entityRef: string;
  createdAt: number;
  resolvedAt?: number;
}

/** Monday 00:00 UTC of the week that holds `ms`. @internal */
export function weekStartUtc(ms: number): number {
  const day = Math.floor(ms / DAY_MS);
  // 1970-01-01 was a Thursday: day 0 is weekday 3 counted from Monday.
  const weekday = (day + 3) % 7;
  return (day - weekday) * DAY_MS;
}

/**
 * The window of `weeks` whole weeks (Monday 00:00 UTC) whose last one holds `now`.
 * @internal
 */
export function deliveryWindow(now: number, weeks: number) {
  const from = weekStartUtc(now) - (weeks - 1) * WEEK_MS;
  return { from, to: now };
}

/** Median of a list (undefined when empty). @internal */
export function median(values: number[]): number | undefined {
  if (values.length === 0) {
    return undefined;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/**
 * Marks each deployment as a failed change: its status is `failed` or `rolled-back`, or an
 * incident was opened on the same service within {@link INCIDENT_AFTER_DEPLOYMENT_MS} after it.
 * @internal
 */
export function markFailedChanges(
  deployments: DeliveryDeployment[],
  incidents: DeliveryIncident[],
): Array<DeliveryDeployment & { failedChange: boolean }> {
  const opened = new Map<string, number[]>();
  for (const i of incidents) {
    const list = opened.get(i.entityRef) ?? [];
    list.push(i.createdAt);
    opened.set(i.entityRef, list);
  }
  for (const list of opened.values()) {
    list.sort((a, b) => a - b);
  }
  return deployments.map(d => {
    if (d.status !== 'succeeded') {
      return { ...d, failedChange: true };
    }
    const times = opened.get(d.entityRef) ?? [];
    const failedChange = times.some(
      t => t >= d.at && t <= d.at + INCIDENT_AFTER_DEPLOYMENT_MS,
    );
    return { ...d, failedChange };
  });
}

/**
 * The four DORA metrics of one group of deployments and incidents over the window
 * `[from, to]`, with bands and a weekly trend (`weeks` entries, oldest first).
 *
 * - deployment frequency: finished deployments / window length in weeks;
 * - change failure rate: failed changes (see {@link markFailedChanges}) / deployments;
 * - time to restore: median of resolvedAt - createdAt of incidents opened in the window and resolved;
 * - lead time for changes: median of deployment time - committedAt of succeeded deployments that
 *   reported a commit time.
 *
 * A metric without data has no value and no band.
 * @internal
 */
export function computeDeliveryMetrics(options: {
  key: string;
  kind: 'service' | 'team';
  deployments: Array<DeliveryDeployment & { failedChange: boolean }>;
  incidents: DeliveryIncident[];
  from: number;
  to: number;
  weeks: number;
}): DeliveryMetrics {
  const { from, to, weeks } = options;
  const deployments = options.deployments.filter(
    d => d.at >= from && d.at <= to,
  );
  const incidents = options.incidents.filter(
    i => i.createdAt >= from && i.createdAt <= to,
  );
  const weekIndex = (ms: number) =>
    Math.min(weeks - 1, Math.max(0, Math.floor((ms - from) / WEEK_MS)));

  type Bucket = {
    deployments: number;
    failed: number;
    restore: number[];
    lead: number[];
  };
  const buckets: Bucket[] = Array.from({ length: weeks }, () => ({
    deployments: 0,
    failed: 0,
    restore: [],
    lead: [],
  }));
  const restore: number[] = [];
  const lead: number[] = [];
  let failed = 0;
  for (const d of deployments) {
    const b = buckets[weekIndex(d.at)];
    b.deployments += 1;
    if (d.failedChange) {
      failed += 1;
      b.failed += 1;
    }
    if (d.status === 'succeeded' && d.committedAt !== undefined) {
      const hours = Math.max(0, d.at - d.committedAt) / HOUR_MS;
      lead.push(hours);
      b.lead.push(hours);
    }
  }
  for (const i of incidents) {
    if (i.resolvedAt === undefined) {
      continue;
    }
    const hours = Math.max(0, i.resolvedAt - i.createdAt) / HOUR_MS;
    restore.push(hours);
    buckets[weekIndex(i.createdAt)].restore.push(hours);
  }

  const windowWeeks = Math.max(to - from, HOUR_MS) / WEEK_MS;
  const perWeek = deployments.length / windowWeeks;
  const cfr = deployments.length ? failed / deployments.length : undefined;
  const mttr = median(restore);
  const leadTime = median(lead);

  const trend: DeliveryWeek[] = buckets.map((b, index) => {
    const weekMttr = median(b.restore);
    const weekLead = median(b.lead);
    return {
      weekStart: new Date(from + index * WEEK_MS).toISOString(),
      deployments: b.deployments,
      failedChanges: b.failed,
      ...(b.deployments
        ? { changeFailureRate: round(b.failed / b.deployments) }
        : {}),
      restores: b.restore.length,
      ...(weekMttr !== undefined
        ? { medianTimeToRestoreHours: round(weekMttr, 2) }
        : {}),
      ...(weekLead !== undefined
        ? { medianLeadTimeHours: round(weekLead, 2) }
        : {}),
    };
  });

  return {
    key: options.key,
    kind: options.kind,
    deployments: deployments.length,
    deploymentsPerWeek: round(perWeek, 2),
    failedChanges: failed,
    ...(cfr !== undefined ? { changeFailureRate: round(cfr) } : {}),
    restores: restore.length,
    ...(mttr !== undefined ? { medianTimeToRestoreHours: round(mttr, 2) } : {}),
    leadTimeSamples: lead.length,
    ...(leadTime !== undefined
      ? { medianLeadTimeHours: round(leadTime, 2) }
      : {}),
    bands: {
      deploymentFrequency: deploymentFrequencyBand(perWeek),
      ...(cfr !== undefined
        ? { changeFailureRate: changeFailureRateBand(cfr) }
        : {}),
      ...(mttr !== undefined ? { timeToRestore: timeToRestoreBand(mttr) } : {}),
      ...(leadTime !== undefined ? { leadTime: leadTimeBand(leadTime) } : {}),
    },
    trend,
  };
}
