import type { StatusState } from '@paved/backstage-plugin-service-status-common';

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1_000],
];

/**
 * Formats an ISO 8601 timestamp relative to `now`, e.g. "5 minutes ago".
 * @internal
 */
export function formatRelativeTime(iso: string, now: number = Date.now()) {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) {
    return iso;
  }
  const diff = at - now;
  const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms || unit === 'second') {
      return format.format(Math.round(diff / ms), unit);
    }
  }
  return iso;
}

/**
 * Formats an ISO 8601 timestamp as a short absolute date and time in the user's locale.
 * @internal
 */
export function formatDateTime(iso: string) {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) {
    return iso;
  }
  return at.toLocaleString(undefined, {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/**
 * Formats a ratio between 0 and 1 as a percentage with up to 3 decimals ("99.95%").
 * @internal
 */
export function formatRatio(ratio: number | null | undefined) {
  if (ratio === null || ratio === undefined) {
    return '–';
  }
  const percent = ratio * 100;
  const digits = percent === 100 || percent === 0 ? 0 : 2;
  return `${percent.toFixed(digits)}%`;
}

const STATE_RANK: Record<StatusState, number> = {
  down: 0,
  degraded: 1,
  unknown: 2,
  up: 3,
};

/**
 * Orders states worst first (down, degraded, unknown, up); for sorting.
 * @internal
 */
export function compareStates(a: StatusState, b: StatusState) {
  return STATE_RANK[a] - STATE_RANK[b];
}
