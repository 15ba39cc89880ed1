// Service status end to end, in real Chromium against `./portal start` (demo services on 127.0.0.1:7101-7105,
// probed on the configured schedule): the "Service status" page from the sidebar lists the demo services with
// live states (orders-db reports degraded, so orders-api rolls up to degraded naming orders-db); orders-api's
// Status tab shows state, reasons, uptime, the latency chart and its dependencies with links; a deployment
// posted with the guest token appears on the deployments timeline.
// Owner: the service status plugins (plugins/service-status*). Screenshots: e2e-results/screenshots/status-*.png
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  backendUrl,
  getJson,
  launchBrowser,
  screenshot,
  signedInPage,
  token,
  eventually,
} from './lib/portal.mjs';

// The first probe run happens within one schedule interval (30 s by default) after start.
const PROBE_TIMEOUT_MS = 90_000;
const PROBED = [
  'component:default/orders-api',
  'component:default/payments-api',
  'component:default/fraud-check',
  'component:default/storefront-web',
  'component:default/paved-portal',
  'resource:default/orders-db',
];

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

async function statuses() {
  const { items } = await getJson('/api/service-status/v1/statuses?limit=100');
  return new Map(items.map(i => [i.entityRef, i]));
}

test('the probes report the demo services, and orders-api rolls up to degraded because of orders-db', async () => {
  const byRef = await eventually(
    'probe results for the demo services',
    async () => {
      const m = await statuses();
      return PROBED.every(ref => m.get(ref)?.lastProbe) &&
        m.get('resource:default/orders-db')?.healthState === 'degraded'
        ? m
        : undefined;
    },
    PROBE_TIMEOUT_MS,
    { intervalMs: 1000 },
  );
  for (const ref of ['component:default/orders-api', 'component:default/payments-api',
    'component:default/storefront-web', 'component:default/paved-portal']) {
    assert.equal(byRef.get(ref).healthState, 'up', `${ref}: ${JSON.stringify(byRef.get(ref))}`);
    assert.equal(byRef.get(ref).healthSource, 'probe');
  }
  // fraud-check is flaky by design: any probed state, but it has one.
  assert.ok(['up', 'degraded', 'down'].includes(byRef.get('component:default/fraud-check').healthState));
  const orders = byRef.get('component:default/orders-api');
  assert.equal(orders.state, 'degraded');
  // orders-db's own health message reaches orders-api's reasons, naming the database by title
  const dbReason = orders.reasons.find(r => r.entityRef === 'resource:default/orders-db');
  assert.match(
    dbReason?.message ?? '',
    /^degraded: Orders database is degraded since .*: connection limit nearly reached: 97 of 100 connections in use$/,
  );
});

test('guest opens Service status from the sidebar, then the Status tab of orders-api, and sees a deployment', async () => {
  const page = await signedInPage(browser);
  try {
    // 1. The overview, from the sidebar.
    const nav = page.getByRole('navigation', { name: 'sidebar nav' });
    await nav.getByRole('link', { name: 'Service status' }).click();
    await page.waitForURL(/\/service-status/);
    const table = page.getByRole('table').first();
    for (const title of ['Orders API', 'Payments API', 'Fraud check', 'Storefront web', 'Paved portal']) {
      await table.getByRole('link', { name: title, exact: true }).first().waitFor();
    }
    const ordersRow = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'Orders API', exact: true }) });
    await ordersRow.getByText('Degraded', { exact: true }).first().waitFor();
    // the reason names the database by title, linked to its page
    await ordersRow.getByRole('link', { name: 'Orders database' }).first().waitFor();
    const paymentsRow = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'Payments API', exact: true }) });
    await paymentsRow.getByText(/^(Up|Degraded)$/).first().waitFor();
    await screenshot(page, 'status-overview');

    // 2. A deployment reported by "CI" (the guest token may POST /deployments).
    const version = `1.4.${randomBytes(2).readUInt16BE()}-e2e`;
    const startedAt = new Date(Date.now() - 4 * 60_000).toISOString();
    const res = await fetch(`${backendUrl}/api/service-status/v1/deployments`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${await token()}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        entityRef: 'component:default/orders-api',
        environment: 'production',
        version,
        commit: randomBytes(20).toString('hex'),
        status: 'succeeded',
        startedAt,
        finishedAt: new Date().toISOString(),
      }),
    });
    assert.equal(res.status, 201, await res.clone().text());
    const deployment = await res.json();
    assert.equal(deployment.version, version);
    const { items } = await getJson(
      '/api/service-status/v1/deployments?entityRef=component:default/orders-api',
    );
    assert.ok(items.some(d => d.id === deployment.id));

    // 3. orders-api's Status tab, from the overview.
    await ordersRow.getByRole('link', { name: 'Orders API', exact: true }).click();
    await page.waitForURL(/\/catalog\/default\/component\/orders-api/);
    // The entity page's tabs are links (new frontend system header) or tabs, depending on the layout.
    await page
      .getByRole('tab', { name: 'Status', exact: true })
      .or(page.getByRole('link', { name: 'Status', exact: true }))
      .first()
      .click();
    await page.waitForURL(/\/catalog\/default\/component\/orders-api\/status/);
    const main = page.getByRole('main').first();
    await main.getByText('Current state').first().waitFor();
    await main.getByText('Degraded', { exact: true }).first().waitFor();
    await main.getByText(/connection limit nearly reached: 97 of 100 connections in use/).first().waitFor();
    for (const w of ['24h', '7d', '30d']) {
      await page.getByTestId(`uptime-${w}`).waitFor();
    }
    await page.getByTestId('latency-chart').waitFor();
    const deps = page.getByRole('table', { name: 'Dependencies' });
    await deps.getByRole('link', { name: 'Orders database' }).first().waitFor();
    const timeline = page.getByRole('list', { name: 'Deployments' }).or(page.getByLabel('Deployments'));
    await timeline.getByText(version).first().waitFor();
    await timeline.getByText(/production · Succeeded/).first().waitFor();
    await screenshot(page, 'status-entity');

    // The dependency link leads to the database's page.
    await deps.getByRole('link', { name: 'Orders database' }).first().click();
    await page.waitForURL(/\/catalog\/default\/resource\/orders-db/);
  } catch (e) {
    await screenshot(page, 'failure-service-status');
    throw e;
  } finally {
    await page.close();
  }
});
