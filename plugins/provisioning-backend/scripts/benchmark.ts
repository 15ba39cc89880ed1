/*
 * Benchmark of the provisioning backend against the local PostgreSQL server, with the real postgres driver.
 * Run from plugins/provisioning-backend:   yarn benchmark
 * (PAVED_TEST_POSTGRES_URL selects the server; default postgresql://postgres@127.0.0.1:5432)
 *
 * Prints:
 *  (1) request-to-ready time of a PostgreSQL database, median and p95 over 50 sequential requests, beside the raw
 *      CREATE ROLE + CREATE DATABASE time measured in the same run on the same server, and the ratio (goal <= 1.5x)
 *  (2) 200 concurrent create requests: all ready? failed count, total time, throughput
 *  (3) GET /resources p50/p95 with 10,000 resources stored, on SQLite and on PostgreSQL
 *  (4) the backend's peak RSS during (2), and its RSS with 10,000 resources stored (after (3))
 *  (5) ready -> Resource entity handed to the catalog with 10,000 resources stored: the catalog entity provider's
 *      delta for the changed resource (what the change event triggers), beside a full re-list of all 10,000
 *  (6) 1,000 create requests spread over two backend replicas (two processes) on one PostgreSQL store: databases and
 *      roles on the server, resources stuck (not ready), duplicate provisioning transitions. `PAVED_BENCH_ONLY=replicas`
 *      runs (6) alone.
 * The backend runs as its own process (src/__testUtils__/standaloneBackend.ts).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/types';
import knexFactory, { Knex } from 'knex';
import { KnexResourceStore } from '../src/database/KnexResourceStore';
import {
  adminQuery,
  postgresConnection,
  postgresqlType,
  TEST_POSTGRES_URL,
} from '../src/__testUtils__/postgres';
import type { CrashBackendOptions } from '../src/__testUtils__/standaloneBackend';
import { mockServices } from '@backstage/backend-test-utils';
import type { EntityProviderMutation } from '@backstage/plugin-catalog-node';
import type { ProvisioningService } from '@paved/backstage-plugin-provisioning-node';
import { ProvisioningEntityProvider } from '@paved/backstage-plugin-catalog-backend-module-provisioning';
import { Client } from 'pg';

const TOKEN = `Bearer mock-user-token:${JSON.stringify({ sub: 'user:default/dana' })}`;
const headers = { Authorization: TOKEN, 'Content-Type': 'application/json' };
const pkgDir = path.resolve(__dirname, '..');

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const ms = (v: number) => `${v.toFixed(1)} ms`;

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

async function startBackend(store: JsonObject) {
  const port = await freePort();
  const options: CrashBackendOptions = {
    port,
    store,
    driverConnection: postgresConnection(),
    provisioning: {
      secrets: { key: 'benchmark-passphrase' },
      types: [postgresqlType],
      reconciler: { sweepInterval: '2s', driftCheckInterval: '10m' },
    },
  };
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      path.join(pkgDir, 'src/__testUtils__/standaloneBackend.ts'),
    ],
    {
      cwd: pkgDir,
      env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'error', PAVED_CRASH_BACKEND: JSON.stringify(options) },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout!.on('data', d => (out += d));
  for (let i = 0; !out.includes('STARTED'); i++) {
    if (child.exitCode !== null || i > 1200) throw new Error(`backend did not start: ${out}`);
    await sleep(50);
  }
  const base = `http://127.0.0.1:${port}/api/provisioning/v1`;
  const peakRssMb = () => {
    const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return kb / 1024;
  };
  const rssMb = () => {
    const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  };
  const stop = async () => {
    child.kill('SIGTERM');
    await new Promise(r => child.once('exit', r));
  };
  return { base, stop, peakRssMb, rssMb, pid: child.pid! };
}

async function createResource(base: string, name: string) {
  const res = await fetch(`${base}/resources`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ name, type: 'postgresql', owner: 'group:default/orders-team', parameters: { size: 'small' } }),
  });
  if (res.status !== 201) throw new Error(`create ${name}: ${res.status} ${await res.text()}`);
  return (await res.json()).id as string;
}

async function getState(base: string, id: string): Promise<string> {
  const res = await fetch(`${base}/resources/${id}`, { headers });
  return (await res.json()).state;
}

async function createStore(name: string): Promise<Knex> {
  await adminQuery(`CREATE DATABASE "${name}"`);
  return knexFactory({ client: 'pg', connection: { ...postgresConnection(), database: name } });
}

async function seed(knex: Knex, count: number) {
  await KnexResourceStore.migrateUp(knex);
  const owners = ['orders-team', 'payments-team', 'storefront-team', 'platform-team'];
  const now = Date.now();
  const rows = Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    name: `seed-${i}`,
    type: 'postgresql',
    owner: `group:default/${owners[i % owners.length]}`,
    entity_ref: `component:default/service-${i % 500}`,
    parameters: JSON.stringify({ size: 'small', version: '15' }),
    state: 'ready',
    drifted: false,
    conditions: '[]',
    outputs: JSON.stringify({ host: 'localhost', port: '5432', database: `seed_${i}`, username: `seed_${i}` }),
    monthly_cost_usd: 15,
    created_by: 'user:default/dana',
    created_at: now - count + i,
    updated_at: now - count + i,
    live_name: `seed-${i}`,
    billable: true,
    attempts: 0,
    // checked just now: the seeded rows have no real databases, so keep the drift check off them
    drift_checked_at: now,
  }));
  for (let i = 0; i < rows.length; i += 500) {
    await knex('provisioning_resources').insert(rows.slice(i, i + 500));
  }
}

/** Raw CREATE ROLE + CREATE DATABASE (and the DROPs, untimed) as the admin, as the driver would issue them. */
async function rawCreateTimes(tag: string, runs: number): Promise<number[]> {
  const client = new Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  const times: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const name = `${tag}_raw${i}`;
      const t = performance.now();
      await client.query(`CREATE ROLE "${name}" WITH LOGIN CONNECTION LIMIT 20 PASSWORD 'x${randomBytes(8).toString('hex')}'`);
      await client.query(`CREATE DATABASE "${name}" OWNER "${name}"`);
      times.push(performance.now() - t);
    }
  } finally {
    await client.end();
  }
  return times;
}

