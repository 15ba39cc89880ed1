import assert from 'node:assert/strict';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { tcpCheck } from './checks.ts';
import { readConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { createServer } from './server.ts';

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
