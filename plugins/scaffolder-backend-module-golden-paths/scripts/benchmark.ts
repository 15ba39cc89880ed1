/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// Benchmark of template upgrades (README, "Benchmark"). Measures, on bare repositories made as a v1 golden-path
// run leaves them and edited by their developers (README and a line of src/server.ts):
//   1. one upgrade: from the start of paved:template:upgrade's work (clone) to the upgrade branch pushed, including
//      both renders, the 3-way merge and the service's own tests (goal < 3 s);
//   2. a campaign: the same upgrade for N services (default 200), PAVED_BENCH_CONCURRENCY at a time (default 2,
//      the machine's cores) (goal < 2 min).
// Usage: yarn benchmark [services=200]
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import fs from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { git } from '../src/lib/git';
import { createRenderer } from '../src/lib/render';
import { upgradeRepository } from '../src/lib/upgrade';

const services = Number(process.argv[2] ?? 200);
const concurrency = Number(process.env.PAVED_BENCH_CONCURRENCY ?? os.cpus().length);
const TEMPLATE_URL = pathToFileURL(
  resolve(__dirname, '../../../templates/typescript-service/template.yaml'),
).toString();
const logger: any = { info() {}, warn() {}, error() {}, debug() {}, child: () => logger };
const renderer = createRenderer({
  reader: {} as any,
  integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
  logger,
});
const author = { name: 'Bench', email: 'bench@example.com' };
const env = (dir: string) => ({ cwd: dir });

async function makeRepo(root: string, templateDir: string, name: string) {
  const clone = join(root, 'clones', name);
  await renderer.renderVersion({
    templateDir,
    provenance: {
      template: 'template:default/typescript-service',
      version: '1.0.0',
      values: {
        name,
        description: 'A benchmark service.',
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
    fs.readFileSync(server, 'utf8').replace("sendJson(res, 404, { error: 'Not found' });", "sendJson(res, 404, { error: 'Not found', path });"),
  );
  const gitdir = join(root, 'git', `${name}.git`);
  fs.mkdirSync(gitdir, { recursive: true });
  await git(['init', '--quiet', '--bare', '--initial-branch=main'], env(gitdir));
  await git(['init', '--quiet', '--initial-branch=main'], env(clone));
  await git(['add', '--all'], env(clone));
  await git(['-c', 'user.name=b', '-c', 'user.email=b@b', 'commit', '--quiet', '-m', 'v1 + edits'], env(clone));
  await git(['push', '--quiet', gitdir, 'main'], env(clone));
  fs.rmSync(clone, { recursive: true, force: true });
  return gitdir;
}

async function upgradeOne(root: string, gitdir: string, i: number) {
  const workDir = join(root, 'work', String(i));
  const started = performance.now();
  const result = await upgradeRepository({
    gitdir,
    workDir,
    renderer,
    resolveTemplateUrl: async () => TEMPLATE_URL,
    logger,
    dryRun: false,
    runTests: true,
    testTimeoutMs: 60_000,
    author,
  });
  const ms = performance.now() - started;
  fs.rmSync(workDir, { recursive: true, force: true });
  if (!result.mergeable || !result.commit) {
    throw new Error(`upgrade of ${gitdir} is not mergeable: ${JSON.stringify(result.report.conflicts)} ${result.tests.output}`);
  }
  return ms;
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function main() {
  const root = fs.mkdtempSync(join(os.tmpdir(), 'paved-upgrade-bench-'));
  try {
    const templateDir = join(root, 'template');
    await renderer.fetchTemplate({ templateUrl: TEMPLATE_URL, dir: templateDir });
    console.log(`Preparing ${services + 5} v1 repositories with local edits in ${root} ...`);
    const repos: string[] = [];
    for (let i = 0; i < services + 5; i++) repos.push(await makeRepo(root, templateDir, `svc-${i}`));

    const single: number[] = [];
    for (let i = 0; i < 5; i++) single.push(await upgradeOne(root, repos[services + i], services + i));
    console.log(`One upgrade (clone -> renders -> merge -> tests -> branch pushed), 5 runs: median ${pct(single, 50).toFixed(0)} ms, max ${Math.max(...single).toFixed(0)} ms (goal < 3000 ms)`);

    const started = performance.now();
    const times: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < services) {
          const i = next++;
          times.push(await upgradeOne(root, repos[i], i));
        }
      }),
    );
    const total = (performance.now() - started) / 1000;
    console.log(`Campaign over ${services} services, ${concurrency} at a time: ${total.toFixed(1)} s (goal < 120 s); per upgrade p50 ${pct(times, 50).toFixed(0)} ms, p95 ${pct(times, 95).toFixed(0)} ms`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
