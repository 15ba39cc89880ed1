/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// Benchmark of the golden-path adoption report (README, "Adoption"): N template runs (default 2,000)
// written to the scaffolder's own `tasks` / `task_events` tables (created by the scaffolder's migrations),
// each with a spec the size of a real typescript-service run; one catalog component per completed run plus
// 1,000 components made by hand, from a plain in-memory catalog; deployment summaries and statuses from in-memory
// sources (the catalog read and the HTTP calls to service-status/provisioning are not part of the figure). Measures AdoptionService.report over 12 weeks: 50 runs after 5 warm-ups,
// p50/p95/max, on SQLite (in memory) and on PostgreSQL when PAVED_TEST_POSTGRES_URL is set. Goal p95 < 200 ms.
// Usage: yarn benchmark:adoption [runs=2000]
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { mockCredentials } from '@backstage/backend-test-utils';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { resolve } from 'node:path';
import knexFactory, { Knex } from 'knex';
import yaml from 'yaml';
import { AdoptionService } from '../src/adoption/AdoptionService';
import { ScaffolderRunReader } from '../src/adoption/ScaffolderRunReader';
import type { AdoptionSources } from '../src/adoption/PlatformSources';

const RUNS = Number(process.argv[2] ?? 2000);
const HOUR = 3_600_000;
const TEAMS = ['orders-team', 'payments-team', 'storefront-team', 'platform-team', 'data-team'];
const TEMPLATES = ['typescript-service', 'postgresql-database', 'redis-cache'];
const logger: any = { info() {}, warn() {}, error() {}, debug() {}, child: () => logger };

// A real template's steps make the stored spec realistic in size.
const steps = yaml.parse(
  fs.readFileSync(resolve(__dirname, '../../../templates/typescript-service/template.yaml'), 'utf8'),
).spec.steps;

async function seed(knex: Knex, now: number) {
  const isPg = String(knex.client.config.client).includes('pg');
  // As the scaffolder's CURRENT_TIMESTAMP default stores it: a timestamp on PostgreSQL, UTC text on SQLite.
  const timestamp = (ms: number) =>
    isPg ? new Date(ms) : new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '');
  await knex.migrate.latest({
    directory: resolvePackagePath('@backstage/plugin-scaffolder-backend', 'migrations'),
  });
  const components: Entity[] = [];
  const tasks: any[] = [];
  const events: any[] = [];
  for (let i = 0; i < RUNS; i++) {
    const id = randomUUID();
    const template = TEMPLATES[i % TEMPLATES.length];
    const team = TEAMS[i % TEAMS.length];
    const name = `svc-${i}`;
    const status = i % 10 === 0 ? 'failed' : 'completed';
    const createdAt = timestamp(now - ((i * 7919) % (80 * 24)) * HOUR);
    tasks.push({
      id,
      spec: JSON.stringify({
        apiVersion: 'scaffolder.backstage.io/v1beta3',
        templateInfo: { entityRef: `template:default/${template}` },
        parameters: { name, owner: `group:default/${team}`, system: 'system:default/orders' },
        steps,
        output: {},
        user: { ref: 'user:default/dana' },
      }),
      status,
      created_at: createdAt,
      created_by: 'user:default/dana',
    });
    if (status === 'completed') {
      events.push({
        task_id: id,
        event_type: 'completion',
        body: JSON.stringify({
          message: 'Run completed with status: completed',
          output: { links: [{ title: 'Open', entityRef: `component:default/${name}` }] },
        }),
      });
      if (i % 7 !== 0) {
        components.push({
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: {
            name,
            namespace: 'default',
            annotations: { 'paved.dev/template': `template:default/${template}` },
          },
          spec: { type: 'service', owner: `group:default/${team}` },
          relations: [{ type: 'ownedBy', targetRef: `group:default/${team}` }],
        });
      }
    }
  }
  for (let i = 0; i < 1000; i++) {
    components.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: `legacy-${i}`, namespace: 'default' },
      spec: { type: 'service', owner: `group:default/${TEAMS[i % TEAMS.length]}` },
    });
  }
  for (let i = 0; i < tasks.length; i += 200) {
    await knex('tasks').insert(tasks.slice(i, i + 200));
  }
  for (let i = 0; i < events.length; i += 200) {
    await knex('task_events').insert(events.slice(i, i + 200));
  }
  return components;
}

