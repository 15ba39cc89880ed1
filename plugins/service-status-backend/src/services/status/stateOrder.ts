import type {
  IncidentSeverity,
  StatusState,
} from '@paved/backstage-plugin-service-status-common';

const RANK: Record<StatusState, number> = {
  up: 0,
  unknown: 1,
  degraded: 2,
  down: 3,
};

/** The worse of states (`up` < `unknown` < `degraded` < `down`). @internal */
export function worst(states: StatusState[]): StatusState | undefined {
  let result: StatusState | undefined;
  for (const s of states) {
    if (result === undefined || RANK[s] > RANK[result]) {
      result = s;
    }
  }
  return result;
}

/** Sort comparator: worse first. @internal */
export function compareWorstFirst(a: StatusState, b: StatusState): number {
  return RANK[b] - RANK[a];
}

/** The state an open incident of a severity causes. @internal */
export function incidentState(severity: IncidentSeverity): StatusState {
  return severity === 'sev1' ? 'down' : 'degraded';
}

/**
 * Formats a time for reason texts: `10:42 UTC` within the last 24 h of `now`,
 * else `2026-11-20 10:42 UTC`.
 * @internal
 */
export function formatSince(ms: number, now: number): string {
  const iso = new Date(ms).toISOString();
  const hm = iso.slice(11, 16);
  return now - ms < 24 * 3600_000
    ? `${hm} UTC`
    : `${iso.slice(0, 10)} ${hm} UTC`;
}
