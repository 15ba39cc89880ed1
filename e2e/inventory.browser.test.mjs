// The platform team's fleet inventory and rightsizing end to end (issue 13, items 3 and 7), in real Chromium against
// `./portal start`, signed in as the platform-team demo user Priya Raman:
// - a PostgreSQL database dropped behind the portal's back (DROP DATABASE on the embedded PostgreSQL) shows under
//   the inventory's Drifted filter and is repaired from there (the database exists again);
// - the oversized demo database `ledger-db` (medium; 7 days of demo utilisation from app-config.yaml, marked demo
//   data) gets the recommendation "medium -> small saves $45.00/month: peak 3 of 25 connections over 7 days", followed
//   to the resource's update form pre-filled with the new size, and applied.
// Owner: plugins/provisioning (InventoryContent, RecommendationsContent). Screenshots: e2e-results/screenshots/inventory-*.png
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
} from './lib/portal.mjs';

// the drift checks run every minute in the demo configuration
const DRIFT_TIMEOUT_MS = 150_000;
const READY_TIMEOUT_MS = 120_000;
const OWNER = 'group:default/platform-team';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** A token of a demo user (the development sign-in provider `paved-dev`, header `x-paved-dev-user`). */
async function tokenOf(user) {
  const res = await fetch(`${backendUrl}/api/auth/paved-dev/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest', 'x-paved-dev-user': user },
  });
  if (!res.ok) throw new Error(`sign-in as ${user} failed: ${res.status}`);
  return (await res.json()).backstageIdentity.token;
}

async function api(token, method, path, body) {
  const res = await fetch(`${backendUrl}/api/provisioning/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text);
}

/** A superuser connection to the server the postgres driver provisions on (the embedded one by default). */
function adminConnection(host, port) {
  if (process.env.PAVED_E2E_PG_ADMIN_URL) return { connectionString: process.env.PAVED_E2E_PG_ADMIN_URL };
  const passwordFile = join(dataDir, 'embedded-postgres.password');
  const password = existsSync(passwordFile) ? readFileSync(passwordFile, 'utf8').trim() : undefined;
  return { host, port: Number(port), user: 'postgres', password, database: 'postgres' };
}

