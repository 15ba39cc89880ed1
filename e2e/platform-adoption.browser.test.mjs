// Platform adoption and scorecards end to end, in real Chromium against `./portal start`: runs the "TypeScript HTTP
// service" golden path twice (through the scaffolder API, the way the Create page submits it), reports a deployment
// for one of the new services as its CI would, then opens Golden paths -> Adoption and checks that the funnel shows
// the runs just made (started, completed, in the catalog, deployed); finally opens a component's page and checks
// its scorecard (Tech Insights checks over Paved facts).
// Owner: plugins/scaffolder-backend-module-golden-paths (adoption), plugins/tech-insights-backend-module-paved.
// Screenshots: e2e-results/screenshots/platform-adoption-*.png
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  backendUrl,
  baseUrl,
  dataDir,
  eventually,
  getJson,
  launchBrowser,
  screenshot,
  signedInPage,
  token,
} from './lib/portal.mjs';

const TEMPLATE = 'template:default/typescript-service';
const TASK_TIMEOUT_MS = 180_000;

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

async function send(method, path, body) {
  const res = await fetch(`${backendUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${await token()}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? undefined : res.json();
}

const adoption = () =>
  getJson(`/api/scaffolder/golden-paths/v1/adoption?template=${encodeURIComponent(TEMPLATE)}`);

/** Runs the golden path for `name` (no database) and waits for the run to finish. */
async function runGoldenPath(name) {
  const { id } = await send('POST', '/api/scaffolder/v2/tasks', {
    templateRef: TEMPLATE,
    values: {
      name,
      description: `Adoption end-to-end service ${name}`,
      owner: 'group:default/orders-team',
      system: 'system:default/orders',
      database: false,
      redis: false,
    },
  });
  let status;
  await eventually(
    `the run for ${name} to finish`,
    async () => {
      ({ status } = await getJson(`/api/scaffolder/v2/tasks/${id}`));
      return status === 'completed' || status === 'failed';
    },
    TASK_TIMEOUT_MS,
    { intervalMs: 1000 },
  );
  assert.equal(status, 'completed', `the run for ${name} ${status}`);
}

test('the adoption funnel counts the golden-path runs just made, and a component shows its scorecard', async () => {
  const suffix = randomBytes(3).toString('hex');
  const names = [`e2e-adopt-a-${suffix}`, `e2e-adopt-b-${suffix}`];
  const before = (await adoption()).funnel;
  const page = await signedInPage(browser);
  try {
    // 1. Two golden-path runs; both components reach the catalog
    for (const name of names) await runGoldenPath(name);
    for (const name of names) {
      await eventually(
        `${name} in the catalog`,
        async () => {
          const res = await fetch(`${backendUrl}/api/catalog/entities/by-name/component/default/${name}`, {
            headers: { Authorization: `Bearer ${await token()}` },
          });
          return res.ok;
        },
        120_000,
        { intervalMs: 1000 },
      );
    }

    // 2. CI reports a production deployment of the first service, with its commit time (lead time)
    const finished = Date.now();
    await send('POST', '/api/service-status/v1/deployments', {
      entityRef: `component:default/${names[0]}`,
      environment: 'production',
      version: '1.0.0',
      commit: 'abcdef1234567',
      committedAt: new Date(finished - 30 * 60_000).toISOString(),
      status: 'succeeded',
      startedAt: new Date(finished - 60_000).toISOString(),
      finishedAt: new Date(finished).toISOString(),
    });

    // The API counts them: two more started, completed and in the catalog; one more deployed
    const afterRuns = await eventually(
      'the adoption report to count the runs',
      async () => {
        const f = (await adoption()).funnel;
        return f.inCatalog >= before.inCatalog + 2 && f.deployed >= before.deployed + 1 ? f : undefined;
      },
      60_000,
      { intervalMs: 1000 },
    );
    assert.equal(afterRuns.started, before.started + 2);
    assert.equal(afterRuns.completed, before.completed + 2);
    assert.equal(afterRuns.inCatalog, before.inCatalog + 2);
    assert.equal(afterRuns.deployed, before.deployed + 1);

    // 3. Golden paths -> Adoption: the funnel for the template shows those numbers
    const nav = page.getByRole('navigation', { name: 'sidebar nav' });
    await nav.getByRole('link', { name: 'Golden paths', exact: true }).click();
    await page.waitForURL(/\/golden-paths/);
    await page.getByRole('tab', { name: 'Adoption' }).click();
    await page.getByTestId('adoption-funnel').first().waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: /All templates/ }).click();
    await page.getByRole('option', { name: TEMPLATE }).click();
    const funnel = page.getByTestId('adoption-funnel').first();
    for (const [stage, count] of [
      ['started', afterRuns.started],
      ['completed', afterRuns.completed],
      ['inCatalog', afterRuns.inCatalog],
      ['deployed', afterRuns.deployed],
    ]) {
      await eventually(
        `the funnel's "${stage}" to show ${count}`,
        async () => (await funnel.getByTestId(`funnel-${stage}`).textContent())?.trim() === String(count),
        30_000,
      );
    }
    assert.match(await funnel.textContent(), /of previous/);
    await page
      .getByRole('table', { name: 'Adoption per template' })
      .getByText('TypeScript HTTP service')
      .first()
      .waitFor();
    await screenshot(page, 'platform-adoption-funnel');

    // 4. A component's scorecard (facts gathered by the Paved fact retriever, checks from config)
    await page.goto(`${baseUrl}/catalog/default/component/orders-api`);
    const score = page.getByTestId('scorecard-score').first();
    await score.waitFor({ timeout: 60_000 });
    await eventually(
      'the scorecard of orders-api to have facts (a passing check)',
      async () => {
        await page.reload();
        await score.waitFor({ timeout: 30_000 });
        const text = (await score.textContent()) ?? '';
        const m = /(\d+) of (\d+) checks pass/.exec(text);
        return m && Number(m[2]) === 8 && Number(m[1]) > 0;
      },
      180_000,
      { intervalMs: 5000 },
    );
    assert.equal(
      await page.getByTestId('check-pavedHasOwner').first().getAttribute('data-result'),
      'true',
    );
    await page.getByText('No open incident older than 7 days').first().waitFor();
    await screenshot(page, 'platform-adoption-scorecard');
  } catch (e) {
    await screenshot(page, 'platform-adoption-failure').catch(() => undefined);
    throw e;
  } finally {
    await page.close();
    for (const name of names) {
      rmSync(join(dataDir, 'git', `${name}.git`), { recursive: true, force: true });
    }
  }
});
