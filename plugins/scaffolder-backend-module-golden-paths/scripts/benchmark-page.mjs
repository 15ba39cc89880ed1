#!/usr/bin/env node
/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// Benchmark of the Golden paths page's API (GET /api/scaffolder/golden-paths/v1/templates) with N scaffolded
// components (default 2,000), against the real backend (packages/backend) on PostgreSQL: the components are a
// catalog file location the real processing loop ingests (annotated paved.dev/template / -version, 3 in 4 on 1.0.0,
// the rest on 2.0.0), plus one upgrade row per second component in the module's table (open, conflicted, merged,
// failed, queued). Prints the catalog ingestion time and the page API's p50/p95/max over --samples sequential
// requests (goal p95 < 300 ms), and the size of the answer.
//
//   node plugins/scaffolder-backend-module-golden-paths/scripts/benchmark-page.mjs [--count 2000] [--samples 100]
//
// PostgreSQL from PAVED_TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432), throwaway database
// prefix paved_bench_gp_<random>_ (dropped at the end), port --port (default 7233), a temporary data directory.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const BACKEND_DIR = join(ROOT, 'packages', 'backend');
const require = createRequire(join(BACKEND_DIR, 'package.json'));
const nodeTransform = require.resolve('@backstage/cli-node/config/nodeTransform.cjs');
const pg = require('pg');

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '2000' },
    samples: { type: 'string', default: '100' },
    port: { type: 'string', default: '7233' },
  },
});
const COUNT = Number(args.count);
const SAMPLES = Number(args.samples);
const PORT = Number(args.port);
const PG_URL = process.env.PAVED_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432';
const PREFIX = `paved_bench_gp_${Math.random().toString(36).slice(2, 8)}_`;
const TEMPLATE = 'template:default/typescript-service';
const url = `http://localhost:${PORT}`;
const dir = mkdtempSync(join(tmpdir(), 'paved-gp-bench-'));
const sleep = ms => new Promise(r => setTimeout(r, ms));
const log = m => process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${m}\n`);

const names = Array.from({ length: COUNT }, (_, i) => `gp-svc-${String(i).padStart(5, '0')}`);
writeFileSync(
  join(dir, 'fleet.yaml'),
  names
    .map((name, i) =>
      JSON.stringify({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name,
          title: `Service ${i}`,
          annotations: {
            'paved.dev/template': TEMPLATE,
            'paved.dev/template-version': i % 4 === 3 ? '2.0.0' : '1.0.0',
            'backstage.io/source-template': TEMPLATE,
          },
        },
        spec: { type: 'service', lifecycle: 'production', owner: `group:default/${['orders-team', 'payments-team', 'platform-team'][i % 3]}` },
      }),
    )
    .join('\n---\n'),
);

const u = new URL(PG_URL);
const connection = {
  host: u.hostname,
  port: Number(u.port || 5432),
  user: decodeURIComponent(u.username || 'postgres'),
  password: decodeURIComponent(u.password),
};
writeFileSync(
  join(dir, 'app-config.json'),
  JSON.stringify({
    backend: { baseUrl: url, listen: { port: PORT }, database: { client: 'pg', prefix: PREFIX, connection } },
    catalog: {
      processingInterval: { seconds: 30 },
      locations: [
        { type: 'file', target: join(ROOT, 'catalog', 'all.yaml') },
        { type: 'file', target: join(ROOT, 'templates', 'all.yaml') },
        { type: 'file', target: join(dir, 'fleet.yaml') },
      ],
    },
  }),
);

let backendLog = '';
const backend = spawn(
  process.execPath,
  ['--require', nodeTransform, 'src/index.ts', '--config', join(ROOT, 'app-config.yaml'), '--config', join(dir, 'app-config.json')],
  {
    cwd: BACKEND_DIR,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PAVED_DATA_DIR: dir, PAVED_DEMO_SERVICES: '0', NODE_ENV: 'development' },
  },
);
backend.stdout.on('data', d => (backendLog = (backendLog + d).slice(-200_000)));
backend.stderr.on('data', d => (backendLog = (backendLog + d).slice(-200_000)));

async function cleanup() {
  try {
    process.kill(-backend.pid, 'SIGTERM');
    await Promise.race([new Promise(r => backend.once('exit', r)), sleep(10_000)]);
    process.kill(-backend.pid, 'SIGKILL');
  } catch {
    // gone
  }
  const client = new pg.Client({ ...connection, database: 'postgres' });
  await client.connect();
  const { rows } = await client.query('select datname from pg_database where datname like $1', [`${PREFIX}%`]);
  for (const { datname } of rows) await client.query(`drop database if exists "${datname}" with (force)`);
  await client.end();
  rmSync(dir, { recursive: true, force: true });
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => cleanup().finally(() => process.exit(130)));

let bearer;
async function token() {
  bearer ??= (await (await fetch(`${url}/api/auth/guest/refresh`, { headers: { 'X-Requested-With': 'XMLHttpRequest' } })).json()).backstageIdentity.token;
  return bearer;
}
async function page() {
  const res = await fetch(`${url}/api/scaffolder/golden-paths/v1/templates`, { headers: { Authorization: `Bearer ${await token()}` } });
  const text = await res.text();
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${text.slice(0, 300)}`);
  return { body: JSON.parse(text), bytes: text.length };
}
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];

