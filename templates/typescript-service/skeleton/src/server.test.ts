import assert from 'node:assert/strict';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { tcpCheck } from './checks.ts';
import { readConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { createServer } from './server.ts';
import { createShutdown, type Shutdown } from './shutdown.ts';

const lines: string[] = [];
const logger = createLogger({ service: 'test', write: line => lines.push(line) });

async function start(server: ReturnType<typeof createServer>) {
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('${{ values.name }}', () => {
  const server = createServer({ logger });
  let base = '';
  before(async () => {
    base = await start(server);
  });
  after(() => server.close());

  it('answers /healthz', async () => {
    const res = await fetch(`${base}/healthz`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ok' });
  });

  it('answers /readyz when there is nothing to wait for', async () => {
    const res = await fetch(`${base}/readyz`);
    assert.equal(res.status, 200);
    assert.equal((await res.json()).status, 'ready');
  });

  it('answers 404 for unknown paths', async () => {
    const res = await fetch(`${base}/nope`);
    assert.equal(res.status, 404);
  });

  it('logs each request as one JSON line', async () => {
    await fetch(`${base}/healthz`);
    await new Promise(resolve => setTimeout(resolve, 20));
    const entry = lines.map(l => JSON.parse(l)).find(e => e.message === 'request' && e.path === '/healthz');
    assert.ok(entry, 'a request log entry');
    assert.equal(entry.status, 200);
    assert.equal(entry.level, 'info');
    assert.equal(typeof entry.durationMs, 'number');
  });
});

describe('readiness checks', () => {
  it('reports 503 while a dependency is unreachable and 200 once it answers', async () => {
    const dependency = net.createServer(socket => socket.end());
    await new Promise<void>(resolve => dependency.listen(0, '127.0.0.1', resolve));
    const port = (dependency.address() as AddressInfo).port;
    const up = createServer({ logger, checks: [tcpCheck('database', `postgresql://u:secret@127.0.0.1:${port}/db`, 5432)] });
    const upBase = await start(up);
    assert.equal((await fetch(`${upBase}/readyz`)).status, 200);
    up.close();
    dependency.close();

    const down = createServer({ logger, checks: [tcpCheck('database', `postgresql://u:secret@127.0.0.1:${port}/db`, 5432)] });
    const downBase = await start(down);
    const res = await fetch(`${downBase}/readyz`);
    assert.equal(res.status, 503);
    const body = await res.json();
    assert.equal(body.failing[0].check, 'database');
    assert.ok(!JSON.stringify(body).includes('secret'), 'never reveals credentials');
    down.close();
  });
});

describe('configuration', () => {
  it('reads the port and the connection URLs from the environment', () => {
    const config = readConfig({ PORT: '9090', DATABASE_URL: 'postgresql://h/db' });
    assert.equal(config.port, 9090);
    assert.equal(config.databaseUrl, 'postgresql://h/db');
  });

  it('rejects an invalid port', () => {
    assert.throws(() => readConfig({ PORT: 'eighty' }), /PORT/);
  });
});

describe('metrics', () => {
  it('serves request counts and latency in Prometheus format at /metrics', async () => {
    const server = createServer({ logger });
    const base = await start(server);
    await (await fetch(`${base}/healthz`)).text();
    await (await fetch(`${base}/nope`)).text();
    // A request is counted when its response has finished; poll instead of guessing a delay.
    let res = await fetch(`${base}/metrics`);
    let text = await res.text();
    for (let i = 0; i < 100 && !/route="other",status="404"/.test(text); i++) {
      await new Promise(resolve => setTimeout(resolve, 10));
      res = await fetch(`${base}/metrics`);
      text = await res.text();
    }
    server.close();
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    assert.match(text, /^http_requests_total\{method="GET",route="\/healthz",status="200"\} 1$/m);
    assert.match(text, /^http_requests_total\{method="GET",route="other",status="404"\} 1$/m);
    assert.match(text, /^http_request_duration_seconds_count\{method="GET",route="\/healthz"\} 1$/m);
    assert.match(text, /^process_uptime_seconds \d/m);
  });
});

describe('graceful shutdown', () => {
  it('fails readiness at once, finishes requests in flight, then stops listening', async () => {
    let shutdown: Shutdown | undefined;
    const server = createServer({ logger, isDraining: () => shutdown?.draining ?? false });
    let endDrain = () => {};
    const drained = new Promise<void>(resolve => {
      endDrain = resolve;
    });
    shutdown = createShutdown({ server, logger, drainMs: 5000, timeoutMs: 2000, waitForDrain: () => drained });
    const base = await start(server);
    assert.equal((await fetch(`${base}/readyz`)).status, 200);

    const stopped = shutdown.begin('test');
    const res = await fetch(`${base}/readyz`);
    assert.equal(res.status, 503);
    assert.deepEqual(await res.json(), { status: 'shutting down' });
    assert.equal((await fetch(`${base}/healthz`)).status, 200, 'still serves during the drain');

    endDrain();
    await stopped;
    await assert.rejects(fetch(`${base}/healthz`), 'no longer listening');
  });
});

describe('shutdown configuration', () => {
  it('reads the drain and timeout in milliseconds', () => {
    const config = readConfig({ SHUTDOWN_DRAIN_MS: '100', SHUTDOWN_TIMEOUT_MS: '200' });
    assert.equal(config.shutdownDrainMs, 100);
    assert.equal(config.shutdownTimeoutMs, 200);
    assert.equal(readConfig({}).shutdownDrainMs, 5000);
    assert.throws(() => readConfig({ SHUTDOWN_DRAIN_MS: 'soon' }), /SHUTDOWN_DRAIN_MS/);
  });
});
