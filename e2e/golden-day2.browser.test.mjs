// Golden paths on day 2 (issue 12), end to end in real Chromium against `./portal start`:
// the platform team publishes v1 of a golden path; a new user creates `invoice-api` from it (with a small
// PostgreSQL database), takes a git access token in the portal, clones the repository over git's smart HTTP,
// edits its README and a source file and pushes; the platform team publishes v2; the Golden paths page shows one
// service behind; the entity card offers the upgrade; its diff has the template's changes and keeps the local
// edits; the user merges it; the entity shows v2; a fresh clone passes its tests. Then the user retires
// `invoice-api`: its database is deleted, the entity is gone, the repository is archived (cloneable, pushes
// refused) and another component's resources stay.
//
// The golden path under test is a copy of templates/typescript-service in the namespace `golden-e2e`, published
// in a folder the portal reads (`paved.reading.folders`), so the test can release v1 and then v2 as a platform
// team would (the template in templates/ is already at v2). Owner: plugins/scaffolder-backend-module-provisioning (git server, retire) and
// plugins/scaffolder-backend-module-golden-paths (upgrades). Screenshots: e2e-results/screenshots/golden-day2-*.png
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import {
  ROOT,
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

const exec = promisify(execFile);
const NAME = 'invoice-api';
const NAMESPACE = 'golden-e2e';
const TEMPLATE_REF = `template:${NAMESPACE}/typescript-service`;
const TEMPLATE_DIR = join(dataDir, 'local-repos', 'golden-e2e-templates');
const TASK_TIMEOUT_MS = 180_000;
const gitEnv = {
  PATH: process.env.PATH,
  HOME: tmpdir(),
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_TERMINAL_PROMPT: '0',
  GIT_ASKPASS: '/bin/false',
  LC_ALL: 'C',
};
const git = (args, cwd) => exec('git', args, { cwd, env: gitEnv, timeout: 60_000 });
const identity = ['-c', 'user.name=Dana Ortiz', '-c', 'user.email=dana@example.com'];

let browser;
const work = mkdtempSync(join(tmpdir(), 'paved-e2e-day2-'));
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

async function api(method, path, body) {
  const res = await fetch(`${backendUrl}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${await token()}`,
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  const text = await res.text();
  return text ? JSON.parse(text) : undefined;
}

/** The golden path as the platform team releases it: version 1.0.0 only, or 1.0.0 and 2.0.0. */
function templateFiles(dir, version) {
  const source = join(ROOT, 'templates', 'typescript-service');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(join(source, 'versions'), join(dir, 'versions'), { recursive: true });
  let yaml = readFileSync(join(source, 'template.yaml'), 'utf8')
    .replace(/^metadata:\n  name: typescript-service\n/m, `metadata:\n  name: typescript-service\n  namespace: ${NAMESPACE}\n`)
    .replace(/^  title: TypeScript HTTP service$/m, '  title: TypeScript HTTP service (day-2 test)');
  const versions = parseYaml(readFileSync(join(source, 'versions.yaml'), 'utf8'));
  if (version === '1.0.0') {
    yaml = yaml
      .replace(/paved\.dev\/template-version: .*/, 'paved.dev/template-version: 1.0.0')
      .replace(/url: \.\/skeleton$/m, 'url: ./versions/1.0.0/skeleton');
    versions.versions = versions.versions.filter(v => v.version === '1.0.0');
  } else {
    cpSync(join(source, 'skeleton'), join(dir, 'skeleton'), { recursive: true });
  }
  assert.match(yaml, new RegExp(`paved.dev/template-version: ${version.replace(/\./g, '\\.')}`));
  writeFileSync(join(dir, 'template.yaml'), yaml);
  writeFileSync(join(dir, 'versions.yaml'), stringifyYaml(versions));
}

/**
 * Publishes a release of the golden path where the portal reads it: a folder the backend may read through
 * `file://` URLs (`paved.reading.folders`, `<data dir>/local-repos` in development), as a platform team's
 * release job would update a checkout of its templates repository.
 */
function publishTemplate(version) {
  templateFiles(TEMPLATE_DIR, version);
}

async function waitForTask(taskId) {
  await eventually(
    `task ${taskId} to complete`,
    async () => {
      const task = await getJson(`/api/scaffolder/v2/tasks/${taskId}`);
      if (task.status === 'failed' || task.status === 'cancelled') {
        const events = await getJson(`/api/scaffolder/v2/tasks/${taskId}/events`).catch(() => []);
        const log = events.map(e => e.body?.message).filter(Boolean).slice(-15).join('\n');
        throw Object.assign(new Error(`the run ${task.status}:\n${log}`), { fatal: true });
      }
      return task.status === 'completed';
    },
    TASK_TIMEOUT_MS,
  );
}

async function taskLog(taskId) {
  const events = await getJson(`/api/scaffolder/v2/tasks/${taskId}/events`);
  return events.map(e => e.body?.message ?? '').join('\n');
}

/** Clicks Create on the Review step and returns the task id. */
async function createAndWait(page) {
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await page.waitForURL(/\/create\/tasks\/[^/]+$/);
  const taskId = page.url().split('/').pop();
  await waitForTask(taskId);
  return taskId;
}

async function chooseTemplate(page, title, urlPart) {
  await page.goto(`${baseUrl}/create`);
  const card = page
    .getByText(title, { exact: true })
    .first()
    .locator('xpath=ancestor::*[.//*[(self::button or self::a) and normalize-space()="Choose"]][1]');
  await card.getByRole('button', { name: 'Choose' }).or(card.getByRole('link', { name: 'Choose' })).first().click();
  await page.waitForURL(new RegExp(urlPart));
}

async function pick(page, label, text, option = new RegExp(text, 'i')) {
  // The form's combobox (an entity picker), not a sidebar link with a similar name.
  const field = page
    .getByRole('combobox', { name: label })
    .or(page.getByRole('textbox', { name: label }))
    .first();
  await field.click();
  await field.fill(text);
  await page.getByRole('option', { name: option }).first().click();
}

test('day 2: upgrade a service made from v1 that has local edits, then retire it', async () => {
  const page = await signedInPage(browser);
  try {
    await scenario(page);
  } catch (e) {
    await screenshot(page, 'golden-day2-failure').catch(() => undefined);
    throw e;
  } finally {
    await page.close();
  }
});

async function scenario(page) {
  // 0. The platform team releases v1 of the golden path and registers it.
  publishTemplate('1.0.0');
  const location = await api('POST', '/api/catalog/locations', {
    type: 'url',
    target: pathToFileURL(join(TEMPLATE_DIR, 'template.yaml')).toString(),
  }).catch(e => {
    if (/: 409 /.test(e.message)) return undefined; // registered by an earlier run on this portal
    throw e;
  });
  const templatePath = `/api/catalog/entities/by-name/template/${NAMESPACE}/typescript-service`;
  await eventually(
    'the v1 template in the catalog',
    async () => (await getJson(templatePath)).metadata.annotations['paved.dev/template-version'] === '1.0.0',
    60_000,
  );
  const otherResources = (await getJson('/api/provisioning/v1/resources?limit=200')).items.filter(
    r => r.state !== 'deleted' && r.entityRef !== `component:default/${NAME}`,
  );

  // 1. Create invoice-api from v1 with a small database.
  await chooseTemplate(page, 'TypeScript HTTP service (day-2 test)', `/create/templates/${NAMESPACE}/typescript-service`);
  await page.getByLabel(/^Name/).first().fill(NAME);
  await page.getByLabel(/^Description/).first().fill('Creates and sends invoices for orders.');
  await pick(page, /^Owning team/, 'orders');
  await pick(page, /^System/, 'orders');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel(/Needs a PostgreSQL database/).check();
  await page.getByRole('button', { name: 'Review' }).click();
  const createTask = await createAndWait(page);
  // The task's repository link is the clone URL with a git icon, not a raw README link.
  const repoLink = page.getByRole('link', { name: new RegExp(`Repository ${NAME}`) })
    .or(page.getByRole('button', { name: new RegExp(`Repository ${NAME}`) }))
    .first();
  await repoLink.waitFor({ timeout: 60_000 });
  const cloneText = await page.getByText(/git clone http/).first().textContent();
  const cloneUrl = /git clone (http\S+)/.exec(cloneText)?.[1];
  assert.equal(cloneUrl, `${backendUrl}/api/scaffolder/paved-git/${NAME}.git`);
  await screenshot(page, 'golden-day2-created');
  const entity = await eventually('invoice-api in the catalog', () => getJson(`/api/catalog/entities/by-name/component/default/${NAME}`), 60_000);
  assert.equal(entity.metadata.annotations['paved.dev/template'], TEMPLATE_REF);
  assert.equal(entity.metadata.annotations['paved.dev/template-version'], '1.0.0');
  assert.equal(entity.metadata.annotations['backstage.io/source-location'], `url:${cloneUrl}`);
  const { items: resources } = await getJson(`/api/provisioning/v1/resources?entityRef=${encodeURIComponent(`component:default/${NAME}`)}`);
  const db = resources.find(r => r.name === `${NAME}-db`);
  assert.equal(db?.state, 'ready', `database: ${JSON.stringify(resources)} (task ${createTask})`);

  // 2. A git access token from the portal; anonymous git is refused.
  const anonymous = await fetch(`${cloneUrl}/info/refs?service=git-upload-pack`);
  assert.equal(anonymous.status, 401);
  assert.match(anonymous.headers.get('www-authenticate') ?? '', /^Basic/);
  await page.goto(`${baseUrl}/git-access-tokens`);
  await page.getByPlaceholder('laptop').fill('e2e laptop');
  await page.getByRole('button', { name: 'Create token' }).click();
  const gitToken = (await page.getByTestId('git-token').textContent()).trim();
  assert.match(gitToken, /^pvg_/);
  await screenshot(page, 'golden-day2-token');
  const authed = cloneUrl.replace('://', `://git:${encodeURIComponent(gitToken)}@`);

  // 3. Clone, edit the README and a source file, push (the real git CLI over smart HTTP).
  const clone = join(work, 'clone');
  await git(['clone', '--quiet', authed, clone], work);
  appendFileSync(join(clone, 'README.md'), '\nOn call: #orders-oncall\n');
  const serverFile = join(clone, 'src/server.ts');
  const server = readFileSync(serverFile, 'utf8');
  const anchor = "      if (path === '/') {";
  assert.ok(server.includes(anchor), 'src/server.ts of v1 has the root route');
  writeFileSync(
    serverFile,
    server.replace(anchor, "      if (path === '/version') {\n        sendJson(res, 200, { version: '1.4.2' });\n        return;\n      }\n" + anchor),
  );
  await git(['add', '--all'], clone);
  await git([...identity, 'commit', '--quiet', '-m', 'Our own changes'], clone);
  const push = await git(['push', 'origin', 'main'], clone);
  assert.match(push.stderr, /main -> main/);

  // 4. The platform team publishes v2; the Golden paths page shows one service behind.
  publishTemplate('2.0.0');
  await api('POST', '/api/catalog/refresh', { entityRef: TEMPLATE_REF });
  if (location?.location?.id) {
    const loc = location.entities?.find?.(e => e.kind === 'Location');
    if (loc) await api('POST', '/api/catalog/refresh', { entityRef: `location:${loc.metadata.namespace ?? 'default'}/${loc.metadata.name}` }).catch(() => undefined);
  }
  await eventually(
    'the template at 2.0.0 in the catalog',
    async () => (await getJson(templatePath)).metadata.annotations['paved.dev/template-version'] === '2.0.0',
    90_000,
    { intervalMs: 2000 },
  );
  await eventually(
    'the Golden paths page to show 1 behind',
    async () => {
      await page.goto(`${baseUrl}/golden-paths`);
      const counts = page.getByTestId(`counts-${TEMPLATE_REF}`);
      await counts.waitFor({ timeout: 20_000 });
      const text = await counts.innerText();
      return /1 services/.test(text) && /1 behind/.test(text);
    },
    120_000,
    { intervalMs: 5000 },
  );
  await screenshot(page, 'golden-day2-fleet');

  // 5. The entity card offers the upgrade; run it (the upgrade-service template, pre-filled).
  await page.goto(`${baseUrl}/catalog/default/component/${NAME}`);
  await page.getByText('v2.0.0 is available').first().waitFor({ timeout: 60_000 });
  await screenshot(page, 'golden-day2-card');
  await page.getByRole('link', { name: 'Upgrade' }).or(page.getByRole('button', { name: 'Upgrade' })).first().click();
  await page.waitForURL(/\/create\/templates\/default\/upgrade-service/);
  await page.getByRole('button', { name: 'Review' }).click();
  const upgradeTask = await createAndWait(page);
  await screenshot(page, 'golden-day2-upgrade-task');
  const log = await taskLog(upgradeTask);
  // The diff has the template's changes and does not take away the local edits.
  assert.match(log, /\+\+\+ b\/src\/metrics\.ts/);
  assert.doesNotMatch(log, /^-.*On call: #orders-oncall/m);
  assert.doesNotMatch(log, /^-.*\/version/m);

  // 6. Merge from the card; the entity shows v2.
  await page.goto(`${baseUrl}/catalog/default/component/${NAME}`);
  const merge = page.getByRole('button', { name: /^Merge paved\/upgrade\// });
  await merge.waitFor({ timeout: 60_000 });
  await merge.click();
  await eventually(
    'the entity at v2.0.0',
    async () => (await getJson(`/api/catalog/entities/by-name/component/default/${NAME}`)).metadata.annotations['paved.dev/template-version'] === '2.0.0',
    90_000,
    { intervalMs: 2000 },
  );
  await page.reload();
  await page.getByText(/Made from .* v2\.0\.0/).first().waitFor({ timeout: 60_000 });
  await screenshot(page, 'golden-day2-merged');

  // 7. A fresh clone has v2 and the local edits, and passes its tests.
  const fresh = join(work, 'fresh');
  await git(['clone', '--quiet', authed, fresh], work);
  assert.match(readFileSync(join(fresh, 'README.md'), 'utf8'), /On call: #orders-oncall/);
  const merged = readFileSync(join(fresh, 'src/server.ts'), 'utf8');
  assert.match(merged, /'\/version'/);
  assert.match(readFileSync(join(fresh, '.paved/template.json'), 'utf8'), /"version": "2\.0\.0"/);
  readFileSync(join(fresh, 'src/metrics.ts'));
  const tests = await exec(process.execPath, ['--test', '--test-reporter=tap'], {
    cwd: fresh,
    timeout: 120_000,
    env: { PATH: process.env.PATH },
  });
  assert.match(tests.stdout, /^# fail 0$/m);

  // 8. Retire invoice-api: what will go is listed, the name is typed.
  await chooseTemplate(page, 'Retire a service', '/create/templates/default/retire-service');
  await pick(page, /^Service/, NAME, new RegExp(NAME));
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByText(`postgresql '${NAME}-db'`, { exact: false }).first().waitFor({ timeout: 30_000 });
  await page.getByText(`Repository ${NAME} will be archived`, { exact: false }).first().waitFor();
  await screenshot(page, 'golden-day2-retire-form');
  await page.getByLabel(/Type the service's name/).first().fill(NAME);
  await page.getByRole('button', { name: 'Review' }).click();
  const retireTask = await createAndWait(page);
  await screenshot(page, 'golden-day2-retired');
  assert.match(await taskLog(retireTask), /retired by user:default\//);

  // Its database is deleted; another component's resources stay.
  await eventually(
    `${NAME}-db deleted`,
    async () => {
      const r = await getJson(`/api/provisioning/v1/resources/${db.id}`).catch(e => {
        if (/: 404 /.test(e.message)) return { state: 'deleted' };
        throw e;
      });
      return r.state === 'deleted';
    },
    60_000,
  );
  const stillThere = (await getJson('/api/provisioning/v1/resources?limit=200')).items.filter(r => r.state !== 'deleted');
  for (const r of otherResources) {
    assert.ok(stillThere.some(x => x.id === r.id), `${r.name} of ${r.entityRef} must stay`);
  }
  // The entity is gone.
  await eventually(
    'the entity to be unregistered',
    async () => {
      const res = await fetch(`${backendUrl}/api/catalog/entities/by-name/component/default/${NAME}`, {
        headers: { Authorization: `Bearer ${await token()}` },
      });
      return res.status === 404;
    },
    30_000,
  );
  // The repository is archived: still cloneable, pushes refused.
  const archived = join(work, 'archived');
  await git(['clone', '--quiet', authed, archived], work);
  appendFileSync(join(archived, 'README.md'), '\nafter retirement\n');
  await git([...identity, 'commit', '--quiet', '-am', 'after retirement'], archived);
  await assert.rejects(git(['push', 'origin', 'main'], archived), /403|archived/);
  const landing = await fetch(cloneUrl, { headers: { Authorization: `Bearer ${gitToken}` } });
  assert.match(await landing.text(), /archived by user:default\//);
  const records = await api('GET', `/api/scaffolder/retirements?entityRef=${encodeURIComponent(`component:default/${NAME}`)}`);
  assert.equal(records.items[0]?.status, 'retired');
}