const quietLogger: LoggerService = {
  debug: () => {},
  info: () => {},
  warn: (m: string) => console.warn(m),
  error: (m: string) => console.error(m),
  child: () => quietLogger,
};

/** A minimal HTTP client of the provisioning API for the catalog provider. */
function httpProvisioning(base: string): ProvisioningService {
  const call = async (p: string) => {
    const res = await fetch(`${base}${p}`, { headers });
    if (res.status === 404) return undefined;
    if (!res.ok) throw new Error(`${p}: ${res.status}`);
    return res.json();
  };
  return {
    listTypes: async () => (await call('/types')).items,
    listResources: async request => {
      const q = new URLSearchParams();
      if (request.cursor) q.set('cursor', request.cursor);
      if (request.limit) q.set('limit', String(request.limit));
      return call(`/resources?${q}`);
    },
    getResource: async id => call(`/resources/${id}`),
    estimate: async () => {
      throw new Error('unused');
    },
    createResource: async () => {
      throw new Error('unused');
    },
    deleteResource: async () => {
      throw new Error('unused');
    },
  };
}

async function catalogLatency(base: string, name: string) {
  const mutations: { at: number; mutation: EntityProviderMutation }[] = [];
  const provider = ProvisioningEntityProvider.create({
    provisioning: httpProvisioning(base),
    auth: mockServices.auth(),
    logger: quietLogger,
    appBaseUrl: 'http://localhost:3000',
  });
  await provider.connect({
    applyMutation: async mutation => {
      mutations.push({ at: performance.now(), mutation });
    },
    refresh: async () => {},
  });
  const tFull = performance.now();
  await provider.refresh();
  const fullMs = performance.now() - tFull;
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const id = await createResource(base, `${name}-${i}`);
    while ((await getState(base, id)) !== 'ready') await sleep(5);
    const tReady = performance.now();
    await provider.applyChange(id); // what the resource-changed event triggers
    const last = mutations.at(-1)!;
    if (last.mutation.type !== 'delta') throw new Error('expected a delta');
    times.push(last.at - tReady);
  }
  return { fullMs, p50: pct(times, 50), p95: pct(times, 95) };
}

async function listLatency(base: string, runs = 300) {
  const times: number[] = [];
  for (let i = 0; i < runs + 20; i++) {
    const t = performance.now();
    const res = await fetch(`${base}/resources?limit=50`, { headers });
    const body = await res.json();
    if (res.status !== 200 || body.items.length !== 50) throw new Error(`list failed: ${res.status}`);
    if (i >= 20) times.push(performance.now() - t);
  }
  return { p50: pct(times, 50), p95: pct(times, 95) };
}

