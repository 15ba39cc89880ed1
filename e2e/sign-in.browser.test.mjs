// Development sign-in in real Chromium: the guest card still signs in as Dana, and the demo user cards sign in as
// that catalog user (Priya Raman of the platform team), who stays signed in across a reload.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { baseUrl, launchBrowser, screenshot } from './lib/portal.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** The signed-in user's entity ref, from the user settings page's Backstage Identity card ("User Entity" link). */
async function signedInAs(page) {
  await page.goto(`${baseUrl}/settings`);
  const link = page.getByText('User Entity:').locator('..').locator('a[href*="/catalog/default/user/"]').first();
  await link.waitFor();
  const name = (await link.getAttribute('href')).split('/').pop();
  return `user:default/${name}`;
}

test('the sign-in page offers the guest card and the demo users; Priya signs in and stays signed in', async () => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  try {
    await page.goto(baseUrl);
    await page.getByRole('button', { name: 'Enter' }).waitFor();
    await page.getByText('Priya Raman (platform team)').waitFor();
    await page.getByText('Dana Ortiz (orders team)').waitFor();
    await screenshot(page, 'sign-in');

    const card = page.locator('div', { has: page.getByText('Priya Raman (platform team)') }).filter({
      has: page.getByRole('button', { name: 'Sign In' }),
    });
    await card.last().getByRole('button', { name: 'Sign In' }).click();
    await page.getByRole('button', { name: 'Enter' }).waitFor({ state: 'detached' });
    assert.equal(await signedInAs(page), 'user:default/priya.raman');
    await page.getByText('Platform team').first().waitFor();
    await screenshot(page, 'signed-in-as-priya');
    await page.reload();
    assert.equal(await signedInAs(page), 'user:default/priya.raman');
  } catch (e) {
    await screenshot(page, 'sign-in-failure');
    throw e;
  } finally {
    await context.close();
  }
});
