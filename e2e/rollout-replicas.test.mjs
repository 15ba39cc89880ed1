// Two replicas run one rollout once, and a replica killed mid-rollout does not make anything apply twice (issue 14,
// tests): two real `node packages/backend` processes on ONE backend database (the local PostgreSQL, a random
// database prefix, dropped after), the provisioning postgres driver pointed at the same local server as its target.
// The orders team (the guest) requests N PostgreSQL databases at the type's create version (1.0.0); Priya of the
// platform team (development sign-in) starts a rollout of 1.1.0 in three waves with a soak time; while it runs on
// both replicas, the replica that runs its current wave is SIGKILLed as soon as the first wave has passed. The
// survivor finishes the rollout: it ends `succeeded`, every resource is at 1.1.0, each was updated by the rollout
// exactly once (one rollout `update` event, one move to `updating` and one `Updated` on each resource's event log),
// every resource has its `resource-rollout` audit event in one of the two logs (what the killed replica committed
// but never announced is announced by the survivor's outbox sweep), and the server really has the new settings
// (role and database connection limit 20, statement_timeout=60s on the role). The killed replica is found from the
// claims in the provisioning database (`claimed_by` names the process), else from its audit of the first wave's
// pass. Claims last 5 s here (provisioning.rollouts/reconciler.leaseDuration), so the survivor takes over quickly.
// Databases, roles and the backend databases are dropped after.
// PAVED_ROLLOUT_RESOURCES (default 10; 3 to 10, the type's quota per owner) resources; ports 7241 and 7242.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PG_URL, pgConnection, startBackendProcess, tail } from './lib/backendProcess.mjs';
import { token } from './lib/portal.mjs';

const PORTS = [7241, 7242];
const RESOURCES = Number(process.env.PAVED_ROLLOUT_RESOURCES ?? 10);
const WAVES = [10, 40]; // 10 resources: a canary of 1, then 4, then the remaining 5
const SOAK_SECONDS = 4; // each wave soaks 4 s: a poll every 200 ms sees "first wave passed, others not" for ≥ 8 s
const LEASE_MS = 5000; // rollout and reconciler claims: a killed replica's claims expire after 5 s
const TARGET = '1.1.0';
const run = Math.random().toString(36).slice(2, 8);
const prefix = `paved_rollrep_${process.pid}_${run}_`;
// Resource names rr<run>-<i>; the driver names the role and database rr<run>_<i>.
const names = Array.from({ length: RESOURCES }, (_, i) => `rr${run}-${i}`);
const pgNames = names.map(n => n.replace(/-/g, '_'));
const dataDir = mkdtempSync(join(tmpdir(), 'paved-rollout-replicas-'));
const secretsKey = randomBytes(32).toString('base64');
const sleep = ms => new Promise(r => setTimeout(r, ms));

function startBackend(name, port) {
  const connection = pgConnection();
  return startBackendProcess({
    name,
    port,
    configFile: join(dataDir, `app-config.${name}.json`),
    dataDir,
    env: { PAVED_DEMO_SERVICES: '0' },
    config: {
      backend: {
        baseUrl: `http://localhost:${port}`,
        listen: { port },
        database: { client: 'pg', prefix, connection, knexConfig: { pool: { min: 0, max: 3 } } },
      },
      catalog: { processingInterval: { seconds: 2 } },
      provisioning: {
        demo: { seedCostHistory: false },
        // one key for both replicas: either decrypts the credentials the other stored
        secrets: { key: secretsKey },
        drivers: {
          postgres: {
            connection: {
              host: connection.host,
              port: connection.port,
              user: connection.user,
              ...(connection.password ? { password: connection.password } : {}),
              database: 'postgres',
            },
          },
        },
        reconciler: { sweepInterval: 1000, leaseDuration: LEASE_MS },
        rollouts: { tickInterval: 1000, leaseDuration: LEASE_MS },
        // the announcement outbox: what a killed replica committed but never announced is announced by the
        // survivor 3 s later (default 30 s)
        announcements: { sweepInterval: 1000, gracePeriod: 3000 },
      },
    },
  });
}

