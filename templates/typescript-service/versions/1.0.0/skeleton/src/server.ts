import http from 'node:http';
import type { ReadinessCheck } from './checks.ts';
import type { Logger } from './logger.ts';

export interface ServerOptions {
  logger: Logger;
  /** Dependencies that must be reachable for the service to be ready. */
  checks?: ReadinessCheck[];
}

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
 * - `GET /readyz`: readiness, 200 when every dependency answers, else 503 with the failing checks.
 * - `GET /`: a small description of the service.
 */
export function createServer(options: ServerOptions): http.Server {
  const { logger } = options;
  const checks = options.checks ?? [];
  return http.createServer(async (req, res) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      logger.info('request', {
        method: req.method,
        path: req.url,
        status: res.statusCode,
        durationMs: Number(process.hrtime.bigint() - started) / 1e6,
      });
    });
    try {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        sendJson(res, 405, { error: 'Method not allowed' });
        return;
      }
      if (path === '/healthz') {
        sendJson(res, 200, { status: 'ok' });
        return;
      }
      if (path === '/readyz') {
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