function sources(now: number): AdoptionSources {
  return {
    async deploymentSummaries(refs) {
      return new Map(
        refs
          .filter((_, i) => i % 3 !== 0)
          .map(ref => [ref, { deployments: 5, firstDeployedAt: now - 24 * HOUR }]),
      );
    },
    async componentStates() {
      return new Map(
        Array.from({ length: RUNS }, (_, i) => [
          `component:default/svc-${i}`,
          i % 4 === 0 ? 'degraded' : 'up',
        ]),
      );
    },
    async resourceRequests() {
      return Array.from({ length: 500 }, (_, i) => now - i * 3 * HOUR);
    },
  };
}

async function measure(label: string, knex: Knex) {
  const now = Date.now();
  const components = await seed(knex, now);
  const service = AdoptionService.create({
    runs: ScaffolderRunReader.create({ knex }),
    // A plain in-memory catalog: the figure is this report's own work (catalogServiceMock's filter and
    // field projection alone take 30-300 ms for 2,500 entities and would hide it; a real catalog's
    // read of the components comes on top and is reported separately by the catalog).
    catalog: {
      getEntities: async () => ({ items: components }),
    } as any,
    sources: sources(now),
    logger,
    clock: () => now,
  });
  const credentials = mockCredentials.user();
  let report;
  for (let i = 0; i < 5; i++) {
    report = await service.report({ weeks: 12 }, credentials);
  }
  const reader = ScaffolderRunReader.create({ knex });
  const rt: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t = performance.now();
    await reader.runsSince(now - 12 * 7 * 24 * HOUR);
    rt.push(performance.now() - t);
  }
  const cached = await reader.runsSince(now - 12 * 7 * 24 * HOUR);
  const pure = AdoptionService.create({
    runs: { runsSince: async () => cached },
    catalog: { getEntities: async () => ({ items: components }) } as any,
    sources: sources(now),
    logger,
    clock: () => now,
  });
  const ct: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t = performance.now();
    await pure.report({ weeks: 12 }, mockCredentials.user());
    ct.push(performance.now() - t);
  }
  console.log(`${label}: runsSince ${rt.map(x => x.toFixed(0)).join(' ')}; compute only ${ct.map(x => x.toFixed(0)).join(' ')}`);
  const times: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    report = await service.report({ weeks: 12 }, credentials);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)];
  console.log(
    `${label}: ${RUNS} runs (${report!.funnel.started} in 12 weeks: ${report!.funnel.completed} completed, ` +
      `${report!.funnel.inCatalog} in catalog, ${report!.funnel.deployed} deployed, ${report!.funnel.healthy} healthy), ` +
      `${components.length} components: report p50 ${pct(50).toFixed(1)} ms, p95 ${pct(95).toFixed(1)} ms, ` +
      `max ${times[times.length - 1].toFixed(1)} ms (goal p95 < 200 ms)`,
  );
}

async function main() {
  const sqlite = knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  await measure('SQLite', sqlite);
  await sqlite.destroy();

  const pgUrl = process.env.PAVED_TEST_POSTGRES_URL;
  if (pgUrl) {
    const database = `paved_bench_adoption_${process.pid}`;
    const admin = knexFactory({ client: 'pg', connection: pgUrl });
    await admin.raw('CREATE DATABASE ??', [database]);
    const pg = knexFactory({ client: 'pg', connection: `${pgUrl.replace(/\/$/, '')}/${database}` });
    try {
      await measure('PostgreSQL', pg);
    } finally {
      await pg.destroy();
      await admin.raw('DROP DATABASE ??', [database]);
      await admin.destroy();
    }
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
