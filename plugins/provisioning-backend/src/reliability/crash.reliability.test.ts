import { mockCredentials } from '@backstage/backend-test-utils';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import {
  adminQuery,
  dropPrefixedInBackground,
  postgresConnection,
  postgresqlType,
} from '../__testUtils__/postgres';
import type { CrashBackendOptions } from '../__testUtils__/standaloneBackend';

jest.setTimeout(120_000);

const dana = mockCredentials.user.header('user:default/dana');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function startBackend(options: CrashBackendOptions): {
  child: ChildProcess;
  output: () => string;
  waitFor: (text: string, ms: number) => Promise<void>;
} {
  const entry = path.resolve(__dirname, '../__testUtils__/standaloneBackend.ts');
  const child = spawn(
    process.execPath,
    ['--require', require.resolve('@backstage/cli/config/nodeTransform.cjs'), entry],
    {
      cwd: path.resolve(__dirname, '../..'),
      env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'error', PAVED_CRASH_BACKEND: JSON.stringify(options) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout!.on('data', d => (out += d));
  child.stderr!.on('data', d => (out += d));
  const waitFor = (text: string, ms: number) =>
    new Promise<void>((resolve, reject) => {
      const end = Date.now() + ms;
      const check = () => {
        if (out.includes(text)) resolve();
        else if (child.exitCode !== null) reject(new Error(`backend exited: ${out.slice(-2000)}`));
        else if (Date.now() > end) reject(new Error(`timed out waiting for ${text}: ${out.slice(-2000)}`));
        else setTimeout(check, 50);
      };
      check();
    });
  return { child, output: () => out, waitFor };
}

async function waitUntil<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined as T);
    if ((v !== undefined && ok(v)) || Date.now() > end) return v;
    await new Promise(r => setTimeout(r, 100));
  }
}

/**
 * Reliability (a): the backend is killed with SIGKILL while a database is being provisioned (the driver
 * has created role and database but the backend has not recorded it); after a restart the resource
 * converges to `ready` with exactly one role and one database on the real PostgreSQL server.
 */
describe('reliability: SIGKILL mid-provisioning', () => {
  const prefix = `paved-rel-${randomBytes(3).toString('hex')}`;
  const storeName = `${prefix.replace(/-/g, '_')}_store`;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    await adminQuery(`CREATE DATABASE "${storeName}"`);
  });

  afterAll(() => {
    children.forEach(c => c.exitCode === null && c.kill('SIGKILL'));
    dropPrefixedInBackground(prefix);
  });

  it('(a) converges after restart to ready with exactly one role and one database', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}/api/provisioning/v1`;
    const options: CrashBackendOptions = {
      port,
      store: { ...postgresConnection(), database: storeName },
      driverConnection: postgresConnection(),
      provisioning: {
        secrets: { key: 'crash-test-passphrase' },
        types: [postgresqlType],
        reconciler: { leaseDuration: 1500, sweepInterval: 250, operationTimeout: 30_000 },
      },
    };

    const first = startBackend({ ...options, createDelayMs: 60_000 });
    children.push(first.child);
    await first.waitFor('STARTED', 60_000);

    const name = `${prefix}-a`;
    const key = `create-${prefix}`;
    const body = { name, type: 'postgresql', owner: 'group:default/orders-team' };
    const created = await request(base)
      .post('/resources')
      .set('Authorization', dana)
      .set('Idempotency-Key', key)
      .send(body);
    expect(created.status).toBe(201);
    const id = created.body.id;

    // the driver has created the role and database; the backend has not recorded it yet
    await first.waitFor(`CREATED ${name}`, 30_000);
    first.child.kill('SIGKILL');
    await new Promise(r => first.child.once('exit', r));

    const dbName = name.replace(/-/g, '_');
    expect(await adminQuery('SELECT 1 FROM pg_database WHERE datname = $1', [dbName])).toHaveLength(1);
    const store = new Client({ ...postgresConnection(), database: storeName });
    await store.connect();
    const { rows: [row] } = await store
      .query('SELECT state, claimed_by FROM provisioning_resources WHERE id = $1', [id])
      .finally(() => store.end());
    expect(row.state).toBe('provisioning');
    expect(row.claimed_by).toBeTruthy();

    const second = startBackend(options);
    children.push(second.child);
    await second.waitFor('STARTED', 60_000);

    // the client retries its request after the crash: the idempotency key survived the killed backend
    const retried = await request(base).post('/resources').set('Authorization', dana).set('Idempotency-Key', key).send(body);
    expect(retried.status).toBe(200);
    expect(retried.body.id).toBe(id);
    const otherBody = await request(base)
      .post('/resources')
      .set('Authorization', dana)
      .set('Idempotency-Key', key)
      .send({ ...body, parameters: { size: 'medium' } });
    expect(otherBody.status).toBe(409);
    const ready = await waitUntil(
      () => request(base).get(`/resources/${id}`).set('Authorization', dana),
      res => res.body.state === 'ready',
      30_000,
    );
    expect(ready.body).toMatchObject({ state: 'ready', drifted: false, outputs: { database: dbName } });

    expect(await adminQuery('SELECT datname FROM pg_database WHERE datname = $1', [dbName])).toHaveLength(1);
    expect(await adminQuery('SELECT rolname FROM pg_roles WHERE rolname = $1', [dbName])).toHaveLength(1);
    expect(
      await adminQuery('SELECT count(*)::int AS n FROM pg_database WHERE datname LIKE $1', [`${dbName}%`]),
    ).toEqual([{ n: 1 }]);

    // the credentials stored after the restart work against the real server
    const creds = await request(base).get(`/resources/${id}/credentials`).set('Authorization', dana);
    expect(creds.status).toBe(200);
    const client = new Client({ connectionString: creds.body.url });
    await client.connect();
    expect((await client.query('SELECT current_user AS u')).rows).toEqual([{ u: dbName }]);
    await client.end();

    const events = await request(base).get(`/resources/${id}/events`).set('Authorization', dana);
    const transitions = events.body.items.filter((e: any) => e.toState).map((e: any) => e.toState);
    expect(transitions).toEqual(['requested', 'provisioning', 'ready']);

    second.child.kill('SIGTERM');
    await new Promise(r => second.child.once('exit', r));
  });
});
