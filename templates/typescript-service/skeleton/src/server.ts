import http from 'node:http';
import type { ReadinessCheck } from './checks.ts';
import type { Logger } from './logger.ts';
import { createMetrics, type Metrics } from './metrics.ts';

export interface ServerOptions {
  logger: Logger;
  /** Dependencies that must be reachable for the service to be ready. */
  checks?: ReadinessCheck[];
  /** Request metrics served at `/metrics` (default: a new registry). */
  metrics?: Metrics;
  /** True while the service shuts down: `/readyz` answers 503 so no new traffic arrives. */
  isDraining?: () => boolean;
}

const ROUTES = new Set(['/', '/healthz', '/readyz', '/metrics']);

function sendJson(res: http.ServerResponse, status: number, body: unknown) {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

/**
 * The HTTP server of ${{ values.name }}:
 * - `GET /healthz`: liveness, 200 while the process is serving.
 * - `GET /readyz`: readiness, 200 when every dependency answers, else 503 with the failing checks
 *   (and 503 while shutting down).
 * - `GET /metrics`: Prometheus metrics (requests by route and status, latency, in flight, uptime).
 * - `GET /`: a small description of the service.
 */
export function createServer(options: ServerOptions): http.Server {
  const { logger } = options;
  const checks = options.checks ?? [];
  const metrics = options.metrics ?? createMetrics();
  const isDraining = options.isDraining ?? (() => false);
  return http.createServer(async (req, res) => {
    const started = process.hrtime.bigint();
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    metrics.inFlight(1);
    res.on('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      metrics.inFlight(-1);
      metrics.observe({
        method: req.method ?? 'GET',
        route: ROUTES.has(path) ? path : 'other',
        status: res.statusCode,
        durationSeconds: durationMs / 1000,
      });
      logger.info('request', {
        method: req.method,
        path: req.url,
        status: res.statusCode,
        durationMs,
      });
    });
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        sendJson(res, 405, { error: 'Method not allowed' });
        return;
      }
      if (path === '/healthz') {
        sendJson(res, 200, { status: 'ok' });
        return;
      }
      if (path === '/metrics') {
        const body = metrics.render();
        res.writeHead(200, {
          'Content-Type': 'text/plain; version=0.0.4; charset=utf-8',
          'Content-Length': Buffer.byteLength(body),
        });
        res.end(body);
        return;
      }
      if (path === '/readyz') {
        if (isDraining()) {
          sendJson(res, 503, { status: 'shutting down' });
          return;
        }
        const results = await Promise.allSettled(checks.map(c => c.run()));
        const failing = results.flatMap((r, i) =>
          r.status === 'rejected' ? [{ check: checks[i].name, reason: String((r.reason as Error).message) }] : [],
        );
        if (failing.length > 0) {
          logger.warn('not ready', { failing });
          sendJson(res, 503, { status: 'unavailable', failing });
          return;
        }
        sendJson(res, 200, { status: 'ready', checks: checks.map(c => c.name) });
        return;
      }
      if (path === '/') {
        sendJson(res, 200, { service: '${{ values.name }}', description: ${{ values.description | dump }} });
        return;
      }
      sendJson(res, 404, { error: 'Not found' });
    } catch (error) {
      logger.error('request failed', { error: String(error) });
      if (!res.headersSent) {
        sendJson(res, 500, { error: 'Internal error' });
      }
    }
  });
}
