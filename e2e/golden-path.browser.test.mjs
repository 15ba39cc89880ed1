// Golden path end to end, in real Chromium against `./portal start`: a new user creates a TypeScript HTTP
// service with a small PostgreSQL database from "Create", watches the run, opens the new component (owner,
// system, the database it depends on), clones the published repository, runs its tests, starts it and calls
// /healthz. Cleans up by deleting the database through the provisioning API.
// Owner: plugins/scaffolder-backend-module-provisioning. Screenshots: e2e-results/screenshots/golden-path-*.png
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  backendUrl,
  dataDir,
  getJson,
  launchBrowser,
  screenshot,
  signedInPage,
  token,
  eventually,
} from './lib/portal.mjs';

const run = promisify(execFile);
const TASK_TIMEOUT_MS = 120_000;

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

async function api(method, path) {
  const res = await fetch(`${backendUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${await token()}` },
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Starts the cloned service on a free port (PORT=0, read back from its JSON log) and returns it. */
async function startService(dir) {
  const child = spawn(process.execPath, ['src/main.ts'], {
    cwd: dir,
    env: { PATH: process.env.PATH, PORT: '0', NODE_ENV: 'development', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stderr.on('data', d => {
    out += d;
  });
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the service did not start: ${out}`)), 20_000);
    child.stdout.on('data', d => {
      out += d;
      for (const line of out.split('\n')) {
        const m = /"port":\s*(\d+)/.exec(line);
        if (m && line.includes('listening')) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      }
    });
    child.on('exit', code => {
      clearTimeout(timer);
      reject(new Error(`the service exited with ${code}: ${out}`));
    });
  });
  return { child, port };
}

test('a new user creates a TypeScript service with a PostgreSQL database from Create and runs it', async () => {
  const name = `e2e-svc-${randomBytes(3).toString('hex')}`;
  const page = await signedInPage(browser);
  const cleanup = [];
  try {
    await scenario(page, name, cleanup);
  } catch (e) {
    await screenshot(page, 'golden-path-failure').catch(() => undefined);
    const alerts = await page
      .getByRole('alert')
      .allInnerTexts()
      .catch(() => []);
    if (alerts.length) e.message += `\nalerts on the page: ${alerts.join(' | ')}`;
    throw e;
  } finally {
    await page.close();
    // Delete the database this run created (also when the test failed half way)
    const { items } = await getJson(
      `/api/provisioning/v1/resources?entityRef=${encodeURIComponent(
        `component:default/${name}`,
      )}`,
    ).catch(() => ({ items: [] }));
    for (const r of items) {
      if (r.state !== 'deleted' && r.state !== 'deleting') {
        await api('DELETE', `/api/provisioning/v1/resources/${r.id}`).catch(() => undefined);
      }
    }
    for (const fn of cleanup.reverse()) await fn();
  }
});

async function scenario(page, name, cleanup) {
  // 1. Create from the sidebar, choose the template
  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await nav.getByRole('link', { name: 'Create', exact: true }).click();
  await page.waitForURL(/\/create/);
  // The template's card: the nearest element around its title that has a Choose button
  const card = page
    .getByText('TypeScript HTTP service', { exact: true })
    .first()
    .locator('xpath=ancestor::*[.//*[(self::button or self::a) and normalize-space()="Choose"]][1]');
  await card.getByRole('button', { name: 'Choose' }).or(card.getByRole('link', { name: 'Choose' })).first().click();
  await page.waitForURL(/\/create\/templates\/default\/typescript-service/);

  // 2. About the service: name, description, owner, system
  await page.getByLabel(/^Name/).first().fill(name);
  await page.getByLabel(/^Description/).first().fill(`End-to-end test service ${name}`);
  const owner = page.getByLabel(/^Owning team/).first();
  await owner.click();
  await owner.fill('orders');
  await page.getByRole('option', { name: /orders/i }).first().click();
  const system = page.getByLabel(/^System/).first();
  await system.click();
  await system.fill('orders');
  await page.getByRole('option', { name: /orders/i }).first().click();
  await page.getByRole('button', { name: 'Next' }).click();

  // 3. Infrastructure: a small database, its price shown before submitting
  await page.getByLabel(/Needs a PostgreSQL database/).check();
  await page.getByText('Small: 10 connections').first().waitFor();
  // The live estimate (ProvisioningCostEstimate field) shows the price, no longer the option title.
  await page.getByTestId('paved-cost-estimate-total').filter({ hasText: '$15.00/month' }).first().waitFor();
  await screenshot(page, 'golden-path-form');
  await page.getByRole('button', { name: 'Review' }).click();

  // 4. Review and create
  await page.getByText(name).first().waitFor();
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await page.waitForURL(/\/create\/tasks\/[^/]+$/);
  const taskId = page.url().split('/').pop();

  // 5. The task page shows the steps, then the links
  await page.getByText('Request the PostgreSQL database').first().waitFor();
  await eventually(
    'the run to complete',
    async () => {
      const task = await getJson(`/api/scaffolder/v2/tasks/${taskId}`);
      if (task.status === 'failed' || task.status === 'cancelled') {
        throw Object.assign(new Error(`the run ${task.status}`), { fatal: true });
      }
      return task.status === 'completed';
    },
    TASK_TIMEOUT_MS,
  ).catch(async e => {
    const task = await getJson(`/api/scaffolder/v2/tasks/${taskId}`).catch(() => ({}));
    if (task.status && task.status !== 'completed') {
      throw new Error(`the run ended ${task.status}: ${e.message}`);
    }
    throw e;
  });
  const componentLink = page.getByRole('link', { name: `Open ${name} in the catalog` })
    .or(page.getByRole('button', { name: `Open ${name} in the catalog` }))
    .first();
  await componentLink.waitFor({ timeout: 60_000 });
  await page.getByRole('link', { name: `PostgreSQL database ${name}-db` })
    .or(page.getByRole('button', { name: `PostgreSQL database ${name}-db` }))
    .first()
    .waitFor();
  await page.getByRole('link', { name: `Repository ${name}` })
    .or(page.getByRole('button', { name: `Repository ${name}` }))
    .first()
    .waitFor();
  // The clone URL on the portal's git server (git smart HTTP; a Backstage or git access token as the password)
  const cloneText = await page.getByText(/git clone http/).first().textContent();
  const remoteUrl = /git clone (http\S+)/.exec(cloneText)?.[1];
  assert.equal(remoteUrl, `${backendUrl}/api/scaffolder/paved-git/${name}.git`, `clone URL on the task page: ${cloneText}`);
  await screenshot(page, 'golden-path-task');

  // The database is ready (the run waited for it) and belongs to the new component
  const { items } = await getJson(
    `/api/provisioning/v1/resources?entityRef=${encodeURIComponent(`component:default/${name}`)}`,
  );
  const db = items.find(r => r.name === `${name}-db`);
  assert.ok(db, `no database for component:default/${name}: ${JSON.stringify(items)}`);
  assert.equal(db.state, 'ready');
  assert.equal(db.owner, 'group:default/orders-team');

  // 6. The component page: owner, system and the database it depends on
  await componentLink.click();
  await page.waitForURL(new RegExp(`/catalog/default/component/${name}`));
  await page.getByText(`End-to-end test service ${name}`).first().waitFor({ timeout: 60_000 });
  await page.getByRole('link', { name: /orders.team/i }).first().waitFor();
  await page.getByRole('link', { name: /^orders$|^Orders$/ }).first().waitFor();
  await eventually(
    `${name}-db on the component page`,
    async () => page.getByText(`${name}-db`).first().isVisible(),
    60_000,
  );
  const entity = await getJson(`/api/catalog/entities/by-name/component/default/${name}`);
  assert.equal(entity.spec.owner, 'group:default/orders-team');
  assert.match(entity.spec.system, /orders$/);
  assert.ok(
    entity.relations.some(r => r.type === 'dependsOn' && r.targetRef === `resource:default/${name}-db`),
    `relations: ${JSON.stringify(entity.relations)}`,
  );
  await screenshot(page, 'golden-path-component');

  // 7. Clone the repository, run its tests, start it and call /healthz
  const gitdir = join(dataDir, 'git', `${name}.git`);
  assert.ok(existsSync(gitdir), `no repository at ${gitdir}`);
  // The published repository (under the portal's git directory) goes with the test's other leftovers
  cleanup.push(() => rmSync(gitdir, { recursive: true, force: true }));
  const work = mkdtempSync(join(tmpdir(), 'paved-e2e-clone-'));
  cleanup.push(() => rmSync(work, { recursive: true, force: true }));
  const clone = join(work, name);
  const authed = remoteUrl.replace('://', `://git:${encodeURIComponent(await token())}@`);
  await run('git', ['clone', authed, clone], {
    timeout: 30_000,
    env: { PATH: process.env.PATH, GIT_TERMINAL_PROMPT: '0', HOME: work },
  });
  const catalogInfo = await run('git', ['-C', clone, 'show', 'HEAD:catalog-info.yaml']);
  assert.match(catalogInfo.stdout, new RegExp(`${name}-db`));
  assert.doesNotMatch(catalogInfo.stdout, /password|postgresql:\/\/[^\s]*@/i);
  // A clean environment: the variables of this test runner (NODE_TEST_CONTEXT, ...) would change the clone's run
  const tests = await run(process.execPath, ['--test', '--test-reporter=tap'], {
    cwd: clone,
    timeout: 60_000,
    env: { PATH: process.env.PATH },
  });
  assert.match(tests.stdout, /^# pass [1-9]/m);
  assert.match(tests.stdout, /^# fail 0$/m);
  const { child, port } = await startService(clone);
  cleanup.push(() => child.kill('SIGKILL'));
  const res = await fetch(`http://127.0.0.1:${port}/healthz`);
  assert.equal(res.status, 200);

  // 8. Clean up: delete the database through the API and wait until it is gone
  const deleting = await api('DELETE', `/api/provisioning/v1/resources/${db.id}`);
  assert.equal(deleting.state, 'deleting');
  await eventually(
    `${name}-db to be deleted`,
    async () => {
      const r = await getJson(`/api/provisioning/v1/resources/${db.id}`).catch(e => {
        if (/: 404 /.test(e.message)) return { state: 'deleted' };
        throw e;
      });
      return r.state === 'deleted';
    },
    60_000,
  );
}