/** Tokens per backend and user: the guest (dana.ortiz, orders team) or a development sign-in (priya.raman). */
const tokens = new Map();
async function tokenFor(backend, user) {
  const key = `${backend.url} ${user ?? 'guest'}`;
  if (!tokens.has(key)) {
    if (!user) {
      tokens.set(key, await token(backend.url));
    } else {
      const res = await fetch(`${backend.url}/api/auth/paved-dev/refresh`, {
        headers: { 'X-Requested-With': 'XMLHttpRequest', 'x-paved-dev-user': user },
      });
      if (!res.ok) throw new Error(`sign-in as ${user} on ${backend.name}: ${res.status} ${await res.text()}`);
      tokens.set(key, (await res.json()).backstageIdentity.token);
    }
  }
  return tokens.get(key);
}

async function api(backend, method, path, { body, user } = {}) {
  const res = await fetch(`${backend.url}/api/provisioning/v1${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${await tokenFor(backend, user)}`,
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} on ${backend.name}: ${res.status} ${text.slice(0, 500)}`);
  return JSON.parse(text);
}

async function until(what, backends, fn, timeoutMs, intervalMs = 1000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    const dead = backends.find(b => b.exitCode() !== undefined);
    if (dead) throw new Error(`${dead.name} exited with ${dead.exitCode()}:\n${tail(dead)}`);
    try {
      const value = await fn();
      if (value) return value;
    } catch (e) {
      if (e.fatal) throw e;
      last = e;
    }
    await sleep(intervalMs);
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what} (${last?.message ?? 'no error'}):\n${backends.map(b => `--- ${b.name}\n${tail(b, 30)}`).join('\n')}`,
  );
}

