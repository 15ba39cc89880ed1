// Issue 14, the developer's acceptance in real Chromium against `./portal start`:
// 1. request a preview PostgreSQL database with a 2-hour time to live, see the time left (form, resource page,
//    resources table) and extend it;
// 2. request a non-standard connection limit (an escape hatch): the estimate says it needs approval before
//    submit, a written justification is asked for, and the resource waits for approval with its deviation shown.
// Owner: plugins/provisioning (TTL and escape hatches). Screenshots: e2e-results/screenshots/hatches-*.png
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  backendUrl,
  eventually,
  getJson,
  launchBrowser,
  screenshot,
  signedInPage,
  token,
} from './lib/portal.mjs';

const HOUR = 3_600_000;
let browser;
const created = [];

before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  // leave nothing behind on the shared server
  for (const id of created) {
    await fetch(`${backendUrl}/api/provisioning/v1/resources/${id}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${await token()}` },
    }).catch(() => undefined);
  }
});

async function withFailureContext(page, name, fn) {
  try {
    await fn();
  } catch (e) {
    await screenshot(page, `${name}-failure`).catch(() => undefined);
    const alerts = await page.getByRole('alert').allInnerTexts().catch(() => []);
    if (alerts.length) e.message += `\nalerts on the page: ${alerts.join(' | ')}`;
    throw e;
  } finally {
    await page.close();
  }
}

async function openRequestForm(page) {
  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await nav.getByRole('link', { name: 'Self-service' }).click();
  await page.waitForURL(/\/provisioning$/);
  const offering = page.getByRole('article', { name: 'PostgreSQL database' });
  await offering.getByRole('button', { name: 'Request', exact: true }).click();
  await page.waitForURL(/\/provisioning\/request\/postgresql/);
}

async function estimateSettled(page, text) {
  await eventually(
    `the estimate saying "${text}"`,
    async () => (await page.getByTestId('cost-estimate').innerText()).includes(text),
    15_000,
  );
}

