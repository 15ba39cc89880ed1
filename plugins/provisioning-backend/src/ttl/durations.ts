/* Pure helpers of time-to-live resources: formatting and the reminder bookkeeping. */

const UNITS: Array<[string, string, number]> = [
  ['d', 'D', 86_400_000],
  ['h', 'H', 3_600_000],
  ['m', 'M', 60_000],
  ['s', 'S', 1_000],
];

function parts(ms: number): Array<[string, string, number]> {
  let rest = Math.max(0, Math.round(ms / 1000) * 1000);
  const out: Array<[string, string, number]> = [];
  for (const [short, iso, size] of UNITS) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) out.push([short, iso, n]);
  }
  return out;
}

/** A duration in ms as an ISO 8601 duration, e.g. `PT2H`, `P2DT12H`, `PT30M` (whole seconds). @internal */
export function toIsoDuration(ms: number): string {
  const p = parts(ms);
  if (p.length === 0) return 'PT0S';
  const days = p.find(([s]) => s === 'd');
  const time = p.filter(([s]) => s !== 'd');
  return `P${days ? `${days[2]}D` : ''}${
    time.length ? `T${time.map(([, iso, n]) => `${n}${iso}`).join('')}` : ''
  }`;
}

/** A duration in ms for people, e.g. `2h`, `2d 12h`, `30m` (whole seconds). @internal */
export function formatDuration(ms: number): string {
  const p = parts(ms);
  return p.length ? p.map(([s, , n]) => `${n}${s}`).join(' ') : '0s';
}

/**
 * How many reminders (`remindersMs`: ms before expiry, longest first) are already due or past when `remainingMs`
 * are left; those are not sent for a time to live that was just set (the owner chose it), only later ones.
 * @internal
 */
export function remindersPassed(remainingMs: number, remindersMs: readonly number[]): number {
  return remindersMs.filter(r => r >= remainingMs).length;
}

/**
 * The store fields of a time to live of `ttlMs` set at `now` (epoch ms), on request or extension: the expiry,
 * and the reminders already due or past marked as sent, so that only later ones are sent (an extension starts
 * the reminders again).
 * @internal
 */
export function ttlFields(
  ttlMs: number,
  now: number,
  remindersMs: readonly number[],
): { ttlMs: number; expiresAtMs: number; ttlRemindersSent: number } {
  return {
    ttlMs,
    expiresAtMs: now + ttlMs,
    ttlRemindersSent: remindersPassed(ttlMs, remindersMs),
  };
}
