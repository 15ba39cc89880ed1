import http from 'node:http';
import https from 'node:https';
import dns from 'node:dns';
import { isIP, LookupFunction } from 'node:net';
import type { ProbeState } from '@paved/backstage-plugin-service-status-common';
import {
  isForbiddenAddress,
  isHostAllowed,
  isMetadataHostname,
} from './addressPolicy';
import { readHealthBody } from './healthBody';

/** Options of {@link probeUrl}. @internal */
export interface ProbeUrlOptions {
  /** Host patterns that may be probed (see `isHostAllowed`). */
  allow: string[];
  /** Timeout of the whole probe including redirects, in ms. */
  timeoutMs: number;
  /** 2xx answers slower than this (ms) are degraded. */
  degradedLatencyMs: number;
  /** Most redirects followed. */
  maxRedirects: number;
  /** Replaces `dns.lookup` (tests). */
  lookup?: typeof dns.lookup;
}

/** The outcome of one probe. @internal */
export interface ProbeOutcome {
  state: ProbeState;
  httpStatus?: number;
  /** ms until the final body was read (or until failure). */
  latencyMs?: number;
  /**
   * Why the probe is not up: the health endpoint's own message when it gave one, else what the
   * probe saw (`HTTP 500 Internal Server Error`, `timed out after 5000 ms`, ...).
   */
  error?: string;
}

const MAX_BODY_BYTES = 64 * 1024;

class ProbeRefused extends Error {}

/**
 * Checks a URL before any connection: http(s) only, host allowed, no metadata host name, and
 * an IP literal must not be link-local/metadata. Returns an error text or undefined.
 * @internal
 */
export function checkProbeUrl(url: URL, allow: string[]): string | undefined {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `protocol ${url.protocol} is not allowed`;
  }
  if (url.username || url.password) {
    return 'credentials in the URL are not allowed';
  }
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  if (isMetadataHostname(hostname)) {
    return `host ${hostname} is a cloud metadata address`;
  }
  if (isIP(hostname) && isForbiddenAddress(hostname)) {
    return `address ${hostname} is link-local or a cloud metadata address`;
  }
  if (!isHostAllowed(url, allow)) {
    return `host ${url.host} is not in serviceStatus.probes.allow`;
  }
  return undefined;
}

/**
 * Checks a `paved.dev/health-url` value against the configuration without connecting: returns
 * why it will not be probed (`invalid URL`, `host x is not in serviceStatus.probes.allow`, ...)
 * or undefined when it may be probed.
 * @internal
 */
export function healthUrlProblem(
  rawUrl: string,
  allow: string[],
): string | undefined {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return 'invalid URL';
  }
  return checkProbeUrl(url, allow);
}

/**
 * Probes a health URL with HTTP GET: follows at most `maxRedirects` redirects, each within the
 * allow list; resolves host names itself and refuses link-local and metadata addresses at
 * connect time (so DNS answers cannot point a probe at them). Never throws.
 *
 * State: 2xx within `degradedLatencyMs` is `up`; slower, or a JSON body with
 * `status: 'degraded'` (or `warn`), is `degraded`; a 2xx whose JSON body says `status: 'down'`
 * (or `fail`, `error`, ...) and anything else (non-2xx, refused, timeout) is `down`.
 * The endpoint's own explanation (see {@link readHealthBody}) becomes `error`: for a degraded
 * body the message itself (`connection limit nearly reached: 97 of 100 connections in use`),
 * for a non-2xx answer `HTTP 503 Service Unavailable: <message>`.
 * @internal
 */