/** (6): 1,000 creates over two replicas on one store; counts what exists on the server afterwards. */
async function replicasRun(tag: string, count = 1000) {
  const storeName = `${tag}_replicas`;
  const store = await createStore(storeName);
  await store.destroy();
  const connection = { ...postgresConnection(), database: storeName };
  // One after the other: this standalone backend has no start-up lock (packages/backend has), so the first one
  // migrates the store, as `./portal migrate` would before the replicas.
  const replicas = [await startBackend(connection), await startBackend(connection)];
  const prefix = `${tag.replace(/_/g, '-')}-x`;
  try {
    const t0 = performance.now();
    const ids: string[] = [];
    // 100 requests in flight at a time, alternating between the replicas
    for (let start = 0; start < count; start += 100) {
      ids.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(100, count - start) }, (_, j) =>
            createResource(replicas[(start + j) % 2].base, `${prefix}${start + j}`),
          ),
        )),
      );
    }
    const acceptedMs = performance.now() - t0;
    const knex = knexFactory({ client: 'pg', connection });
    let states: Record<string, number> = {};
    for (;;) {
      const rows = await knex('provisioning_resources').select('state').count({ c: '*' }).groupBy('state');
      states = Object.fromEntries(rows.map((r: any) => [r.state, Number(r.c)]));
      if ((states.ready ?? 0) + (states.failed ?? 0) >= count) break;
      if (performance.now() - t0 > 600_000) break;
      await sleep(200);
    }
    const totalMs = performance.now() - t0;
    const transitions = await knex('provisioning_events').where({ to_state: 'provisioning' }).count({ c: '*' });
    await knex.destroy();
    const like = `${prefix.replace(/-/g, '_')}%`;
    const dbs = await adminQuery('SELECT datname FROM pg_database WHERE datname LIKE $1', [like]);
    const roles = await adminQuery('SELECT rolname FROM pg_roles WHERE rolname LIKE $1', [like]);
    const stuck = count - (states.ready ?? 0);
    const duplicates = Number(transitions[0].c) - count;
    console.log(
      `(6) ${count} creates over two replicas on one PostgreSQL: ${dbs.length} databases and ${roles.length} roles on the server, ` +
        `${states.ready ?? 0} ready, ${stuck} stuck, ${states.failed ?? 0} failed, ${duplicates} duplicate provisioning transitions; ` +
        `accepted in ${(acceptedMs / 1000).toFixed(1)} s, all ready in ${(totalMs / 1000).toFixed(1)} s (${ids.length} ids)`,
    );
  } finally {
    await Promise.all(replicas.map(r => r.stop()));
  }
}