async function adminQuery(resource, sql, params = []) {
  const client = new pg.Client(adminConnection(resource.outputs.host, resource.outputs.port));
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

async function untilReady(token, id) {
  return eventually(
    `resource ${id} ready`,
    async () => {
      const r = await api(token, 'GET', `/resources/${id}`);
      if (r.state === 'failed') throw Object.assign(new Error(`failed: ${r.reason}`), { fatal: true });
      return r.state === 'ready' ? r : undefined;
    },
    READY_TIMEOUT_MS,
  );
}

/** Signs in on the sign-in page as Priya Raman (platform team). */
async function signInAsPriya() {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(baseUrl);
  await page.getByText('Priya Raman (platform team)').waitFor();
  const card = page
    .locator('div', { has: page.getByText('Priya Raman (platform team)') })
    .filter({ has: page.getByRole('button', { name: 'Sign In' }) });
  await card.last().getByRole('button', { name: 'Sign In' }).click();
  await page.getByRole('button', { name: 'Enter' }).waitFor({ state: 'detached' });
  return page;
}

test('inventory: a database dropped behind the portal is drifted and repaired from there; a rightsizing recommendation leads to the pre-filled update', async () => {
  const token = await tokenOf('priya.raman');
  const dropName = `e2e-inv-${randomBytes(3).toString('hex')}`;
  const dropped = await api(token, 'POST', '/resources', {
    type: 'postgresql', name: dropName, owner: OWNER, parameters: { size: 'small' },
  });
  const ledger = await api(token, 'POST', '/resources', {
    type: 'postgresql', name: 'ledger-db', owner: OWNER, parameters: { size: 'medium' },
  });
  const droppedReady = await untilReady(token, dropped.id);
  await untilReady(token, ledger.id);

  const dbName = droppedReady.outputs.database;
  await adminQuery(droppedReady, `DROP DATABASE ${pg.escapeIdentifier(dbName)} WITH (FORCE)`);

  const page = await signInAsPriya();
  try {
    // --- inventory: drifted filter, repair ---
    await page.goto(`${baseUrl}/provisioning/inventory`);
    const row = page.getByTestId(`inventory-${dropName}`);
    await eventually(
      'the dropped database under the Drifted filter',
      async () => {
        await page.reload();
        await page.getByTestId('filter-drifted').click();
        await page.getByRole('table', { name: 'Inventory' }).or(page.getByText('Nothing matches this filter')).first().waitFor();
        // the row, with the driver's reason (a drift check may still be under way when it first shows)
        return (await row.count()) > 0 && /does not exist/.test((await row.first().textContent()) ?? '');
      },
      DRIFT_TIMEOUT_MS,
      { intervalMs: 5_000 },
    );
    await row.getByText(/does not exist/).first().waitFor();
    assert.match(await row.textContent(), /\$15\.00\/month/);
    await screenshot(page, 'inventory-drifted');
    await row.getByRole('button', { name: 'Repair' }).click();
    await page.getByTestId('inventory-message').getByText(`Repairing ${dropName}`).waitFor();
    await eventually(
      'the repaired database',
      async () => {
        const r = await api(token, 'GET', `/resources/${dropped.id}`);
        return r.state === 'ready' && !r.drifted ? r : undefined;
      },
      READY_TIMEOUT_MS,
    );
    const exists = await adminQuery(droppedReady, 'SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
    assert.equal(exists.length, 1, 'the repair re-created the database');
    const events = await api(token, 'GET', `/resources/${dropped.id}/events`);
    assert.ok(events.items.some(e => e.type === 'repair-requested' && e.actor === 'user:default/priya.raman'));
    await page.reload();
    await page.getByTestId('filter-drifted').click();
    await eventually('the drifted filter emptied', async () => (await row.count()) === 0, 15_000);
    await screenshot(page, 'inventory-repaired');

    // --- rightsizing: the recommendation, followed to the pre-filled update ---
    await page.goto(`${baseUrl}/provisioning/rightsizing`);
    const rec = page.getByTestId('recommendation-ledger-db');
    await eventually(
      'the rightsizing recommendation of ledger-db',
      async () => {
        await page.reload();
        await page.getByRole('table', { name: 'Rightsizing recommendations' }).or(page.getByText('No rightsizing recommendations')).first().waitFor();
        return (await rec.count()) > 0;
      },
      DRIFT_TIMEOUT_MS,
      { intervalMs: 5_000 },
    );
    await rec.getByText('medium -> small saves $45.00/month: peak 3 of 25 connections over 7 days').waitFor();
    await rec.getByText('demo data').waitFor();
    await screenshot(page, 'inventory-rightsizing');
    await rec.getByRole('button', { name: 'Resize to small' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('update-changes').getByText('size: "medium" → "small"').waitFor();
    await dialog.getByTestId('estimate-amount').getByText('$15.00/month').waitFor();
    assert.match(page.url(), new RegExp(`/provisioning/resources/${ledger.id}`));
    await screenshot(page, 'inventory-rightsizing-update');
    await dialog.getByRole('button', { name: 'Apply update' }).click();
    const resized = await eventually(
      'ledger-db resized to small',
      async () => {
        const r = await api(token, 'GET', `/resources/${ledger.id}`);
        return r.state === 'ready' && r.parameters.size === 'small' ? r : undefined;
      },
      READY_TIMEOUT_MS,
    );
    assert.equal(resized.monthlyCostUsd, 15);
  } catch (e) {
    await screenshot(page, 'inventory-failure').catch(() => undefined);
    throw e;
  } finally {
    await page.context().close();
    for (const r of [dropped, ledger]) {
      await api(token, 'DELETE', `/resources/${r.id}`).catch(() => undefined);
    }
  }
});
