// Backend processes as an orchestrator sees them (issue 10 item 8): real `node packages/backend` processes,
// not the CLI's restarting dev server, on the local PostgreSQL with a random database prefix (dropped after).
// - a backend that cannot start exits non-zero with the reason;
// - `--migrate-only` (what `./portal migrate` runs) migrates an empty database and exits 0;
// - two replicas started at the same moment on an empty database both come up and serve the catalog, 3 times.
// Ports 7201/7202 (the `replicas` range), so this runs beside a developer's portal.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import pg from 'pg';
import { ROOT, token } from './lib/portal.mjs';

const PG_URL = process.env.PAVED_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432';
const BACKEND_DIR = join(ROOT, 'packages', 'backend');
const nodeTransform = createRequire(join(BACKEND_DIR, 'package.json')).resolve(
  '@backstage/cli-node/config/nodeTransform.cjs',
);

// PAVED_REPLICAS_NO_LOCK=1 turns the start-up lock off, to see Backstage's own migration race (the rounds fail).
const startupLock = { enabled: process.env.PAVED_REPLICAS_NO_LOCK !== '1' };

function pgDatabaseConfig(prefix, overrides = {}) {
  const u = new URL(PG_URL);
  return {
    client: 'pg',
    prefix,
    startupLock,
    connection: {
      host: u.hostname,
      port: Number(u.port || 5432),
      user: decodeURIComponent(u.username || 'postgres'),
      password: decodeURIComponent(u.password),
      ...overrides,
    },
  };
}

/** Starts `node packages/backend/src/index.ts` (as the production image runs dist/) with extra config. */
function startBackend({ name, port, database, args = [] }) {
  const dir = mkdtempSync(join(tmpdir(), `paved-replica-${name}-`));
  const configFile = join(dir, 'app-config.test.yaml');
  writeFileSync(
    configFile,
    JSON.stringify({
      backend: { baseUrl: `http://localhost:${port}`, listen: { port }, database },
      catalog: { processingInterval: { seconds: 2 } },
    }),
  );
  let log = '';
  const child = spawn(
    process.execPath,
    [
      '--enable-source-maps',
      '--require',
      nodeTransform,
      'src/index.ts',
      ...args,
      '--config',
      join(ROOT, 'app-config.yaml'),
      '--config',
      configFile,
    ],
    {
      cwd: BACKEND_DIR,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PAVED_DATA_DIR: dir, NODE_ENV: 'development' },
    },
  );
  child.stdout.on('data', d => (log += d));
  child.stderr.on('data', d => (log += d));
  const exited = new Promise(resolve => child.once('exit', code => resolve(code)));
  const stop = async () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
      await Promise.race([exited, new Promise(r => setTimeout(r, 15_000))]);
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // gone
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return { name, url: `http://localhost:${port}`, exited, stop, log: () => log };
}

const tail = (backend, n = 40) => backend.log().split('\n').slice(-n).join('\n');

/** Resolves with the exit code, or rejects when the process is still running after `ms`. */
function exitWithin(backend, ms) {
  return Promise.race([
    backend.exited,
    new Promise((_, reject) =>
      setTimeout(() => reject(new Error(`${backend.name} still running after ${ms} ms:\n${tail(backend)}`)), ms),
    ),
  ]);
}

/** Waits until the backend answers GET /api/catalog/entities with 200 and at least one entity. */
async function waitForCatalog(backend, timeoutMs = 240_000) {
  const deadline = Date.now() + timeoutMs;
  let exitCode;
  backend.exited.then(code => (exitCode = code));
  while (Date.now() < deadline) {
    if (exitCode !== undefined) {
      throw new Error(`${backend.name} exited with ${exitCode}:\n${tail(backend)}`);
    }
    try {
      const res = await fetch(`${backend.url}/api/catalog/entities?limit=5&fields=metadata.name`, {
        headers: { Authorization: `Bearer ${await token(backend.url)}` },
      });
      if (res.ok) {
        const entities = await res.json();
        if (entities.length > 0) return entities;
      }
    } catch {
      // not up yet
    }
    await new Promise(r => setTimeout(r, 1000));
  }
  throw new Error(`${backend.name} did not serve the catalog in ${timeoutMs} ms:\n${tail(backend)}`);
}

async function dropDatabases(prefix) {
  const client = new pg.Client({ connectionString: `${PG_URL}/postgres` });
  await client.connect();
  try {
    const { rows } = await client.query('select datname from pg_database where datname like $1', [`${prefix}%`]);
    for (const { datname } of rows) {
      await client.query(`drop database if exists ${client.escapeIdentifier(datname)} with (force)`);
    }
    return rows.map(r => r.datname);
  } finally {
    await client.end();
  }
}

const randomPrefix = () => `paved_rep_${process.pid}_${Math.random().toString(36).slice(2, 8)}_`;

describe('backend processes', () => {
  const running = new Set();
  const prefixes = new Set();
  after(async () => {
    await Promise.all([...running].map(b => b.stop()));
    for (const prefix of prefixes) await dropDatabases(prefix);
  });

  test('a backend that cannot start exits with code 1 and the reason', async () => {
    // Nothing listens on 7249 (the end of this test's port range): the database is "down" at start-up.
    const backend = startBackend({
      name: 'no-database',
      port: 7203,
      database: pgDatabaseConfig(randomPrefix(), { host: '127.0.0.1', port: 7249 }),
    });
    running.add(backend);
    const code = await exitWithin(backend, 180_000);
    running.delete(backend);
    await backend.stop();
    assert.equal(code, 1, tail(backend));
    assert.match(backend.log(), /Backend start-up failed, exiting: .*startup failed/s);
    assert.match(backend.log(), /ECONNREFUSED 127\.0\.0\.1:7249/);
  });

  test('--migrate-only migrates an empty database and exits 0', async () => {
    const prefix = randomPrefix();
    prefixes.add(prefix);
    const backend = startBackend({ name: 'migrate', port: 7204, database: pgDatabaseConfig(prefix), args: ['--migrate-only'] });
    running.add(backend);
    const code = await exitWithin(backend, 240_000);
    running.delete(backend);
    await backend.stop();
    assert.equal(code, 0, tail(backend));
    assert.match(backend.log(), /Migrations complete/);
    const client = new pg.Client({ connectionString: `${PG_URL}/${prefix}catalog` });
    await client.connect();
    try {
      const { rows } = await client.query("select count(*)::int as n from knex_migrations");
      assert.ok(rows[0].n > 10, `catalog migrations recorded: ${rows[0].n}`);
    } finally {
      await client.end();
    }
  });

  for (const round of [1, 2, 3]) {
    test(`two replicas started together on an empty database both serve the catalog (round ${round})`, async () => {
      const prefix = randomPrefix();
      prefixes.add(prefix);
      const replicas = [7201, 7202].map((port, i) =>
        startBackend({ name: `replica-${i + 1}`, port, database: pgDatabaseConfig(prefix) }),
      );
      replicas.forEach(r => running.add(r));
      try {
        const served = await Promise.all(replicas.map(r => waitForCatalog(r)));
        served.forEach(entities => assert.ok(entities.length > 0));
        for (const replica of replicas) {
          assert.doesNotMatch(replica.log(), /MigrationLocked|relation "[^"]+" already exists|pg_type_typname_nsp_index/);
        }
      } finally {
        await Promise.all(replicas.map(r => r.stop()));
        replicas.forEach(r => running.delete(r));
        await dropDatabases(prefix);
        prefixes.delete(prefix);
      }
    });
  }
});