async function main() {
  const started = performance.now();
  let last = 0;
  for (;;) {
    if (backend.exitCode !== null) throw new Error(`backend exited:\n${backendLog.slice(-4000)}`);
    try {
      const t = (await page()).body.items.find(x => x.ref === TEMPLATE);
      if (t?.counts.services >= COUNT) break;
      if (performance.now() - last > 15_000) {
        last = performance.now();
        log(`the catalog has ${t?.counts.services ?? 0} of ${COUNT} components (${Math.round((performance.now() - started) / 1000)} s)`);
      }
    } catch {
      // not up yet
    }
    if (performance.now() - started > 20 * 60_000) throw new Error('gave up after 20 minutes');
    await sleep(2000);
  }
  log(`backend up and all ${COUNT} components ingested by the catalog's own processing in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  // One upgrade record per second component, in every status.
  const db = new pg.Client({ ...connection, database: `${PREFIX}scaffolder` });
  await db.connect();
  const statuses = ['open', 'conflicted', 'merged', 'failed', 'queued'];
  const rows = names.filter((_, i) => i % 2 === 0 && i % 4 !== 3);
  for (let i = 0; i < rows.length; i += 500) {
    const part = rows.slice(i, i + 500);
    const values = part.map((_, j) => `($${j * 4 + 1}, '2.0.0', '${TEMPLATE}', '1.0.0', $${j * 4 + 2}, $${j * 4 + 3}, '[]', $${j * 4 + 4}, now())`);
    await db.query(
      `insert into paved_template_upgrades (repo, to_version, template, from_version, branch, status, conflicts, commit_sha, updated_at) values ${values.join(', ')}`,
      part.flatMap((name, j) => [name, 'paved/upgrade/typescript-service-2.0.0', statuses[(i + j) % statuses.length], 'f'.repeat(40)]),
    );
  }
  await db.end();
  log(`${rows.length} upgrade records written`);

  for (let i = 0; i < 5; i++) await page(); // warm-up (template versions cache, connections)
  const times = [];
  let bytes = 0;
  let counts;
  for (let i = 0; i < SAMPLES; i++) {
    const t0 = performance.now();
    const r = await page();
    times.push(performance.now() - t0);
    bytes = r.bytes;
    counts = r.body.items.find(x => x.ref === TEMPLATE).counts;
  }
  log(`GET /api/scaffolder/golden-paths/v1/templates with ${COUNT} components, ${SAMPLES} sequential requests: p50 ${pct(times, 50).toFixed(0)} ms, p95 ${pct(times, 95).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms (goal p95 < 300 ms); answer ${(bytes / 1024).toFixed(0)} kB; counts ${JSON.stringify(counts)}`);
  // The catalog read the page makes (same filter and fields), for comparison.
  const q = new URLSearchParams();
  q.append('filter', `kind=Component,metadata.annotations.paved.dev/template`);
  q.append('fields', 'kind,metadata.name,metadata.namespace,metadata.title,metadata.annotations,spec.owner');
  const catalogTimes = [];
  for (let i = 0; i < Math.min(SAMPLES, 40); i++) {
    const t0 = performance.now();
    const res = await fetch(`${url}/api/catalog/entities?${q}`, { headers: { Authorization: `Bearer ${await token()}` } });
    await res.text();
    catalogTimes.push(performance.now() - t0);
  }
  log(`for comparison, the catalog read alone (GET /api/catalog/entities, same filter and fields): p50 ${pct(catalogTimes, 50).toFixed(0)} ms, p95 ${pct(catalogTimes, 95).toFixed(0)} ms`);
  const load = (await import('node:os')).loadavg().map(x => x.toFixed(1)).join(' ');
  log(`load average during the run: ${load}`);
}

main()
  .catch(e => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(cleanup);
