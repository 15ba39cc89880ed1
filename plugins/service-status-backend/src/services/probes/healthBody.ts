import type { ProbeState } from '@paved/backstage-plugin-service-status-common';

/** What a health endpoint's response body says about itself. @internal */
export interface HealthBody {
  /**
   * The state the body claims: `degraded` for `status: degraded|warn|warning`, `down` for
   * `status: down|fail|failed|error|unavailable|unhealthy`; undefined for `ok`/`up`/`pass` or no
   * status. Only used to make a 2xx answer worse, never better.
   */
  state?: Exclude<ProbeState, 'up'>;
  /** The endpoint's own explanation (one line, at most {@link MAX_MESSAGE_CHARS} characters). */
  message?: string;
}

/** Longest message kept from a health body, in characters. @internal */
export const MAX_MESSAGE_CHARS = 300;

const DEGRADED = new Set(['degraded', 'warn', 'warning']);
const DOWN = new Set([
  'down',
  'fail',
  'failed',
  'failure',
  'error',
  'unavailable',
  'unhealthy',
  'critical',
]);
const HEALTHY = new Set(['ok', 'up', 'pass', 'passed', 'healthy', 'green']);

/** Keys whose string value is the endpoint's explanation, in order of preference. */
const MESSAGE_KEYS = ['message', 'output', 'reason', 'description', 'error'];

/**
 * Reads a health endpoint's own explanation from its response body, so that the status can show
 * it as the reason:
 * - JSON: `message` (or `output` as in the IETF health check draft, `reason`, `description`,
 *   `error`); else a string `details`; else the unhealthy entries of an object `details`/`checks`
 *   (Spring Boot, IETF draft, Terminus style: `db: down: too many connections`).
 * - Text (`text/plain` or no content type): the first non-empty line.
 * HTML and other bodies give no message. Never throws.
 * @internal
 */
export function readHealthBody(
  contentType: string | undefined,
  body: string,
): HealthBody {
  if (!body.trim()) {
    return {};
  }
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('json') || (!type && /^\s*[{[]/.test(body))) {
    return readJson(body);
  }
  if (!type || type.startsWith('text/plain')) {
    const line = body.split(/\r?\n/).find(l => l.trim());
    return line ? { message: oneLine(line) } : {};
  }
  return {};
}

function readJson(body: string): HealthBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return {};
  }
  if (!isRecord(parsed)) {
    return {};
  }
  const state = stateOf(parsed.status);
  let message: string | undefined;
  for (const key of MESSAGE_KEYS) {
    const value = parsed[key];
    if (typeof value === 'string' && value.trim()) {
      message = value;
      break;
    }
  }
  if (!message && typeof parsed.details === 'string' && parsed.details.trim()) {
    message = parsed.details;
  }
  if (!message) {
    message = unhealthyEntries(
      parsed.details ?? parsed.checks ?? parsed.components,
    );
  }
  return {
    ...(state ? { state } : {}),
    ...(message ? { message: oneLine(message) } : {}),
  };
}

/** `name: status: message` for each entry of a details/checks object that is not healthy. */
function unhealthyEntries(details: unknown): string | undefined {
  if (!isRecord(details)) {
    return undefined;
  }
  const parts: string[] = [];
  for (const [name, raw] of Object.entries(details)) {
    // IETF draft: each check is an array of observations.
    const entries = Array.isArray(raw) ? raw : [raw];
    for (const entry of entries) {
      if (!isRecord(entry)) {
        continue;
      }
      const status =
        typeof entry.status === 'string' ? entry.status.toLowerCase() : '';
      if (HEALTHY.has(status)) {
        continue;
      }
      const text = MESSAGE_KEYS.map(k => entry[k]).find(
        (v): v is string => typeof v === 'string' && !!v.trim(),
      );
      if (status || text) {
        parts.push([name, status, text].filter(Boolean).join(': '));
      }
    }
  }
  return parts.length ? parts.join('; ') : undefined;
}

function stateOf(status: unknown): HealthBody['state'] {
  if (typeof status !== 'string') {
    return undefined;
  }
  const s = status.trim().toLowerCase();
  if (DEGRADED.has(s)) {
    return 'degraded';
  }
  if (DOWN.has(s)) {
    return 'down';
  }
  return undefined;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_MESSAGE_CHARS
    ? `${flat.slice(0, MAX_MESSAGE_CHARS - 1)}…`
    : flat;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
