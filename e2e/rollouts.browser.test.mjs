// Rollouts of a resource type version end to end (issue 14), in real Chromium against `./portal start`: the dev
// config declares PostgreSQL 1.0.0 (new databases start there) and 1.1.0 (connection limits 20/40/80, a 60 s
// statement timeout). Four databases are requested at 1.0.0 (API, as the orders team); Priya of the platform team
// opens Self-service > Rollouts, starts a rollout in waves, watches the canary pass its gate and the rest follow,
// and the databases really have the new limit. Then she starts a second rollout (four new databases, a long
// soak) and aborts it midway: it stops cleanly, the canary at 1.1.0, the rest untouched.
// Owner: plugins/provisioning (Rollouts view). Screenshots: e2e-results/screenshots/rollouts-*.png
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import {
  backendUrl,
  baseUrl,
  dataDir,
  eventually,
  launchBrowser,
  screenshot,
  token,
} from './lib/portal.mjs';

const READY_TIMEOUT_MS = 120_000;
const ROLLOUT_TIMEOUT_MS = 180_000;

let browser;
const created = [];
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  // leave the demo as it was
  for (const id of created) {
    await api('DELETE', `/resources/${id}`).catch(() => undefined);
  }
});

async function api(method, path, body) {
  const res = await fetch(`${backendUrl}/api/provisioning/v1${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${await token()}`,
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Requests `count` small PostgreSQL databases as the orders team (the guest) and waits until they are ready. */
async function requestDatabases(prefix, count) {
  const ids = [];
  for (let i = 0; i < count; i += 1) {
    const r = await api('POST', '/resources', {
      name: `${prefix}-${i}`,
      type: 'postgresql',
      owner: 'group:default/orders-team',
      parameters: { size: 'small' },
    });
    ids.push(r.id);
    created.push(r.id);
  }
  const ready = await eventually(
    `${count} databases ready`,
    async () => {
      const all = await Promise.all(ids.map(id => api('GET', `/resources/${id}`)));
      if (all.some(r => r.state === 'failed')) {
        const e = new Error(`a database failed: ${all.find(r => r.state === 'failed').reason}`);
        e.fatal = true;
        throw e;
      }
      return all.every(r => r.state === 'ready') ? all : undefined;
    },
    READY_TIMEOUT_MS,
  );
  for (const r of ready) assert.equal(r.appliedVersion, '1.0.0', `${r.name} starts at 1.0.0`);
  return ready;
}

function adminConnection(host, port) {
  if (process.env.PAVED_E2E_PG_ADMIN_URL) {
    return { connectionString: process.env.PAVED_E2E_PG_ADMIN_URL };
  }
  const passwordFile = join(dataDir, 'embedded-postgres.password');
  const password = existsSync(passwordFile) ? readFileSync(passwordFile, 'utf8').trim() : undefined;
  return { host, port: Number(port), user: 'postgres', password, database: 'postgres' };
}

/** rolconnlimit and the role's settings of each database, read from the server. */
async function serverSettings(resources) {
  const { host, port } = resources[0].outputs;
  const client = new pg.Client(adminConnection(host, port));
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT r.rolname, r.rolconnlimit,
              (SELECT s.setconfig FROM pg_db_role_setting s WHERE s.setrole = r.oid AND s.setdatabase = 0) AS config
         FROM pg_roles r WHERE r.rolname = ANY($1) ORDER BY r.rolname`,
      [resources.map(r => r.outputs.username)],
    );
    return rows;
  } finally {
    await client.end();
  }
}

async function signInAsPriya() {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(baseUrl);
  const card = page.locator('div', { has: page.getByText('Priya Raman (platform team)') }).filter({
    has: page.getByRole('button', { name: 'Sign In' }),
  });
  await card.last().getByRole('button', { name: 'Sign In' }).click();
  await page.getByRole('button', { name: 'Enter' }).waitFor({ state: 'detached' });
  return page;
}

async function openRollouts(page) {
  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await nav.getByRole('link', { name: 'Self-service' }).click();
  await page.waitForURL(/\/provisioning$/);
  await page.getByRole('tab', { name: 'Rollouts' }).click();
  await page.waitForURL(/\/provisioning\/rollouts$/);
  await page.getByTestId('type-row-postgresql').waitFor();
}

async function startRollout(page, { waves, soakSeconds }) {
  await page.getByTestId('type-row-postgresql').getByRole('button', { name: 'Start rollout' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('textbox', { name: 'Wave sizes (%)' }).fill(waves);
  await dialog.getByRole('textbox', { name: 'Soak time (seconds)' }).fill(String(soakSeconds));
  await screenshot(page, `rollouts-start-dialog-${soakSeconds}`);
  await dialog.getByRole('button', { name: 'Start rollout' }).click();
  await page.waitForURL(/\/provisioning\/rollouts\/[0-9a-f-]+$/);
  return page.url().split('/').pop();
}

const chip = (page, scope, status) => page.getByTestId(scope).getByTestId(`status-${status}`).first();

test('the platform team rolls PostgreSQL 1.1.0 out in waves, then aborts a second rollout midway', async () => {
  const prefix = `e2e-ro-${randomBytes(2).toString('hex')}`;
  const first = await requestDatabases(`${prefix}a`, 4);
  const before = await serverSettings(first);
  assert.deepEqual(before.map(r => r.rolconnlimit), [10, 10, 10, 10]);

  const page = await signInAsPriya();
  try {
    // 1. the Rollouts view: PostgreSQL is at 1.1.0 and (at least) our four databases are behind
    await openRollouts(page);
    const behind = Number(await page.getByTestId('behind-postgresql').textContent());
    assert.ok(behind >= 4, `at least 4 behind, saw ${behind}`);
    await screenshot(page, 'rollouts-view');

    // 2. start: a 25 % canary (one database), then the rest; 5 s soak
    const id = await startRollout(page, { waves: '25', soakSeconds: 5 });
    await page.getByText('Rollout of postgresql 1.1.0').waitFor();
    // the canary passes its gate, the rest follows
    await chip(page, 'wave-0', 'passed').waitFor({ timeout: ROLLOUT_TIMEOUT_MS });
    await screenshot(page, 'rollouts-canary-passed');
    await page
      .getByRole('heading', { name: 'Rollout of postgresql 1.1.0' })
      .locator('..')
      .getByTestId('status-succeeded')
      .waitFor({ timeout: ROLLOUT_TIMEOUT_MS });
    await chip(page, `wave-${(await page.getByTestId(/^wave-/).count()) - 1}`, 'passed').waitFor();
    await screenshot(page, 'rollouts-succeeded');
    const done = await api('GET', `/rollouts/${id}`);
    assert.equal(done.status, 'succeeded');
    assert.ok(done.waves.length >= 2 && done.waves[0].name === 'canary');

    // 3. the databases really have the new limit and timeout
    const after1 = await serverSettings(first);
    assert.deepEqual(after1.map(r => r.rolconnlimit), [20, 20, 20, 20]);
    assert.ok(after1.every(r => (r.config ?? []).includes('statement_timeout=60s')), JSON.stringify(after1));
    for (const r of first) {
      assert.equal((await api('GET', `/resources/${r.id}`)).appliedVersion, '1.1.0');
    }

    // 4. a second rollout (four new databases at 1.0.0), with a long soak: abort it while the canary soaks
    const second = await requestDatabases(`${prefix}b`, 4);
    await openRollouts(page);
    const id2 = await startRollout(page, { waves: '25', soakSeconds: 600 });
    await chip(page, 'wave-0', 'soaking').waitFor({ timeout: ROLLOUT_TIMEOUT_MS });
    await screenshot(page, 'rollouts-second-soaking');
    await page.getByRole('button', { name: 'Abort' }).click();
    await page.getByTestId('rollout-reason').getByText('Aborted by user:default/priya.raman').waitFor();
    await page.getByRole('button', { name: 'Abort' }).waitFor({ state: 'detached' });
    await screenshot(page, 'rollouts-second-aborted');
    const aborted = await api('GET', `/rollouts/${id2}`);
    assert.equal(aborted.status, 'aborted');
    const items = aborted.waves.flatMap(w => w.items);
    assert.equal(items.filter(i => i.status === 'applied').length, 1, 'only the canary was applied');
    assert.equal(items.filter(i => i.status === 'skipped').length, 3);
    // it stays stopped: nothing else changes afterwards
    await new Promise(r => setTimeout(r, 5000));
    const limits = (await serverSettings(second)).map(r => r.rolconnlimit).sort();
    assert.deepEqual(limits, [10, 10, 10, 20]);
    assert.equal((await api('GET', `/rollouts/${id2}`)).status, 'aborted');
  } catch (e) {
    await screenshot(page, 'rollouts-failure').catch(() => undefined);
    const alerts = await page.getByRole('alert').allInnerTexts().catch(() => []);
    if (alerts.length) e.message += `\nalerts on the page: ${alerts.join(' | ')}`;
    throw e;
  } finally {
    await page.context().close();
  }
});
