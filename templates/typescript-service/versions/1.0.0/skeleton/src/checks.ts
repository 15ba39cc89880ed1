import net from 'node:net';

/** A readiness check: resolves when the dependency is reachable, rejects otherwise. */
export type ReadinessCheck = { name: string; run: () => Promise<void> };

/**
 * Checks that a TCP endpoint taken from a connection URL accepts connections (no driver needed).
 * Only host and port are used; credentials in the URL are never logged.
 */
export function tcpCheck(name: string, url: string, defaultPort: number, timeoutMs = 1000): ReadinessCheck {
  const parsed = new URL(url);
  const host = parsed.hostname;
  const port = Number(parsed.port || defaultPort);
  return {
    name,
    run: () =>
      new Promise<void>((resolve, reject) => {
        const socket = net.connect({ host, port });
        const timer = setTimeout(() => {
          socket.destroy();
          reject(new Error(`${name}: no answer from ${host}:${port} within ${timeoutMs} ms`));
        }, timeoutMs);
        socket.once('connect', () => {
          clearTimeout(timer);
          socket.end();
          resolve();
        });
        socket.once('error', err => {
          clearTimeout(timer);
          reject(new Error(`${name}: ${host}:${port} unreachable (${(err as NodeJS.ErrnoException).code ?? err.message})`));
        });
      }),
  };
}
