// Foundation smoke test in real Chromium: guest sign-in, the catalog lists the demo components,
// a component page shows its owner and relations.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { baseUrl, getJson, launchBrowser, screenshot, signedInPage } from './lib/portal.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('the catalog API returns the demo components with a guest token', async () => {
  const { items } = await getJson('/api/catalog/entities/by-query?filter=kind=component&limit=100');
  const names = items.map(e => e.metadata.name);
  for (const name of ['orders-api', 'payments-api', 'storefront-web', 'commerce-sdk']) {
    assert.ok(names.includes(name), `${name} missing from ${names.join(', ')}`);
  }
});

test('guest signs in, sees the demo components in the catalog, and opens orders-api', async () => {
  const page = await signedInPage(browser);
  try {
    await page.goto(`${baseUrl}/catalog?filters[kind]=component&filters[user]=all`);
    // The catalog table shows entity titles.
    for (const title of ['Orders API', 'Payments API', 'Checkout web', 'Commerce SDK']) {
      await page.getByRole('link', { name: title, exact: true }).first().waitFor();
    }
    await screenshot(page, 'catalog');

    await page.getByRole('link', { name: 'Orders API', exact: true }).first().click();
    await page.waitForURL(/\/catalog\/default\/component\/orders-api/);
    // About card: owner and system; relations: what it depends on and the APIs it provides.
    await page.getByRole('link', { name: 'Orders team' }).first().waitFor();
    await page.getByRole('link', { name: 'Orders', exact: true }).first().waitFor();
    await page.getByText('Orders database').first().waitFor();
    await screenshot(page, 'component-orders-api');
  } catch (e) {
    await screenshot(page, 'failure-catalog');
    throw e;
  } finally {
    await page.close();
  }
});
