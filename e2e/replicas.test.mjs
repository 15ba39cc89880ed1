// Backend processes as an orchestrator sees them (issue 10 item 8): real `node packages/backend` processes,
// not the CLI's restarting dev server, on the local PostgreSQL with a random database prefix (dropped after).
// - a backend that cannot start exits non-zero with the reason;
// - `--migrate-only` (what `./portal migrate` runs) migrates an empty database and exits 0;
// - two replicas started at the same moment on an empty database both come up and serve the catalog, 3 times.
// Ports 7201/7202 (the `replicas` range), so this runs beside a developer's portal.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import pg from 'pg';
import { PG_URL, pgConnection, startBackendProcess, tail as tailOf } from './lib/backendProcess.mjs';
import { token } from './lib/portal.mjs';

// PAVED_REPLICAS_NO_LOCK=1 turns the start-up lock off, to see Backstage's own migration race (the rounds fail).
const startupLock = { enabled: process.env.PAVED_REPLICAS_NO_LOCK !== '1' };

function pgDatabaseConfig(prefix, overrides = {}) {
  return { client: 'pg', prefix, startupLock, connection: { ...pgConnection(), ...overrides } };
}

/** Starts `node packages/backend/src/index.ts` (as the production image runs dist/) with extra config. */
function startBackend({ name, port, database, args = [], dataDir, config = {}, baseUrl = `http://localhost:${port}` }) {
  const dir = mkdtempSync(join(tmpdir(), `paved-replica-${name}-`));
  const backend = startBackendProcess({
    name,
    port,
    args,
    configFile: join(dir, 'app-config.test.json'),
    dataDir: dataDir ?? dir,
    config: {
      ...config,
      backend: { baseUrl, listen: { port }, database, ...config.backend },
      catalog: { processingInterval: { seconds: 2 } },
    },
  });
  return {
    ...backend,
    stop: async () => {
      await backend.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const tail = (backend, n = 40) => tailOf(backend, n);

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

/**
 * The load balancer in front of the replicas: one base URL (as in production), each connection goes to the
 * next replica that accepts it, so a killed replica's share goes to the others.
 */
function loadBalancer(port, targets) {
  let next = 0;
  const server = net.createServer(client => {
    const order = targets.map((_, i) => targets[(next + i) % targets.length]);
    next = (next + 1) % targets.length;
    const tryConnect = i => {
      if (i >= order.length) return client.destroy();
      const upstream = net.connect(order[i], '127.0.0.1');
      upstream.once('connect', () => {
        client.pipe(upstream).pipe(client);
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
      });
      upstream.once('error', () => tryConnect(i + 1));
    };
    client.pause();
    tryConnect(0);
    client.resume();
  });
  return new Promise(resolve => server.listen(port, '127.0.0.1', () => resolve(server)));
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

  test('a golden-path task of a killed replica is resumed by the other, with its files and exactly one database', async () => {
    const prefix = randomPrefix();
    prefixes.add(prefix);
    // One machine's data directory (the embedded git server's repositories, the secrets key); the task's
    // workspace goes through the database (scaffolder.taskRecovery.workspaceProvider: database).
    const dataDir = mkdtempSync(join(tmpdir(), 'paved-replicas-shared-'));
    const u = new URL(PG_URL);
    const lb = await loadBalancer(7200, [7201, 7202]);
    const config = {
      // The embedded git server's raw URLs name the replica that published (its internal address).
      backend: { reading: { allow: ['localhost:7200', 'localhost:7201', 'localhost:7202'].map(host => ({ host })) } },
      provisioning: {
        drivers: {
          postgres: {
            connection: {
              host: u.hostname,
              port: Number(u.port || 5432),
              user: decodeURIComponent(u.username || 'postgres'),
              ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
              database: 'postgres',
            },
          },
        },
      },
    };
    const replicas = [7201, 7202].map((port, i) =>
      startBackend({
        name: `replica-${i + 1}`,
        port,
        database: pgDatabaseConfig(prefix),
        dataDir,
        // Each replica's local workspace folder is its own: only the database is shared.
        config: { ...config, scaffolder: { paved: { workspaces: { directory: join(dataDir, `workspaces-${i + 1}`) } } } },
        baseUrl: 'http://localhost:7200',
      }),
    );
    replicas.forEach(r => running.add(r));
    const service = `rep${Math.random().toString(36).slice(2, 8)}`;
    const pgName = `${service}_db`;
    const admin = new pg.Client({ connectionString: `${PG_URL}/postgres` });
    await admin.connect();
    try {
      await Promise.all(replicas.map(r => waitForCatalog(r)));
      const [first] = replicas;
      const auth = async r => ({ Authorization: `Bearer ${await token(r.url)}`, 'Content-Type': 'application/json' });
      // The template is in the catalog once its location has been processed.
      for (let i = 0; ; i++) {
        const res = await fetch(`${first.url}/api/catalog/entities/by-name/template/default/typescript-service`, {
          headers: await auth(first),
        });
        if (res.ok) break;
        if (i > 120) throw new Error(`template not in the catalog: ${res.status}`);
        await new Promise(r => setTimeout(r, 1000));
      }
      const created = await fetch(`${first.url}/api/scaffolder/v2/tasks`, {
        method: 'POST',
        headers: await auth(first),
        body: JSON.stringify({
          templateRef: 'template:default/typescript-service',
          values: {
            name: service,
            description: 'A service created by the replicas test',
            owner: 'group:default/orders-team',
            system: 'system:default/orders',
            database: true,
            databaseSize: 'small',
            redis: false,
          },
        }),
      });
      assert.equal(created.status, 201, await created.clone().text());
      const { id: taskId } = await created.json();

      // Kill the replica that runs the task as soon as its first step (the files) is done.
      let runner;
      for (let i = 0; !runner; i++) {
        const events = await (
          await fetch(`${first.url}/api/scaffolder/v2/tasks/${taskId}/events`, { headers: await auth(first) })
        ).json();
        const fetched = events.some(e => e.body?.stepId === 'fetch' && e.body?.status === 'completed');
        const owner = replicas.find(r => r.log().includes(taskId));
        if (fetched && owner) runner = owner;
        if (i > 600) throw new Error(`task ${taskId} did not complete its first step: ${JSON.stringify(events.slice(-3))}`);
        if (!runner) await new Promise(r => setTimeout(r, 100));
      }
      console.log(`killing ${runner.name}, which runs task ${taskId}, after its first step`);
      runner.kill();
      // The workspace after the first step is in the scaffolder's database, where every replica reads it.
      const scaffolderDb = new pg.Client({ connectionString: `${PG_URL}/${prefix}scaffolder` });
      await scaffolderDb.connect();
      try {
        const { rows } = await scaffolderDb.query(
          'select octet_length(workspace) as bytes from scaffolder_task_workspaces where task_id = $1',
          [taskId],
        );
        assert.equal(rows.length, 1, 'workspace row of the running task');
        assert.ok(rows[0].bytes > 0);
      } finally {
        await scaffolderDb.end();
      }
      const survivor = replicas.find(r => r !== runner);
      const killedAt = Date.now();

      let task;
      for (;;) {
        task = await (
          await fetch(`${survivor.url}/api/scaffolder/v2/tasks/${taskId}`, { headers: await auth(survivor) })
        ).json();
        if (['completed', 'failed', 'cancelled'].includes(task.status)) break;
        if (Date.now() - killedAt > 240_000) throw new Error(`task still ${task.status} 240 s after the kill`);
        await new Promise(r => setTimeout(r, 1000));
      }
      const events = await (
        await fetch(`${survivor.url}/api/scaffolder/v2/tasks/${taskId}/events`, { headers: await auth(survivor) })
      ).json();
      const messages = events.map(e => e.body?.message).filter(Boolean);
      assert.equal(task.status, 'completed', `task ${task.status}:\n${messages.slice(-15).join('\n')}\n${tail(survivor)}`);
      assert.ok(survivor.log().includes(taskId), 'the surviving replica ran the rest of the task');
      console.log(`resumed by ${survivor.name} ${Math.round((Date.now() - killedAt) / 1000)} s after killing ${runner.name}`);

      // Its files: the published repository has the skeleton's files, which only the fetch step wrote.
      const readme = await fetch(`${survivor.url}/api/catalog/entities/by-name/component/default/${service}`, {
        headers: await auth(survivor),
      });
      assert.equal(readme.status, 200, 'the published repository was registered (its catalog-info.yaml came from the workspace)');
      // Exactly one database and one resource.
      const dbs = await admin.query('select datname from pg_database where datname = $1', [pgName]);
      assert.equal(dbs.rows.length, 1, `databases named ${pgName}`);
      const resources = await (
        await fetch(`${survivor.url}/api/provisioning/v1/resources?entityRef=component:default/${service}`, { headers: await auth(survivor) })
      ).json();
      const items = (resources.items ?? resources).filter(r => r.name === `${service}-db`);
      assert.equal(items.length, 1, JSON.stringify(resources).slice(0, 500));
    } finally {
      await Promise.all(replicas.map(r => r.stop()));
      replicas.forEach(r => running.delete(r));
      await admin.query(`drop database if exists ${admin.escapeIdentifier(pgName)} with (force)`).catch(() => {});
      const roles = await admin.query('select rolname from pg_roles where rolname like $1', [`${service}%`]);
      for (const { rolname } of roles.rows) await admin.query(`drop role if exists ${admin.escapeIdentifier(rolname)}`).catch(() => {});
      await admin.end();
      await dropDatabases(prefix);
      prefixes.delete(prefix);
      rmSync(dataDir, { recursive: true, force: true });
      lb.close();
    }
  });
});
