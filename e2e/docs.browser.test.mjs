// Documentation and search in real Chromium: orders-api's TechDocs (overview and runbook), the portal
// handbook, a repository on the embedded git server registered like "Register existing component" and its
// docs built through the git server's URL reader, and a search for "orders" that finds catalog entities
// and docs. No response of the whole session is a 5xx.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  backendUrl,
  baseUrl,
  dataDir,
  eventually,
  launchBrowser,
  screenshot,
  signedInPage,
  token,
} from './lib/portal.mjs';

let browser;
let page;
const serverErrors = [];

before(async () => {
  browser = await launchBrowser();
  // The first load of the frontend (the dev server compiles on demand) can take minutes on a busy machine.
  const warm = await browser.newPage();
  await warm.goto(baseUrl, { timeout: 300_000 });
  await warm.getByRole('button', { name: 'Enter' }).waitFor({ timeout: 120_000 });
  await warm.close();
  page = await signedInPage(browser);
  page.on('response', res => {
    if (res.status() >= 500) serverErrors.push(`${res.status()} ${res.request().method()} ${res.url()}`);
  });
});
after(async () => {
  await page?.context().close();
  await browser?.close();
});

/** Opens an entity's docs page and waits for a heading of the built site (the first view builds it). */
async function openDocs(path, heading) {
  await page.goto(`${baseUrl}/docs/default/component/${path}`);
  await page.getByRole('heading', { name: heading }).first().waitFor({ timeout: 120_000 });
}

test("orders-api's docs build and render, overview and runbook", async () => {
  try {
    await openDocs('orders-api', 'Orders API');
    await page.getByText('accepts, prices and tracks customer orders').first().waitFor();
    await screenshot(page, 'docs-orders-api');
    await openDocs('orders-api/runbook/', 'Runbook: Orders API');
    await page.getByRole('heading', { name: /orders-db near its connection limit/ }).first().waitFor();
  } catch (e) {
    await screenshot(page, 'failure-docs-orders-api');
    throw e;
  }
});

test('the portal handbook renders on the paved-portal component', async () => {
  try {
    await openDocs('paved-portal', 'Getting started with Paved');
    await page.getByRole('link', { name: 'Request a database' }).first().waitFor();
    await screenshot(page, 'docs-handbook');
    await openDocs('paved-portal/status/', 'How status is computed');
  } catch (e) {
    await screenshot(page, 'failure-docs-handbook');
    throw e;
  }
});

test('a repository on the embedded git server registers and its docs build through the URL reader', async t => {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
  } catch {
    t.skip('no git CLI to create the repository');
    return;
  }
  const name = `e2e-docs-${Date.now().toString(36)}`;
  const work = mkdtempSync(join(tmpdir(), 'paved-e2e-repo-'));
  try {
    mkdirSync(join(work, 'docs'));
    writeFileSync(
      join(work, 'catalog-info.yaml'),
      [
        'apiVersion: backstage.io/v1alpha1',
        'kind: Component',
        'metadata:',
        `  name: ${name}`,
        '  annotations:',
        '    backstage.io/techdocs-ref: dir:.',
        'spec: { type: service, lifecycle: experimental, owner: group:default/orders-team }',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(work, 'mkdocs.yml'),
      `site_name: ${name}\nnav:\n  - Overview: index.md\ntheme:\n  name: material\n  font: false\nplugins:\n  - search\n`,
    );
    writeFileSync(join(work, 'docs', 'index.md'), '# Served from the embedded git server\n');
    const git = args => execFileSync('git', args, { cwd: work, stdio: 'ignore' });
    git(['init', '-q', '-b', 'main']);
    git(['add', '-A']);
    git(['-c', 'user.name=e2e', '-c', 'user.email=e2e@paved.local', 'commit', '-qm', 'docs']);
    git(['clone', '-q', '--bare', work, join(dataDir, 'git', `${name}.git`)]);

    const target = `${backendUrl}/api/scaffolder/paved-git/${name}/raw/main/catalog-info.yaml`;
    const anonymous = await fetch(target);
    assert.equal(anonymous.status, 401, 'the git server answers unauthenticated requests with 401');
    const headers = { Authorization: `Bearer ${await token()}`, 'Content-Type': 'application/json' };
    // What "Register existing component" does: a dry run, then the location.
    const dry = await fetch(`${backendUrl}/api/catalog/locations?dryRun=true`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ type: 'url', target }),
    });
    assert.equal(dry.status, 201, await dry.clone().text());
    const dryEntities = (await dry.json()).entities;
    assert.ok(
      dryEntities.some(e => e.kind === 'Component' && e.metadata.name === name),
      `dry run entities: ${dryEntities.map(e => `${e.kind}:${e.metadata.name}`).join(', ')}`,
    );
    const added = await fetch(`${backendUrl}/api/catalog/locations`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ type: 'url', target }),
    });
    assert.equal(added.status, 201, await added.clone().text());
    await eventually(
      `${name} in the catalog`,
      async () =>
        (await fetch(`${backendUrl}/api/catalog/entities/by-name/component/default/${name}`, { headers })).ok,
      60_000,
    );
    await openDocs(name, 'Served from the embedded git server');
    await screenshot(page, 'docs-embedded-git');
  } catch (e) {
    await screenshot(page, 'failure-docs-embedded-git');
    throw e;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test('search for "orders" finds catalog entities and docs', async () => {
  try {
    await eventually(
      'search results for "orders" with a component and a docs page',
      async () => {
        await page.goto(`${baseUrl}/search?query=orders`);
        await page.getByRole('link', { name: 'Orders API' }).first().waitFor({ timeout: 15_000 });
        // A TechDocs result names the page and its entity, e.g. "Runbook: Orders API".
        return (await page.getByText(/Runbook: Orders API|Getting started with Paved/).count()) > 0;
      },
      180_000,
      { intervalMs: 5_000 },
    );
    await screenshot(page, 'search-orders');
  } catch (e) {
    await screenshot(page, 'failure-search-orders');
    throw e;
  }
});

test('no response of the session was a 5xx', () => {
  assert.deepEqual(serverErrors, []);
});
