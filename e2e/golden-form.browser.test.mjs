// The golden path's scaffolder form, in real Chromium against `./portal start`: the Infrastructure step of
// "TypeScript HTTP service" shows the database size right under its own checkbox (not under the Redis one), the
// live monthly estimate (ProvisioningCostEstimate field, POST /api/provisioning/v1/estimates) follows the size,
// large says it needs approval, a taken component name stops the form before Create, and the review shows the
// total and the team's title rather than its entity ref. Nothing is created.
// Owner: plugins/provisioning (src/scaffolder). Screenshots: e2e-results/screenshots/golden-form-*.png
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, screenshot, signedInPage } from './lib/portal.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

async function openTemplate(page) {
  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await nav.getByRole('link', { name: 'Create', exact: true }).click();
  await page.waitForURL(/\/create/);
  const card = page
    .getByText('TypeScript HTTP service', { exact: true })
    .first()
    .locator('xpath=ancestor::*[.//*[(self::button or self::a) and normalize-space()="Choose"]][1]');
  await card.getByRole('button', { name: 'Choose' }).or(card.getByRole('link', { name: 'Choose' })).first().click();
  await page.waitForURL(/\/create\/templates\/default\/typescript-service/);
}

/** Whether element a comes before element b in the document. */
async function before_(a, b) {
  const handleB = await b.elementHandle();
  return a.evaluate((x, y) => !!(x.compareDocumentPosition(y) & Node.DOCUMENT_POSITION_FOLLOWING), handleB);
}

test('the golden path form: option fields under their checkbox, live estimate, approval, name availability, review', async () => {
  const page = await signedInPage(browser);
  await openTemplate(page);

  // 1. A taken name (orders-api is in the demo catalog) is reported as you type and stops Next.
  const name = page.getByTestId('paved-available-name');
  await name.fill('orders-api');
  await page.getByText(/The name 'orders-api' is already taken by the component/).first().waitFor();
  await page.getByLabel(/^Description/).first().fill('Creates and sends invoices for orders.');
  const owner = page.getByLabel(/^Owning team/).first();
  await owner.click();
  await owner.fill('orders');
  await page.getByRole('option', { name: /orders/i }).first().click();
  const system = page.getByLabel(/^System/).first();
  await system.click();
  await system.fill('orders');
  await page.getByRole('option', { name: /orders/i }).first().click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.waitForTimeout(1500);
  assert.equal(await page.getByLabel(/Needs a PostgreSQL database/).count(), 0, 'Next went on with a taken name');
  await screenshot(page, 'golden-form-name-taken');

  // A pattern violation is explained in words.
  await name.fill('Invoice_API');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByText(/must use only lowercase letters, digits and dashes/).first().waitFor();
  assert.equal(await page.getByText(/must match pattern/).count(), 0);

  // 2. A free name goes on.
  const free = `form-${Date.now().toString(36)}`;
  await name.fill(free);
  await page.getByText(`'${free}' is available.`).first().waitFor();
  await page.getByRole('button', { name: 'Next' }).click();

  // 3. Infrastructure: the database size sits under the database checkbox, before the Redis checkbox.
  const database = page.getByLabel(/Needs a PostgreSQL database/);
  await database.check();
  const size = page.getByRole('button', { name: /Database size/ });
  await size.waitFor();
  const redis = page.getByLabel(/Needs a Redis cache/);
  assert.ok(await before_(database, size), 'the database size is not after its checkbox');
  assert.ok(await before_(size, redis), 'the database size is not before the Redis checkbox');
  assert.doesNotMatch(await size.textContent(), /\$/);

  const total = page.getByTestId('paved-cost-estimate-total').first();
  await page.waitForFunction(
    () => document.querySelector('[data-testid="paved-cost-estimate-total"]')?.textContent?.includes('$15.00/month'),
  );
  await screenshot(page, 'golden-form-small');

  await size.click();
  await page.getByRole('option', { name: 'Medium: 25 connections' }).click();
  await page.waitForFunction(
    () => document.querySelector('[data-testid="paved-cost-estimate-total"]')?.textContent?.includes('$60.00/month'),
  );
  await redis.check();
  await page.getByRole('button', { name: /Cache size/ }).waitFor();
  await page.waitForFunction(
    () => document.querySelector('[data-testid="paved-cost-estimate-total"]')?.textContent?.includes('$65.00/month'),
  );
  await size.click();
  await page.getByRole('option', { name: 'Large: 50 connections' }).click();
  await page.waitForFunction(
    () => document.querySelector('[data-testid="paved-cost-estimate-total"]')?.textContent?.includes('$245.00/month'),
  );
  assert.match(await total.textContent(), /\$245\.00\/month/);
  const approval = page.getByTestId('paved-approval-outcome');
  await approval.filter({ hasText: /needs approval by platform-team/ }).waitFor();
  await screenshot(page, 'golden-form-large');

  // 4. Review: the total with the approval outcome, and titles instead of refs.
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByText(/\$245\.00\/month; PostgreSQL database \(size large\) needs approval/).first().waitFor();
  assert.equal(await page.getByText('group:default/orders-team', { exact: true }).count(), 0);
  await screenshot(page, 'golden-form-review');
  await page.close();
});