async function main() {
  const tag = `paved_bench_${randomBytes(3).toString('hex')}`;
  if (process.env.PAVED_BENCH_ONLY === 'replicas') {
    console.log(`Provisioning benchmark (6): ${os.cpus().length} cores, PostgreSQL at ${new URL(TEST_POSTGRES_URL).host}`);
    try {
      await replicasRun(tag);
    } finally {
      console.log(`Cleaning up the benchmark's databases and roles (${tag}*) in the background`);
      spawn(process.execPath, [path.join(pkgDir, 'scripts/drop-test-databases.mjs'), TEST_POSTGRES_URL, tag], {
        detached: true,
        stdio: 'ignore',
      }).unref();
    }
    return;
  }
  console.log(`Provisioning benchmark: ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}, PostgreSQL at ${new URL(TEST_POSTGRES_URL).host}`);
  const only = process.env.PAVED_BENCH_ONLY; // e.g. 'catalog' runs (3) on PostgreSQL, (4) and (5) only
  const storeName = `${tag}_store`;
  const store = await createStore(storeName);
  await store.destroy();
  const backend = await startBackend({ ...postgresConnection(), database: storeName });
  if (only !== 'catalog') try {
    // (1) request-to-ready, sequential
    const times: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t = performance.now();
      const id = await createResource(backend.base, `${tag.replace(/_/g, '-')}-r${i}`);
      while ((await getState(backend.base, id)) !== 'ready') await sleep(5);
      times.push(performance.now() - t);
    }
    const raw = await rawCreateTimes(tag, 50);
    const ratio = pct(times, 50) / pct(raw, 50);
    console.log(`(1) request-to-ready (PostgreSQL database, 50 sequential requests): median ${ms(pct(times, 50))}, p95 ${ms(pct(times, 95))}`);
    console.log(`(1) raw CREATE ROLE + CREATE DATABASE on the same server (50 runs): median ${ms(pct(raw, 50))}, p95 ${ms(pct(raw, 95))}; ratio ${ratio.toFixed(2)}x (goal <= 1.5x)`);

    // (2) 200 concurrent creates
    const rssBefore = backend.rssMb();
    // reset the kernel's peak-RSS counter (VmHWM) so that it covers (2) only
    fs.writeFileSync(`/proc/${backend.pid}/clear_refs`, '5');
    let peak = backend.peakRssMb();
    const t0 = performance.now();
    const ids = await Promise.all(
      Array.from({ length: 200 }, (_, i) => createResource(backend.base, `${tag.replace(/_/g, '-')}-c${i}`)),
    );
    const acceptedMs = performance.now() - t0;
    let states: string[] = [];
    for (;;) {
      peak = Math.max(peak, backend.peakRssMb());
      const res = await fetch(`${backend.base}/resources?limit=500&type=postgresql`, { headers });
      const body = await res.json();
      const mine = body.items.filter((r: any) => ids.includes(r.id));
      states = mine.map((r: any) => r.state);
      if (states.length === 200 && states.every(s => s === 'ready' || s === 'failed')) break;
      if (performance.now() - t0 > 600_000) break;
      await sleep(50);
    }
    const totalMs = performance.now() - t0;
    const ready = states.filter(s => s === 'ready').length;
    const failed = states.filter(s => s === 'failed').length;
    console.log(`(2) 200 concurrent creates: ${ready} ready, ${failed} failed; all accepted in ${ms(acceptedMs)}, all ready in ${(totalMs / 1000).toFixed(2)} s, throughput ${(200 / (totalMs / 1000)).toFixed(1)} databases/s`);
    console.log(`(4) backend peak RSS during (2): ${peak.toFixed(0)} MB (RSS before: ${rssBefore.toFixed(0)} MB)`);
  } finally {
    await backend.stop();
  }

  else await backend.stop();
  // (3) GET /resources with 10,000 resources, SQLite and PostgreSQL
  const sqliteFile = path.join(os.tmpdir(), `${tag}.sqlite`);
  const sqlite = knexFactory({ client: 'better-sqlite3', connection: { filename: sqliteFile }, useNullAsDefault: true });
  if (only !== 'catalog') await seed(sqlite, 10_000);
  await sqlite.destroy();
  const sqliteBackend = await startBackend({ sqliteFile });
  if (only !== 'catalog') try {
    const r = await listLatency(sqliteBackend.base);
    console.log(`(3) GET /resources?limit=50 with 10,000 resources on SQLite: p50 ${ms(r.p50)}, p95 ${ms(r.p95)}`);
  } finally {
    await sqliteBackend.stop();
    fs.rmSync(sqliteFile, { force: true });
  }
  else {
    await sqliteBackend.stop();
    fs.rmSync(sqliteFile, { force: true });
  }
  const pgListName = `${tag}_list`;
  const pgList = await createStore(pgListName);
  await seed(pgList, 10_000);
  await pgList.destroy();
  const pgBackend = await startBackend({ ...postgresConnection(), database: pgListName });
  try {
    const r = await listLatency(pgBackend.base);
    console.log(`(3) GET /resources?limit=50 with 10,000 resources on PostgreSQL: p50 ${ms(r.p50)}, p95 ${ms(r.p95)}`);
    console.log(`(4) backend RSS with 10,000 resources stored (PostgreSQL, after (3)): ${pgBackend.rssMb().toFixed(0)} MB`);
    const c = await catalogLatency(pgBackend.base, `${tag.replace(/_/g, '-')}-cat`);
    console.log(`(5) ready -> Resource entity handed to the catalog, 10,000 resources stored: delta p50 ${ms(c.p50)}, p95 ${ms(c.p95)} (goal < 1 s); a full re-list takes ${ms(c.fullMs)}`);
  } finally {
    await pgBackend.stop();
  }

  console.log(`Cleaning up the benchmark's databases and roles (${tag}*) in the background`);
  const child = spawn(process.execPath, [path.join(pkgDir, 'scripts/drop-test-databases.mjs'), TEST_POSTGRES_URL, tag], {
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
