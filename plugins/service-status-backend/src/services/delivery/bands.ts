import type { DoraBand } from '@paved/backstage-plugin-service-status-common';

const HOUR = 1;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const MONTH = 30 * DAY;

/**
 * DORA performance bands of the four software delivery metrics.
 *
 * Source: DORA, *Accelerate State of DevOps Report 2023* (Google Cloud), the table of software
 * delivery performance levels (elite, high, medium, low), which the 2024 report keeps for
 * deployment frequency, lead time and recovery time:
 *
 * | metric | elite | high | medium | low |
 * |---|---|---|---|---|
 * | deployment frequency | on demand (several per day) | once per day to once per week | once per week to once per month | less than once per month |
 * | lead time for changes | less than one day | one day to one week | one week to one month | more than one month |
 * | change failure rate | 5% | 10% | 15% | 64% |
 * | failed deployment recovery time | less than one hour | less than one day | one day to one week | more than one week |
 *
 * The report gives typical values per level, not boundaries; here a level holds up to its
 * value (e.g. a change failure rate up to 5% is elite, up to 10% high, up to 15% medium, beyond
 * that low), and "on demand" is read as at least daily (7 or more deployments per week).
 *
 * @internal
 */
export const DORA_THRESHOLDS = {
  /** Minimum deployments per week for elite, high and medium. */
  deploymentsPerWeek: { elite: 7, high: 1, medium: 7 / 30 },
  /** Maximum median lead time (hours) for elite, high and medium. */
  leadTimeHours: { elite: DAY, high: WEEK, medium: MONTH },
  /** Maximum change failure rate (0..1) for elite, high and medium. */
  changeFailureRate: { elite: 0.05, high: 0.1, medium: 0.15 },
  /** Maximum median time to restore (hours) for elite, high and medium. */
  timeToRestoreHours: { elite: HOUR, high: DAY, medium: WEEK },
} as const;

/** Band of a deployment frequency (deployments per week; higher is better). @internal */
export function deploymentFrequencyBand(perWeek: number): DoraBand {
  const t = DORA_THRESHOLDS.deploymentsPerWeek;
  if (perWeek >= t.elite) return 'elite';
  if (perWeek >= t.high) return 'high';
  if (perWeek >= t.medium) return 'medium';
  return 'low';
}

function atMost(
  value: number,
  t: { elite: number; high: number; medium: number },
): DoraBand {
  if (value <= t.elite) return 'elite';
  if (value <= t.high) return 'high';
  if (value <= t.medium) return 'medium';
  return 'low';
}

/** Band of a median lead time for changes (hours; lower is better). @internal */
export function leadTimeBand(hours: number): DoraBand {
  return atMost(hours, DORA_THRESHOLDS.leadTimeHours);
}

/** Band of a change failure rate (0..1; lower is better). @internal */
export function changeFailureRateBand(rate: number): DoraBand {
  return atMost(rate, DORA_THRESHOLDS.changeFailureRate);
}

/** Band of a median time to restore (hours; lower is better). @internal */
export function timeToRestoreBand(hours: number): DoraBand {
  return atMost(hours, DORA_THRESHOLDS.timeToRestoreHours);
}
