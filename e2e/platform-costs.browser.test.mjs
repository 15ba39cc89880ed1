// Issue 13, showback in real Chromium: signed in as Priya Raman (platform team), the Platform console's Cost tab
// shows the cost per team over the last 12 months from the demo history (provisioning.demo.seedCostHistory in
// app-config.yaml, rows marked as demo data), and one team's drill-down team -> system -> component -> a single
// database.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { baseUrl, eventually, getJson, launchBrowser, screenshot } from './lib/portal.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('the platform team sees cost per team per month and drills down to one database', async () => {
  // the first accrual run (a few seconds after start) seeds the demo history
  const costs = await eventually(
    'the demo cost history',
    async () => {
      const body = await getJson('/api/provisioning/v1/costs?groupBy=owner');
      return body.items.length >= 4 ? body : undefined;
    },
    120_000,
  );
  assert.equal(costs.months.length, 12);
  assert.equal(costs.demo, true);
  const orders = costs.items.find(i => i.key === 'group:default/orders-team');
  assert.ok(orders, 'orders-team has costs');
  assert.ok(orders.monthlyCostUsd.filter(m => m.usd > 0).length >= 11, 'a year of history');

  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  try {
    await page.goto(baseUrl);
    const card = page.locator('div', { has: page.getByText('Priya Raman (platform team)') }).filter({
      has: page.getByRole('button', { name: 'Sign In' }),
    });
    await card.last().getByRole('button', { name: 'Sign In' }).click();
    await page.getByRole('button', { name: 'Enter' }).waitFor({ state: 'detached' });

    // from the sidebar, as a new user would
    await page.getByRole('link', { name: 'Platform console' }).first().click();
    await page.getByRole('tab', { name: 'Cost' }).waitFor();
    await page.getByText('Cost per team per month').waitFor();
    await page.getByRole('img', { name: 'Cost per team per month' }).waitFor();
    await page.getByText('Demo data: seeded history, not real spend').waitFor();
    await page.getByLabel('This month so far').waitFor();
    await page.getByLabel('Forecast to month end').waitFor();
    const bars = await page.locator('[data-testid="cost-chart"] .recharts-bar-rectangle').count();
    assert.ok(bars >= 24, `the chart has bars for several teams and months (${bars})`);
    await screenshot(page, 'platform-costs-per-team');

    await page.getByRole('button', { name: 'orders-team', exact: true }).click();
    await page.getByText('Cost per system per month').waitFor();
    await page.getByRole('button', { name: 'orders', exact: true }).click();
    await page.getByText('Cost per component per month').waitFor();
    await page.getByRole('button', { name: 'orders-api', exact: true }).click();
    await page.getByText('Cost per resource per month').waitFor();
    await screenshot(page, 'platform-costs-component-resources');
    await page.getByRole('button', { name: 'postgresql/orders-db', exact: true }).click();
    await page.getByText('Resource postgresql/orders-db').waitFor();
    const rows = page.getByRole('table', { name: 'Resource cost per month' }).getByRole('row');
    assert.ok((await rows.count()) >= 10, 'the database was billed for most of the year');
    await screenshot(page, 'platform-costs-single-database');
  } catch (e) {
    await screenshot(page, 'platform-costs-failure');
    throw e;
  } finally {
    await context.close();
  }
});
