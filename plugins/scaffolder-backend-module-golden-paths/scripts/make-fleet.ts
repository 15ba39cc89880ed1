/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// Makes a fleet of golden-path services as a v1 run of the "TypeScript HTTP service" leaves them, for tests and
// benchmarks of campaigns against a real backend: for each service a bare repository `<dataDir>/git/<name>.git`
// (the embedded git server's layout; v1 skeleton plus a developer's README and src/server.ts edit) and a
// Component in `<dataDir>/fleet.yaml` annotated with paved.dev/template and paved.dev/template-version 1.0.0.
// Usage: node --require @backstage/cli/config/nodeTransform.cjs scripts/make-fleet.ts <dataDir> <count> [prefix]
// PAVED_FLEET_TEAM_TEST_MS=<ms> also gives every service a team test of its own that takes that long (ms), so
// that each upgrade (which runs the service's tests) takes a known minimum time: tests that must act while a
// campaign is half done (kill a backend mid-run) then do not depend on how fast the machine is.
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import fs from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { git } from '../src/lib/git';
import { createRenderer } from '../src/lib/render';

const [dataDir, countArg, prefix = 'fleet-svc'] = process.argv.slice(2);
const TEMPLATE_URL = pathToFileURL(
  resolve(__dirname, '../../../templates/typescript-service/template.yaml'),
).toString();
const logger: any = { info() {}, warn() {}, error() {}, debug() {}, child: () => logger };
const renderer = createRenderer({
  reader: {} as any,
  integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
  logger,
});
const teamTestMs = Number(process.env.PAVED_FLEET_TEAM_TEST_MS ?? 0);
const id = ['-c', 'user.name=Dana Ortiz', '-c', 'user.email=dana@example.com'];

async function makeRepo(templateDir: string, name: string) {
  const clone = join(dataDir, 'tmp', name);
  await renderer.renderVersion({
    templateDir,
    provenance: {
      template: 'template:default/typescript-service',
      version: '1.0.0',
      values: {
        name,
        description: 'A service of the fleet.',
        owner: 'group:default/orders-team',
        system: 'system:default/orders',
        database: false,
        redis: false,
        databaseResource: `${name}-db`,
        redisResource: `${name}-cache`,
      },
    },
    outputDir: clone,
  });
  fs.appendFileSync(join(clone, 'README.md'), '\nOn call: #orders-oncall\n');
  const server = join(clone, 'src/server.ts');
  fs.writeFileSync(
    server,
    fs
      .readFileSync(server, 'utf8')
      .replace("sendJson(res, 404, { error: 'Not found' });", "sendJson(res, 404, { error: 'Not found', path });"),
  );
  if (teamTestMs > 0) {
    fs.writeFileSync(
      join(clone, 'src/contract.test.mjs'),
      [
        "import { test } from 'node:test';",
        '',
        "// The team's own contract test: it waits for a slow downstream sandbox.",
        `test('the orders contract holds against the sandbox', async () => {`,
        `  await new Promise(resolve => setTimeout(resolve, ${teamTestMs}));`,
        '});',
        '',
      ].join('\n'),
    );
  }
  const gitdir = join(dataDir, 'git', `${name}.git`);
  fs.mkdirSync(gitdir, { recursive: true });
  await git(['init', '--quiet', '--bare', '--initial-branch=main'], { cwd: gitdir });
  await git(['init', '--quiet', '--initial-branch=main'], { cwd: clone });
  await git(['add', '--all'], { cwd: clone });
  await git([...id, 'commit', '--quiet', '-m', 'v1 and local edits'], { cwd: clone });
  await git(['push', '--quiet', gitdir, 'main'], { cwd: clone });
  fs.rmSync(clone, { recursive: true, force: true });
}

async function main() {
  const count = Number(countArg);
  if (!dataDir || !Number.isInteger(count) || count < 1) {
    throw new Error('usage: make-fleet.ts <dataDir> <count> [prefix]');
  }
  const templateDir = join(dataDir, 'tmp', 'template');
  await renderer.fetchTemplate({ templateUrl: TEMPLATE_URL, dir: templateDir });
  const names = Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`);
  for (const name of names) await makeRepo(templateDir, name);
  const docs = names.map(name =>
    JSON.stringify({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name,
        annotations: {
          'paved.dev/template': 'template:default/typescript-service',
          'paved.dev/template-version': '1.0.0',
          'backstage.io/source-template': 'template:default/typescript-service',
        },
      },
      spec: { type: 'service', lifecycle: 'experimental', owner: 'group:default/orders-team', system: 'orders' },
    }),
  );
  fs.writeFileSync(join(dataDir, 'fleet.yaml'), `${docs.join('\n---\n')}\n`);
  fs.rmSync(join(dataDir, 'tmp'), { recursive: true, force: true });
  process.stdout.write(`${JSON.stringify(names)}\n`);
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
