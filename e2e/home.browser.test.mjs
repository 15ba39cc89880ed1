// The Paved home page in real Chromium: after guest sign-in (Dana, orders team) Home shows her services with their
// status, her team's resources, approvals, incidents and deployments, the golden paths and the handbook, and none of
// the stock widgets (world clocks, outside links, visit tracking).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  baseUrl,
  launchBrowser,
  screenshot,
  signedInPage,
} from './lib/portal.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('Home shows my services with status, my resources, golden paths and the handbook, and no stock widgets', async () => {
  const page = await signedInPage(browser);
  try {
    await page.goto(baseUrl);
    const services = page.getByRole('list', { name: 'My services' });
    await services
      .getByRole('link', { name: 'Orders API', exact: true })
      .waitFor();
    // orders-api is degraded through orders-db in the demo
    const orders = services.getByRole('listitem').filter({
      has: page.getByRole('link', { name: 'Orders API', exact: true }),
    });
    await orders.getByText('Degraded', { exact: true }).waitFor();
    await page.getByText('My resources', { exact: true }).waitFor();
    await page
      .getByText(/in total|Your teams have no resources yet/)
      .first()
      .waitFor();
    await page.getByText('Waiting for approval', { exact: true }).waitFor();
    await page
      .getByText('Incidents and deployments', { exact: true })
      .waitFor();
    await page
      .getByRole('list', { name: 'Golden paths' })
      .getByRole('link', { name: 'TypeScript HTTP service' })
      // other browser tests may register a copy of the template in a namespace of their own
      .and(page.locator('[href="/create/templates/default/typescript-service"]'))
      .waitFor();
    const handbook = page.getByRole('link', { name: 'The handbook' });
    assert.equal(
      await handbook.getAttribute('href'),
      '/docs/default/component/paved-portal',
    );
    await screenshot(page, 'home');

    const main = page.locator('main, article').first();
    const hrefs = await main
      .locator('a')
      .evaluateAll(as => as.map(a => a.getAttribute('href') ?? ''));
    assert.deepEqual(
      hrefs.filter(h => /^https?:/.test(h)),
      [],
      'no outside links on Home',
    );
    for (const stock of [
      /visit tracking/i,
      /^NYC$/,
      /^TYO$/,
      'Plugins Directory',
    ]) {
      assert.equal(
        await page.getByText(stock).count(),
        0,
        `stock widget text ${stock} on Home`,
      );
    }
  } catch (e) {
    await screenshot(page, 'failure-home');
    throw e;
  } finally {
    await page.close();
  }
});
