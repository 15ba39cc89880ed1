import type http from 'node:http';
import type { Logger } from './logger.ts';

/**
 * Graceful shutdown of ${{ values.name }} on SIGTERM/SIGINT:
 * 1. readiness turns to 503 at once, so the load balancer stops sending new requests;
 * 2. after `drainMs` (time for the load balancer to notice) the server stops accepting connections
 *    and closes idle keep-alive connections, while requests in flight finish;
 * 3. connections still open after `timeoutMs` are closed and the process exits with 1.
 */
export interface Shutdown {
  /** True once shutdown began; `/readyz` answers 503 from then on. */
  readonly draining: boolean;
  /** Starts the shutdown; resolves when every connection is closed. Safe to call twice. */
  begin(reason: string): Promise<void>;
}

export function createShutdown(options: {
  server: http.Server;
  logger: Logger;
  /** Milliseconds between failing readiness and closing the listener (`SHUTDOWN_DRAIN_MS`). */
  drainMs: number;
  /** Milliseconds after which open connections are cut (`SHUTDOWN_TIMEOUT_MS`). */
  timeoutMs: number;
  /** Waits for the drain (default: a timer of `drainMs`); tests pass their own to control time. */
  waitForDrain?: (ms: number) => Promise<void>;
}): Shutdown {
  const { server, logger, drainMs, timeoutMs } = options;
  const waitForDrain =
    options.waitForDrain ?? ((ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms).unref()));
  let draining = false;
  let done: Promise<void> | undefined;
  return {
    get draining() {
      return draining;
    },
    begin(reason) {
      if (done) return done;
      draining = true;
      logger.info('shutting down', { reason, drainMs, timeoutMs });
      done = new Promise<void>(resolve => {
        waitForDrain(drainMs).then(() => {
          const force = setTimeout(() => {
            logger.warn('closing connections still open', { timeoutMs });
            server.closeAllConnections();
          }, timeoutMs);
          force.unref();
          server.close(() => {
            clearTimeout(force);
            logger.info('stopped');
            resolve();
          });
          server.closeIdleConnections();
        });
      });
      return done;
    },
  };
}
