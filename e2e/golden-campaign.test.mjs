// An upgrade campaign survives a killed backend (issue 12, tests): a real `node packages/backend` process on the
// local PostgreSQL (random database prefix, dropped after) with a fleet of N golden-path services made as a v1 run
// leaves them (bare repositories on the embedded git server's directory, Components annotated with their template
// version; plugins/scaffolder-backend-module-golden-paths/scripts/make-fleet.ts). The platform team starts the
// campaign to 2.0.0; once some upgrades are done and others are running, the backend is killed with SIGKILL; a new
// backend on the same database and directory resumes the campaign's scaffolder tasks (scaffolder.taskRecovery),
// and the campaign finishes with every service's upgrade branch pushed exactly once, tested and conflict-free,
// and every default branch untouched.
// PAVED_CAMPAIGN_SERVICES (default 8) services; port PAVED_CAMPAIGN_PORT (default 7231).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { nodeTransform, PG_URL, pgConnection, startBackendProcess, tail } from './lib/backendProcess.mjs';
import { ROOT, token } from './lib/portal.mjs';

const run = promisify(execFile);
const MODULE_DIR = join(ROOT, 'plugins', 'scaffolder-backend-module-golden-paths');
const SERVICES = Number(process.env.PAVED_CAMPAIGN_SERVICES ?? 8);
const PORT = Number(process.env.PAVED_CAMPAIGN_PORT ?? 7231);
const TEMPLATE = 'template:default/typescript-service';
const TEAM_TEST_MS = 3000;
const BRANCH = 'paved/upgrade/typescript-service-2.0.0';
const prefix = `paved_campaign_${process.pid}_${Math.random().toString(36).slice(2, 8)}_`;
const dataDir = mkdtempSync(join(tmpdir(), 'paved-campaign-'));
const url = `http://localhost:${PORT}`;
const sleep = ms => new Promise(r => setTimeout(r, ms));

function startBackend(name) {
  return startBackendProcess({
    name,
    port: PORT,
    configFile: join(dataDir, `app-config.${name}.json`),
    dataDir,
    env: { PAVED_DEMO_SERVICES: '0' },
    config: {
      backend: {
        baseUrl: url,
        listen: { port: PORT },
        database: { client: 'pg', prefix, connection: pgConnection() },
      },
      catalog: {
        processingInterval: { seconds: 2 },
        locations: [
          { type: 'file', target: join(ROOT, 'catalog', 'all.yaml') },
          { type: 'file', target: join(ROOT, 'templates', 'all.yaml') },
          { type: 'file', target: join(dataDir, 'fleet.yaml') },
        ],
      },
      // dana.ortiz (the guest) is in orders-team: let that team run campaigns here. Two upgrades at a time, each
      // at least TEAM_TEST_MS long (the services' own slow test): a poll every 200 ms sees the campaign half done
      // however fast the machine is.
      scaffolder: {
        concurrentTasksLimit: 2,
        paved: { upgrades: { campaignOwners: ['group:default/orders-team'] } },
      },
    },
  });
}

async function api(method, path, body) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${await token(url)}`, 'Content-Type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 500)}`);
  return JSON.parse(text);
}

async function until(what, backend, fn, timeoutMs, intervalMs = 1000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  let exitCode;
  backend.exited.then(code => (exitCode = code));
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`${backend.name} exited with ${exitCode}:\n${tail(backend)}`);
    try {
      const value = await fn();
      if (value) return value;
    } catch (e) {
      last = e;
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out waiting for ${what} (${last?.message ?? 'no error'}):\n${tail(backend)}`);
}

const running = new Set();
after(async () => {
  await Promise.all([...running].map(b => b.stop()));
  const client = new pg.Client({ connectionString: `${PG_URL}/postgres` });
  await client.connect();
  try {
    const { rows } = await client.query('select datname from pg_database where datname like $1', [`${prefix}%`]);
    for (const { datname } of rows) {
      await client.query(`drop database if exists ${client.escapeIdentifier(datname)} with (force)`);
    }
  } finally {
    await client.end();
  }
  rmSync(dataDir, { recursive: true, force: true });
});

test(`a campaign over ${SERVICES} services finishes after its backend is killed mid-run`, { timeout: 900_000 }, async () => {
  const { stdout } = await run(
    process.execPath,
    ['--require', nodeTransform, 'scripts/make-fleet.ts', dataDir, String(SERVICES), 'fleet'],
    { cwd: MODULE_DIR, env: { ...process.env, PAVED_FLEET_TEAM_TEST_MS: String(TEAM_TEST_MS) } },
  );
  const names = JSON.parse(stdout.trim().split('\n').pop());
  const gitdir = name => join(dataDir, 'git', `${name}.git`);
  const mainBefore = {};
  for (const name of names) {
    mainBefore[name] = (await run('git', ['rev-parse', 'refs/heads/main'], { cwd: gitdir(name) })).stdout.trim();
  }

  // 1. The first backend sees the fleet behind and starts the campaign.
  const first = startBackend('first');
  running.add(first);
  await until('the fleet in the Golden paths API', first, async () => {
    const templates = (await api('GET', '/api/scaffolder/golden-paths/v1/templates')).items;
    const t = templates.find(x => x.ref === TEMPLATE);
    return t && t.counts.behind === SERVICES && t.current === '2.0.0';
  }, 300_000);
  const campaign = await api('POST', '/api/scaffolder/golden-paths/v1/campaigns', { template: TEMPLATE });
  assert.equal(campaign.total, SERVICES);

  // 2. Once some upgrades are done and the rest are not, kill it.
  const atKill = await until('some upgrades done', first, async () => {
    const c = await api('GET', `/api/scaffolder/golden-paths/v1/campaigns/${campaign.id}`);
    return c.done >= 1 ? c : undefined;
  }, 300_000, 200);
  await first.kill();
  running.delete(first);
  assert.ok(atKill.done < SERVICES, `the campaign finished before the kill (${JSON.stringify(atKill)}): nothing was proved`);

  // 3. A new backend on the same database resumes the campaign's tasks.
  const second = startBackend('second');
  running.add(second);
  const finished = await until('the campaign to finish', second, async () => {
    const c = await api('GET', `/api/scaffolder/golden-paths/v1/campaigns/${campaign.id}`);
    return c.finished ? c : undefined;
  }, 600_000);
  assert.deepEqual(finished.counts, { open: SERVICES }, `campaign after the restart: ${JSON.stringify(finished)}\n${tail(second)}`);

  // 4. Every service: its upgrade branch pushed once (one commit on top of the untouched default branch).
  for (const name of names) {
    const main = (await run('git', ['rev-parse', 'refs/heads/main'], { cwd: gitdir(name) })).stdout.trim();
    assert.equal(main, mainBefore[name], `${name}: the default branch moved`);
    const count = (await run('git', ['rev-list', '--count', `main..${BRANCH}`], { cwd: gitdir(name) })).stdout.trim();
    assert.equal(count, '1', `${name}: ${count} commits on ${BRANCH}`);
  }
  const templates = (await api('GET', '/api/scaffolder/golden-paths/v1/templates')).items;
  const t = templates.find(x => x.ref === TEMPLATE);
  assert.equal(t.counts.open, SERVICES);
  console.log(
    `killed with ${atKill.done} of ${SERVICES} upgrades done (${JSON.stringify(atKill.counts)}); after the restart: ${JSON.stringify(finished.counts)}`,
  );
  await second.stop();
  running.delete(second);
});