async function withClient(database, fn) {
  const client = new pg.Client({ connectionString: `${PG_URL}/${database}` });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The process in a worker id (`host:pid:uuid`) of a rollout or resource claim, as one of the replicas. */
const byWorker = (replicas, worker) => replicas.find(r => worker && worker.split(':').at(-2) === String(r.pid));

const running = new Set();
after(async () => {
  await Promise.all([...running].map(b => b.stop()));
  // DROP DATABASE checkpoints: a few connections at a time
  const dbs = await withClient('postgres', async c =>
    (await c.query('select datname from pg_database where datname like $1 or datname = any($2)', [`${prefix}%`, pgNames]))
      .rows.map(r => r.datname),
  );
  await Promise.all(
    [0, 1, 2, 3].map(k =>
      withClient('postgres', async c => {
        for (const datname of dbs.filter((_, i) => i % 4 === k)) {
          await c.query(`drop database if exists ${c.escapeIdentifier(datname)} with (force)`);
        }
      }),
    ),
  );
  await withClient('postgres', async c => {
    const roles = await c.query('select rolname from pg_roles where rolname = any($1)', [pgNames]);
    for (const { rolname } of roles.rows) await c.query(`drop role if exists ${c.escapeIdentifier(rolname)}`);
  });
  rmSync(dataDir, { recursive: true, force: true });
});

test(`two replicas roll PostgreSQL ${TARGET} out to ${RESOURCES} databases once, one of them killed mid-rollout`, { timeout: 600_000 }, async () => {
  const started = Date.now();
  // 1. Two replicas on one backend database (they take turns migrating it: the start-up lock).
  const replicas = PORTS.map((port, i) => startBackend(`replica-${i + 1}`, port));
  replicas.forEach(r => running.add(r));
  await Promise.all(
    replicas.map(r =>
      until(`${r.name} to serve the demo catalog (orders team, Priya)`, replicas, async () => {
        const auth = { Authorization: `Bearer ${await tokenFor(r)}` };
        for (const ref of ['group/default/orders-team', 'user/default/priya.raman']) {
          const res = await fetch(`${r.url}/api/catalog/entities/by-name/${ref}`, { headers: auth });
          if (!res.ok) return false;
        }
        return true;
      }, 300_000),
    ),
  );
  const upAt = Date.now();
  const [first] = replicas;

  // 2. N databases at the create version, requested by the orders team (the guest).
  const ids = [];
  for (const name of names) {
    const r = await api(first, 'POST', '/resources', {
      body: { name, type: 'postgresql', owner: 'group:default/orders-team', parameters: { size: 'small' } },
    });
    ids.push(r.id);
  }
  const ready = await until(`${RESOURCES} databases ready`, replicas, async () => {
    const all = await Promise.all(ids.map(id => api(first, 'GET', `/resources/${id}`)));
    const failed = all.find(r => r.state === 'failed');
    if (failed) throw Object.assign(new Error(`${failed.name} failed: ${failed.reason}`), { fatal: true });
    return all.every(r => r.state === 'ready') ? all : undefined;
  }, 120_000, 500);
  for (const r of ready) assert.equal(r.appliedVersion, '1.0.0', `${r.name} starts at the create version`);
  const limitsBefore = await withClient('postgres', c =>
    c.query('select rolname, rolconnlimit from pg_roles where rolname = any($1)', [pgNames]),
  );
  assert.deepEqual(limitsBefore.rows.map(r => r.rolconnlimit), pgNames.map(() => 10));

  // 3. Priya (platform team: provisioning.rollout.manage) starts the rollout in three waves.
  const rollout = await api(first, 'POST', '/rollouts', {
    user: 'priya.raman',
    body: { type: 'postgresql', targetVersion: TARGET, waves: WAVES, soakSeconds: SOAK_SECONDS },
  });
  assert.equal(rollout.status, 'running');
  assert.equal(rollout.total, RESOURCES);
  assert.ok(rollout.waves.length >= 3, `waves: ${rollout.waves.map(w => w.total).join(', ')}`);
  const rolloutStartedAt = Date.now();

  // 4. As soon as the first wave has passed (the others have not), kill the replica that runs the rollout.
  const atKill = await until('the first wave to pass', replicas, async () => {
    const r = await api(first, 'GET', `/rollouts/${rollout.id}`);
    if (r.status !== 'running') {
      const why = `the rollout is ${r.status} (${r.reason ?? ''}) before the kill: nothing was proved`;
      throw Object.assign(new Error(why), { fatal: true });
    }
    return r.waves[0].status === 'passed' ? r : undefined;
  }, 120_000, 200);
  const wave = atKill.waves[atKill.currentWave];
  // Who runs it: the holder of the rollout's claim (mid-tick); between ticks, the replica that audited the first
  // wave's pass (the same tick started the second wave); else the holder of a claim on one of the wave's resources
  // (its reconciler, which the runner kicked); else replica-1.
  const claims = await withClient(`${prefix}provisioning`, async c => ({
    rollout: (await c.query('select claimed_by from provisioning_rollouts where id = $1', [rollout.id])).rows[0]?.claimed_by,
    resources: (
      await c.query('select claimed_by from provisioning_resources where id = any($1) and claimed_by is not null', [
        wave.items.map(i => i.resourceId),
      ])
    ).rows.map(r => r.claimed_by),
  }));
  const passedWave1 = replicas.filter(r =>
    r.log().split('\n').some(l => l.includes('rollout-wave-passed') && l.includes(rollout.id)),
  );
  const [runner, how] = [
    [byWorker(replicas, claims.rollout), 'holds the rollout claim'],
    [passedWave1.length === 1 ? passedWave1[0] : undefined, `passed wave 1 and started wave ${atKill.currentWave + 1}`],
    [claims.resources.map(w => byWorker(replicas, w)).find(Boolean), `holds claims on wave ${atKill.currentWave + 1} resources`],
    [first, 'is the default: nothing told who runs the rollout'],
  ].find(([r]) => r);
  await runner.kill();
  running.delete(runner);
  const killedAt = Date.now();
  assert.ok(
    atKill.status === 'running' && atKill.currentWave >= 1 && atKill.currentWave < atKill.waves.length,
    `the rollout was not mid-way at the kill (${JSON.stringify(atKill.waves.map(w => w.status))}): nothing was proved`,
  );
  const survivor = replicas.find(r => r !== runner);
  console.log(
    `killed ${runner.name} (it ${how}) after wave 1 of ${atKill.waves.length}, wave ${atKill.currentWave + 1} ${wave.status} (${wave.applied}/${wave.total} applied)`,
  );

  // 5. The survivor finishes the rollout (a dead replica's claims expire after LEASE_MS).
  const done = await until('the rollout to finish on the survivor', [survivor], async () => {
    const r = await api(survivor, 'GET', `/rollouts/${rollout.id}`);
    return r.status === 'running' ? undefined : r;
  }, 240_000, 500);
  const finishedAt = Date.now();
  assert.equal(done.status, 'succeeded', `rollout ${done.status}: ${done.reason ?? ''}\n${tail(survivor)}`);
  assert.equal(done.applied, RESOURCES);
  const items = done.waves.flatMap(w => w.items);
  assert.deepEqual(items.map(i => i.status), items.map(() => 'applied'), JSON.stringify(items));
  assert.match(survivor.log(), new RegExp(`Rollout ${rollout.id} of postgresql ${TARGET.replace(/\./g, '\\.')} succeeded`));

  // 6. Every resource at the new version, updated by this rollout exactly once.
  const actor = `plugin:provisioning/rollout:${rollout.id}`;
  for (const id of ids) {
    const r = await api(survivor, 'GET', `/resources/${id}`);
    assert.equal(r.state, 'ready', `${r.name}: ${r.state}`);
    assert.equal(r.appliedVersion, TARGET, `${r.name} applied version`);
    assert.equal(r.targetVersion, undefined, `${r.name} still has a target version`);
    const { items: events } = await api(survivor, 'GET', `/resources/${id}/events`);
    const byRollout = events.filter(e => e.actor === actor);
    assert.equal(byRollout.length, 1, `${r.name}: ${byRollout.length} rollout events:\n${JSON.stringify(events, null, 1)}`);
    assert.match(byRollout[0].message, new RegExp(`^Rollout ${rollout.id}: applying postgresql ${TARGET.replace(/\./g, '\\.')}`));
    const since = events.slice(events.indexOf(byRollout[0]));
    const updated = since.filter(e => e.toState === 'ready' && e.message === 'Updated');
    const shown = JSON.stringify(since, null, 1);
    assert.equal(updated.length, 1, `${r.name}: updated ${updated.length} times after the rollout's update:\n${shown}`);
    assert.equal(since.filter(e => e.toState === 'updating').length, 1, `${r.name}: moved to updating again:\n${shown}`);
  }
  // The audit trail is complete: every resource has its resource-rollout audit event in one of the two replicas'
  // logs. The killed replica may have committed some updates without announcing them (the audit is logged after
  // the commit); the survivor's outbox sweep announces those after the grace period. At least once: a second
  // event for a resource is possible only if the replica died between announcing and marking it announced.
  const auditedOf = () =>
    replicas
      .flatMap(r => r.log().replace(/\x1b\[[0-9;]*m/g, '').split('\n'))
      .filter(l => l.includes('eventId="resource-rollout"') && l.includes(actor) && l.includes('status="succeeded"'));
  const complete = await until('a resource-rollout audit event for every resource', [survivor], async () => {
    const audited = auditedOf();
    return ids.every(id => audited.some(l => l.includes(id))) ? audited : undefined;
  }, 60_000, 500);
  const swept = (survivor.log().match(/Announced (\d+) lifecycle event\(s\) that were committed but not announced/g) ?? [])
    .map(m => Number(m.match(/\d+/)[0]))
    .reduce((a, b) => a + b, 0);
  for (const id of ids) {
    const n = complete.filter(l => l.includes(id)).length;
    assert.ok(n >= 1 && n <= 2, `resource-rollout audit events of ${id}: ${n}`);
  }

  // 7. The server really has 1.1.0's settings: connection limit 20 (small) on role and database, the timeout.
  const server = await withClient('postgres', c =>
    c.query(
      `select r.rolname, r.rolconnlimit, d.datconnlimit,
              (select s.setconfig from pg_db_role_setting s where s.setrole = r.oid and s.setdatabase = 0) as config
         from pg_roles r join pg_database d on d.datname = r.rolname
        where r.rolname = any($1) order by r.rolname`,
      [pgNames],
    ),
  );
  assert.equal(server.rows.length, RESOURCES);
  for (const row of server.rows) {
    assert.equal(row.rolconnlimit, 20, `${row.rolname} role connection limit`);
    assert.equal(row.datconnlimit, 20, `${row.rolname} database connection limit`);
    assert.ok((row.config ?? []).includes('statement_timeout=60s'), `${row.rolname}: ${JSON.stringify(row.config)}`);
  }

  console.log(
    `killed ${runner.name} after wave 1 of ${done.waves.length} (waves ${done.waves.map(w => w.total).join('/')}, ${SOAK_SECONDS} s soak); ` +
      `${survivor.name} finished the rollout ${((finishedAt - killedAt) / 1000).toFixed(1)} s later ` +
      `(rollout ${((finishedAt - rolloutStartedAt) / 1000).toFixed(1)} s); ${RESOURCES} resources applied once each ` +
      `(every resource audited; the survivor's outbox sweep announced ${swept} event(s) the killed replica had committed but not announced); ` +
      `replicas up in ${((upAt - started) / 1000).toFixed(0)} s, total ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  await survivor.stop();
  running.delete(survivor);
});