test('a preview database with a 2-hour time to live: time left, then extended', async () => {
  const name = `e2e-preview-${randomBytes(3).toString('hex')}`;
  const page = await signedInPage(browser);
  await withFailureContext(page, 'hatches-preview', async () => {
    await openRequestForm(page);
    await page.getByRole('textbox', { name: /^Name/ }).fill(name);
    const ttl = page.getByRole('textbox', { name: /^Time to live/ });
    await page.getByText(/leave empty and it does not expire, at most 7 days/).waitFor();
    await ttl.fill('8d');
    await page.getByText('8 days is longer than the maximum of 7 days.').waitFor();
    await ttl.fill('2h');
    await page.getByText(/^2 hours\. Deleted automatically/).waitFor();
    await estimateSettled(page, 'No approval needed');
    await screenshot(page, 'hatches-preview-request');
    await page.getByRole('button', { name: 'Submit request' }).click();
    await page.waitForURL(/\/provisioning\/resources\/[0-9a-f-]+$/);
    const id = page.url().split('/').pop();
    created.push(id);

    const timeLeft = page.getByTestId('time-left').first();
    await eventually(
      'about 2 hours left',
      async () => /^(2 h 0 min|1 h 59 min) left$/.test((await timeLeft.innerText()).trim()),
      15_000,
    );
    const before = await getJson(`/api/provisioning/v1/resources/${id}`);
    assert.equal(before.ttl, 'PT2H');
    const left = Date.parse(before.expiresAt) - Date.now();
    assert.ok(left > 1.9 * HOUR && left <= 2 * HOUR, `expires in ${left} ms`);
    await screenshot(page, 'hatches-preview-time-left');

    // Extend up to the maximum: 8 days is refused in words, 3 days is taken
    await page.getByRole('button', { name: 'Extend', exact: true }).click();
    const dialog = page.getByRole('dialog');
    const field = dialog.getByRole('textbox', { name: /New time to live/ });
    await field.fill('8d');
    await dialog.getByText('8 days is longer than the maximum of 7 days from now.').waitFor();
    await field.fill('3d');
    await screenshot(page, 'hatches-preview-extend');
    await dialog.getByRole('button', { name: 'Extend', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await eventually(
      '3 days left',
      async () => /^(3 d 0 h|2 d 23 h) left$/.test((await timeLeft.innerText()).trim()),
      15_000,
    );
    const after = await getJson(`/api/provisioning/v1/resources/${id}`);
    assert.equal(after.ttl, 'P3D');
    assert.ok(Date.parse(after.expiresAt) - Date.now() > 71 * HOUR);
    await page.getByText(/Time to live set to 3d by user:default\/dana\.ortiz/).first().waitFor();
    await screenshot(page, 'hatches-preview-extended');

    // The resources table shows the time left too
    await page.getByRole('link', { name: /Back to Self-service/ }).click();
    await page.waitForURL(/\/provisioning\?tab=resources/);
    const row = page.getByRole('row').filter({ hasText: name });
    await eventually(
      'the time left in the table',
      async () => /d \d+ h left$/.test((await row.getByTestId('time-left').innerText()).trim()),
      15_000,
    );
    await screenshot(page, 'hatches-preview-table');
  });
});

test('a non-standard connection limit with a justification waits for approval', async () => {
  const name = `e2e-limit-${randomBytes(3).toString('hex')}`;
  const page = await signedInPage(browser);
  await withFailureContext(page, 'hatches-limit', async () => {
    await openRequestForm(page);
    await page.getByRole('textbox', { name: /^Name/ }).fill(name);
    await estimateSettled(page, 'No approval needed');
    assert.equal(await page.getByRole('textbox', { name: /^Justification/ }).count(), 0);
    await page.getByRole('spinbutton', { name: /Connection limit/ }).fill('120');
    // before submit: the estimate says why it needs approval
    await estimateSettled(page, 'needs approval: advanced parameter connectionLimit = 120 (golden path: 10)');
    const justification = page.getByRole('textbox', { name: /^Justification/ });
    await justification.waitFor();
    await page.getByRole('button', { name: 'Submit request' }).click();
    await page
      .getByText('Explain why you need the advanced parameter connectionLimit outside the golden path.')
      .waitFor();
    await justification.fill('The nightly invoice import opens 120 connections at once.');
    await screenshot(page, 'hatches-limit-request');
    await page.getByRole('button', { name: 'Submit request' }).click();
    await page.waitForURL(/\/provisioning\/resources\/[0-9a-f-]+$/);
    const id = page.url().split('/').pop();
    created.push(id);

    await page.getByTestId('resource-state').getByText('awaiting-approval').first().waitFor();
    const deviations = page.getByRole('table', { name: 'Deviations' });
    await deviations.getByText('connectionLimit').waitFor();
    await deviations.getByText('The nightly invoice import opens 120 connections at once.').waitFor();
    await deviations.getByText('awaiting approval').waitFor();
    await screenshot(page, 'hatches-limit-awaiting-approval');

    const resource = await getJson(`/api/provisioning/v1/resources/${id}`);
    assert.equal(resource.state, 'awaiting-approval');
    assert.match(resource.reason, /Advanced parameter connectionLimit \(outside the golden path\) needs approval/);
    assert.deepEqual(
      resource.deviations.map(d => [d.parameter, d.value, d.goldenPathDefault, d.approvedBy]),
      [['connectionLimit', 120, 10, undefined]],
    );
    const listed = await getJson('/api/provisioning/v1/resources?deviations=true');
    assert.ok(listed.items.some(r => r.id === id));

    // the resources table marks it and filters by it
    await page.getByRole('link', { name: /Back to Self-service/ }).click();
    await page.waitForURL(/\/provisioning\?tab=resources/);
    await page.getByRole('button', { name: /^Golden path/ }).click();
    await page.getByRole('option', { name: 'With deviations' }).click();
    const row = page.getByRole('row').filter({ hasText: name });
    await row.getByTestId('deviation-chip').getByText('deviates: connectionLimit').waitFor();
    await screenshot(page, 'hatches-limit-table');
  });
});
