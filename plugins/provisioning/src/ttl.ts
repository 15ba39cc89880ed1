import type { ResourceTypeTtl } from '@paved/backstage-plugin-provisioning-common';

/* Time to live in the UI: parse what a user types, describe durations and the time left. */

const UNIT_MS: Record<string, number> = {
  s: 1_000, sec: 1_000, secs: 1_000, second: 1_000, seconds: 1_000,
  m: 60_000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hr: 3_600_000, hrs: 3_600_000, hour: 3_600_000, hours: 3_600_000,
  d: 86_400_000, day: 86_400_000, days: 86_400_000,
  w: 604_800_000, week: 604_800_000, weeks: 604_800_000,
};

/**
 * A duration as a user types it, in ms: `2h`, `90 minutes`, `1d 12h`, `3 days` or ISO 8601 (`PT2H`, `P1DT12H`);
 * undefined when it is none of them.
 * @internal
 */
export function parseTtl(text: string): number | undefined {
  const s = text.trim().toLowerCase();
  if (!s) return undefined;
  const iso = /^p(?:(\d+)w)?(?:(\d+)d)?(?:t(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?)?$/.exec(s);
  if (iso && s !== 'p' && s !== 'pt') {
    const [, w, d, h, m, sec] = iso.map(v => (v === undefined ? 0 : Number(v)));
    return w * UNIT_MS.w + d * UNIT_MS.d + h * UNIT_MS.h + m * UNIT_MS.m + sec * UNIT_MS.s;
  }
  const parts = s.split(/\s*(?:,|and)?\s+(?=\d)/);
  let total = 0;
  for (const part of parts) {
    const match = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/.exec(part.trim());
    if (!match || !UNIT_MS[match[2]]) return undefined;
    total += Number(match[1]) * UNIT_MS[match[2]];
  }
  return total;
}

/** `7_200_000` → `2 hours`; `95 min` → `1 hour 35 minutes`; largest two units. @internal */
export function describeDuration(ms: number): string {
  const units: Array<[string, number]> = [
    ['day', 86_400_000],
    ['hour', 3_600_000],
    ['minute', 60_000],
    ['second', 1_000],
  ];
  const out: string[] = [];
  let rest = Math.max(0, Math.round(ms / 1000) * 1000);
  for (const [name, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0 && out.length < 2) {
      out.push(`${n} ${name}${n === 1 ? '' : 's'}`);
      rest -= n * size;
    } else if (out.length > 0) {
      break;
    }
  }
  return out.join(' ') || '0 seconds';
}

/** The compact ISO 8601 form sent to the API: `PT2H`, `P1DT12H`. @internal */
export function toIsoDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  const d = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3_600);
  const m = Math.floor((total % 3_600) / 60);
  const s = total % 60;
  const time = `${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s ? `${s}S` : ''}`;
  return `P${d ? `${d}D` : ''}${time ? `T${time}` : ''}` || 'PT0S';
}

/**
 * What is wrong with a typed time to live, in words; undefined when it is fine (or empty and not required).
 * @internal
 */
export function ttlProblem(
  text: string,
  rules: ResourceTypeTtl,
  options?: { extending?: boolean },
): string | undefined {
  if (!text.trim()) {
    if (options?.extending) return 'Give the new time to live, e.g. 2h or 3d.';
    return rules.required && rules.defaultMs === undefined
      ? `This type needs a time to live, at most ${describeDuration(rules.maxMs)} (e.g. 2h or 3d).`
      : undefined;
  }
  const ms = parseTtl(text);
  if (ms === undefined) return `'${text.trim()}' is not a duration: write e.g. 2h, 90m, 3d or 1d 12h.`;
  if (ms <= 0) return 'The time to live must be longer than zero.';
  if (ms > rules.maxMs) {
    return `${describeDuration(ms)} is longer than the maximum of ${describeDuration(rules.maxMs)}${
      options?.extending ? ' from now' : ''
    }.`;
  }
  return undefined;
}

/**
 * The time left until `expiresAt` at `now` (epoch ms): `1 h 59 min left`, `45 s left`, `expired`.
 * @internal
 */
export function formatTimeLeft(expiresAt: string, now: number): string {
  const left = Date.parse(expiresAt) - now;
  if (!(left > 0)) return 'expired';
  const sec = Math.floor(left / 1000);
  const d = Math.floor(sec / 86_400);
  const h = Math.floor((sec % 86_400) / 3_600);
  const m = Math.floor((sec % 3_600) / 60);
  if (d > 0) return `${d} d ${h} h left`;
  if (h > 0) return `${h} h ${m} min left`;
  if (m > 0) return `${m} min left`;
  return `${sec} s left`;
}
