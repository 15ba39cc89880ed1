// Self-service provisioning end to end, in real Chromium against `./portal start`: request a PostgreSQL
// database from the Self-service page, watch it become ready, reveal its credentials and use them, resize it,
// delete it with the typed confirmation, and check that the database, its role and its catalog entity are gone.
// Owner: the provisioning frontend (plugins/provisioning). Screenshots: e2e-results/screenshots/provisioning-*.png
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import {
  dataDir,
  getJson,
  launchBrowser,
  screenshot,
  signedInPage,
  eventually,
} from './lib/portal.mjs';

const READY_TIMEOUT_MS = 120_000;
const GONE_TIMEOUT_MS = 15_000;

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** A superuser connection to the server the postgres driver provisions on (the embedded one by default). */
function adminConnection(host, port) {
  if (process.env.PAVED_E2E_PG_ADMIN_URL) {
    return { connectionString: process.env.PAVED_E2E_PG_ADMIN_URL };
  }
  const passwordFile = join(dataDir, 'embedded-postgres.password');
  const password = existsSync(passwordFile)
    ? readFileSync(passwordFile, 'utf8').trim()
    : undefined;
  return {
    host,
    port: Number(port),
    user: 'postgres',
    password,
    database: 'postgres',
  };
}

async function stateText(page) {
  return (
    await page.getByTestId('resource-state').first().textContent()
  )?.trim();
}

async function waitForState(page, states, timeoutMs = READY_TIMEOUT_MS) {
  return eventually(
    `state ${states.join(' or ')}`,
    async () => {
      const s = await stateText(page);
      if (s === 'failed' && !states.includes('failed')) {
        const reason = await page
          .getByTestId('resource-reason')
          .textContent()
          .catch(() => '');
        throw new Error(`resource failed: ${reason}`);
      }
      return states.includes(s) ? s : undefined;
    },
    timeoutMs,
  );
}

test('request, use, resize and delete a PostgreSQL database from the Self-service page', async () => {
  const name = `e2e-db-${randomBytes(3).toString('hex')}`;
  const page = await signedInPage(browser);
  try {
    await scenario(page, name);
  } catch (e) {
    // Keep what the user saw, and any error the UI showed, with the failure.
    await screenshot(page, 'provisioning-failure').catch(() => undefined);
    const alerts = await page
      .getByRole('alert')
      .allInnerTexts()
      .catch(() => []);
    if (alerts.length)
      e.message += `\nalerts on the page: ${alerts.join(' | ')}`;
    throw e;
  } finally {
    await page.close();
  }
});