export async function probeUrl(
  rawUrl: string,
  options: ProbeUrlOptions,
): Promise<ProbeOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  try {
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      return { state: 'down', error: 'invalid URL' };
    }
    for (let redirects = 0; ; redirects++) {
      const refused = checkProbeUrl(url, options.allow);
      if (refused) {
        return {
          state: 'down',
          error: redirects > 0 ? `redirect refused: ${refused}` : refused,
        };
      }
      const response = await request(url, controller.signal, options.lookup);
      if (
        response.status >= 300 &&
        response.status < 400 &&
        response.location !== undefined
      ) {
        if (redirects >= options.maxRedirects) {
          return {
            state: 'down',
            httpStatus: response.status,
            latencyMs: elapsed(),
            error: `too many redirects (more than ${options.maxRedirects})`,
          };
        }
        try {
          url = new URL(response.location, url);
        } catch {
          return {
            state: 'down',
            httpStatus: response.status,
            error: 'invalid redirect location',
          };
        }
        continue;
      }
      const latencyMs = elapsed();
      const body = readHealthBody(response.contentType, response.body);
      if (response.status < 200 || response.status >= 300) {
        const statusLine = `HTTP ${response.status}${
          response.statusText ? ` ${response.statusText}` : ''
        }`;
        return {
          state: 'down',
          httpStatus: response.status,
          latencyMs,
          error: body.message ? `${statusLine}: ${body.message}` : statusLine,
        };
      }
      if (body.state) {
        // The endpoint's own words are the reason; without them, say what it reported.
        return {
          state: body.state,
          httpStatus: response.status,
          latencyMs,
          error: body.message ?? `health endpoint reports status ${body.state}`,
        };
      }
      if (latencyMs > options.degradedLatencyMs) {
        return {
          state: 'degraded',
          httpStatus: response.status,
          latencyMs,
          error: `slow: ${latencyMs} ms (over ${options.degradedLatencyMs} ms)`,
        };
      }
      return { state: 'up', httpStatus: response.status, latencyMs };
    }
  } catch (error) {
    if (controller.signal.aborted) {
      // No latency: only answered requests count towards latency percentiles.
      return {
        state: 'down',
        error: `timed out after ${options.timeoutMs} ms`,
      };
    }
    const message =
      error instanceof ProbeRefused
        ? error.message
        : `${(error as NodeJS.ErrnoException).code ?? 'error'}: ${
            (error as Error).message
          }`;
    return { state: 'down', error: message };
  } finally {
    clearTimeout(timer);
  }
}

function guardedLookup(lookup: typeof dns.lookup): LookupFunction {
  return ((hostname: string, opts: any, callback: any) => {
    lookup(hostname, { ...opts, all: true }, (err, addresses: any) => {
      if (err) {
        callback(err);
        return;
      }
      const list = (
        Array.isArray(addresses) ? addresses : [{ address: addresses }]
      ) as dns.LookupAddress[];
      const bad = list.find(a => isForbiddenAddress(a.address));
      if (bad || list.length === 0) {
        callback(
          new ProbeRefused(
            bad
              ? `host ${hostname} resolves to ${bad.address}, a link-local or cloud metadata address`
              : `host ${hostname} did not resolve`,
          ),
        );
        return;
      }
      if (opts?.all) {
        callback(null, list);
      } else {
        callback(null, list[0].address, list[0].family);
      }
    });
  }) as LookupFunction;
}

function request(
  url: URL,
  signal: AbortSignal,
  lookup: typeof dns.lookup = dns.lookup,
): Promise<{
  status: number;
  statusText?: string;
  location?: string;
  contentType?: string;
  body: string;
}> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: 'GET',
        signal,
        lookup: guardedLookup(lookup),
        headers: {
          accept: 'application/json, text/plain;q=0.9, */*;q=0.5',
          'user-agent': 'paved-service-status-probe/1',
        },
        agent: false,
      },
      res => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (data: Buffer) => {
          if (size < MAX_BODY_BYTES) {
            chunks.push(data);
            size += data.length;
          }
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            statusText: res.statusMessage,
            location: res.headers.location,
            contentType: res.headers['content-type'],
            body: Buffer.concat(chunks)
              .subarray(0, MAX_BODY_BYTES)
              .toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}