async function scenario(page, name) {
  // 1. Self-service from the sidebar (no URL typing)
  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await nav.getByRole('link', { name: 'Self-service' }).click();
  await page.waitForURL(/\/provisioning$/);
  const offering = page.getByRole('article', { name: 'PostgreSQL database' });
  await offering.getByText('$15.00/month').waitFor();
  await screenshot(page, 'provisioning-offerings');

  // 2. Request form: name, size small, estimate, submit
  await offering.getByRole('button', { name: 'Request', exact: true }).click();
  await page.waitForURL(/\/provisioning\/request\/postgresql/);
  await page.getByRole('textbox', { name: /^Name/ }).fill(name);
  await page.getByRole('button', { name: /^Size/ }).click();
  await page.getByRole('option', { name: 'small', exact: true }).click();
  await page.getByRole('listbox').waitFor({ state: 'detached' });
  await eventually(
    'the cost estimate',
    async () =>
      (
        await page.getByTestId('estimate-amount').textContent()
      )?.includes('$15.00/month'),
    15_000,
  );
  await page.getByTestId('policy-outcome').waitFor();
  await screenshot(page, 'provisioning-request');
  await page.getByRole('button', { name: 'Submit request' }).click();
  await page.waitForURL(/\/provisioning\/resources\/[0-9a-f-]+$/);
  const id = page.url().split('/').pop();

  // 3. Live progress until ready
  await waitForState(page, ['ready']);
  await screenshot(page, 'provisioning-ready');

  // The Resources tab lists it (my teams by default) with its state and cost; back to its page from there
  await page.getByRole('link', { name: /Back to Self-service/ }).click();
  await page.waitForURL(/\/provisioning\?tab=resources/);
  const row = page.getByRole('row').filter({ hasText: name });
  await row.getByTestId('resource-state').getByText('ready').waitFor();
  await row.getByText('$15.00/month').waitFor();
  await page.getByTestId('owner-totals').waitFor();
  await screenshot(page, 'provisioning-resources');
  await row.getByRole('link', { name }).click();
  await page.waitForURL(new RegExp(`/provisioning/resources/${id}$`));
  await waitForState(page, ['ready']);

  // 4. Reveal credentials and connect with them for real
  await page.getByRole('button', { name: 'Reveal', exact: true }).click();
  const url = (await page.getByTestId('credentials-url').textContent()).trim();
  assert.match(url, /^postgresql:\/\//);
  await screenshot(page, 'provisioning-credentials');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      'CREATE TABLE e2e_check (id integer PRIMARY KEY, note text)',
    );
    await client.query(
      "INSERT INTO e2e_check VALUES (1, 'hello from the e2e test')",
    );
    const { rows } = await client.query(
      'SELECT note FROM e2e_check WHERE id = 1',
    );
    assert.equal(rows[0].note, 'hello from the e2e test');
  } finally {
    await client.end();
  }
  const resource = await getJson(`/api/provisioning/v1/resources/${id}`);
  const { host, port, database, username } = resource.outputs;
  assert.ok(
    database && username,
    `outputs: ${JSON.stringify(resource.outputs)}`,
  );

  // The catalog provider has made it a Resource entity (so "gone" below means something)
  const entityQuery = `/api/catalog/entities/by-query?filter=${encodeURIComponent(
    `kind=resource,metadata.annotations.paved.dev/resource-id=${id}`,
  )}`;
  await eventually(
    'the Resource entity in the catalog',
    async () => (await getJson(entityQuery)).items.length === 1,
    60_000,
  );

  // 5. Update to size medium (form pre-filled, shows the change and the new cost)
  await page.getByRole('button', { name: 'Update', exact: true }).click();
  const updateDialog = page.getByRole('dialog');
  await updateDialog.getByRole('button', { name: /^Size/ }).click();
  await page.getByRole('option', { name: 'medium', exact: true }).click();
  await page.getByRole('listbox').waitFor({ state: 'detached' });
  await updateDialog.getByText('size: "small" → "medium"').waitFor();
  await eventually(
    'the new cost',
    async () =>
      (
        await updateDialog.getByTestId('estimate-amount').textContent()
      )?.includes('$60.00/month'),
    15_000,
  );
  await screenshot(page, 'provisioning-update');
  await updateDialog.getByRole('button', { name: 'Apply update' }).click();
  await updateDialog.waitFor({ state: 'detached' });
  await eventually(
    'size medium applied',
    async () => {
      const r = await getJson(`/api/provisioning/v1/resources/${id}`);
      return r.parameters.size === 'medium' && r.state === 'ready';
    },
    READY_TIMEOUT_MS,
  );
  await waitForState(page, ['ready']);
  await page
    .getByRole('table', { name: 'Overview' })
    .getByText('medium', { exact: true })
    .waitFor();
  await screenshot(page, 'provisioning-updated');

  // 6. Delete with the typed name
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  const deleteDialog = page.getByRole('dialog');
  const confirm = deleteDialog.getByRole('button', {
    name: 'Delete',
    exact: true,
  });
  assert.equal(await confirm.isDisabled(), true);
  await deleteDialog
    .getByRole('textbox', { name: 'Type the resource name to confirm' })
    .fill(name);
  await screenshot(page, 'provisioning-delete');
  await confirm.click();
  await deleteDialog.waitFor({ state: 'detached' });
  await eventually(
    'the resource to be deleted',
    async () => {
      const s = await stateText(page).catch(() => undefined);
      if (s === 'deleted') return true;
      return page.getByText('Resource not found').isVisible();
    },
    READY_TIMEOUT_MS,
  );
  await screenshot(page, 'provisioning-deleted');

  // 7. Gone from the server: no database, no role
  const admin = new pg.Client(adminConnection(host, port));
  await admin.connect();
  try {
    await eventually(
      'the database and role to be dropped',
      async () => {
        const dbs = await admin.query(
          'SELECT 1 FROM pg_database WHERE datname = $1',
          [database],
        );
        const roles = await admin.query(
          'SELECT 1 FROM pg_roles WHERE rolname = $1',
          [username],
        );
        return dbs.rowCount === 0 && roles.rowCount === 0;
      },
      GONE_TIMEOUT_MS,
    );
  } finally {
    await admin.end();
  }

  // 8. Gone from the catalog
  await eventually(
    'the Resource entity to leave the catalog',
    async () => (await getJson(entityQuery)).items.length === 0,
    GONE_TIMEOUT_MS,
  );
}

test('the Resources tab of a component opens the request form with owner and entity filled in', async () => {
  const page = await signedInPage(browser);
  try {
    const nav = page.getByRole('navigation', { name: 'sidebar nav' });
    await nav.getByRole('link', { name: 'Catalog', exact: true }).click();
    // listed by title ("Orders API") or name
    await page
      .getByRole('link', { name: /^(Orders API|orders-api)$/ })
      .first()
      .click();
    await page.waitForURL(/\/catalog\/default\/component\/orders-api/);
    await page
      .getByRole('tab', { name: 'Resources', exact: true })
      .or(page.getByRole('link', { name: 'Resources', exact: true }))
      .first()
      .click();
    await page.waitForURL(/\/orders-api\/resources/);
    await page.getByRole('button', { name: 'Request a resource' }).click();
    await page.getByRole('menuitem', { name: 'PostgreSQL database' }).click();
    await page.waitForURL(/\/provisioning\/request\/postgresql\?/);
    const url = new URL(page.url());
    assert.equal(
      url.searchParams.get('entityRef'),
      'component:default/orders-api',
    );
    assert.equal(url.searchParams.get('owner'), 'group:default/orders-team');
    assert.equal(
      await page.getByRole('textbox', { name: /^Belongs to/ }).inputValue(),
      'component:default/orders-api',
    );
    await eventually(
      'the cost estimate',
      async () =>
        (
          await page.getByTestId('estimate-amount').textContent()
        )?.includes('$15.00/month'),
      15_000,
    );
    await screenshot(page, 'provisioning-entity-request');
  } catch (e) {
    await screenshot(page, 'provisioning-entity-failure').catch(
      () => undefined,
    );
    throw e;
  } finally {
    await page.close();
  }
});
