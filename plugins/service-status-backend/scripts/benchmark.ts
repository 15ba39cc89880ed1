/*
 * Benchmark of the service status backend. Run from this package:
 *
 *   PAVED_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432 yarn benchmark
 *
 * Prints:
 *  1. status roll-up latency p50/p95 for an entity with a 3-level dependency tree
 *     (3 children, 9 grandchildren, 27 great-grandchildren; catalog in memory, so the figure is
 *     the roll-up and its database queries, without catalog HTTP round trips);
 *  2. uptime (24h/7d/30d) and hourly latency p50/p95 query times with 100,000 samples of one
 *     entity (plus 100,000 of other entities) on SQLite and, when PAVED_TEST_POSTGRES_URL is set,
 *     PostgreSQL.
 */
import type { Knex } from 'knex';
import { InMemoryCatalogClient } from '@backstage/catalog-client/testUtils';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { applyDatabaseMigrations } from '../src/database/migrations';
import { SampleStore } from '../src/database/SampleStore';
import { IncidentStore } from '../src/database/IncidentStore';
import { StatusService } from '../src/services/status/StatusService';
import { benchCredentials, measure, onEachBenchDatabase } from './benchUtils';

const HOUR = 3_600_000;
const credentials = benchCredentials;

/** p50/p95 with 2 decimals, after 3 warm-up runs. */
async function timeIt(runs: number, fn: () => Promise<unknown>) {
  const { p50, p95 } = await measure(runs, fn, { warmups: 3 });
  return { p50: p50.toFixed(2), p95: p95.toFixed(2) };
}

function treeEntities(): Entity[] {
  const entities: Entity[] = [];
  const make = (name: string, deps: string[]): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: { 'paved.dev/health-url': `http://localhost/${name}` },
    },
    spec: { owner: 'team', type: 'service' },
    relations: deps.map(d => ({
      type: 'dependsOn',
      targetRef: `component:default/${d}`,
    })),
  });
  const level = (prefix: string, depth: number): string => {
    const children =
      depth < 3 ? [0, 1, 2].map(i => level(`${prefix}-${i}`, depth + 1)) : [];
    entities.push(make(prefix, children));
    return prefix;
  };
  level('root', 0);
  return entities;
}

async function benchDatabase(label: string, knex: Knex) {
  await applyDatabaseMigrations(knex);
  const samples = SampleStore.create({ knex });
  const incidents = IncidentStore.create({ knex });
  const now = Date.now();

  // 1. roll-up over a 3-level tree (40 entities)
  const entities = treeEntities();
  await samples.recordSamples(
    entities.map((e, i) => ({
      entityRef: `component:default/${e.metadata.name}`,
      at: now,
      state: i % 7 === 0 ? 'degraded' : 'up',
      source: 'probe' as const,
      latencyMs: 20,
    })),
  );
  const status = StatusService.create({
    catalog: new InMemoryCatalogClient({
      entities,
    }) as unknown as CatalogService,
    samples,
    incidents,
    maxDepth: 5,
    staleAfterMs: HOUR,
  });
  const check = await status.getEntityStatus(
    'component:default/root',
    credentials,
  );
  if (check.dependencies.length !== 39) {
    throw new Error(
      `expected 39 dependencies, got ${check.dependencies.length}`,
    );
  }
  const rollup = await timeIt(200, () =>
    status.getEntityStatus('component:default/root', credentials),
  );

  // 2. 100k samples of one entity over 30 days, plus 100k of 10 other entities
  const ref = 'component:default/busy';
  const count = 100_000;
  const span = 30 * 24 * HOUR;
  const rows: any[] = [];
  for (let i = 0; i < count; i++) {
    const at = now - span + Math.floor((i * span) / count);
    rows.push({
      entity_ref: ref,
      at,
      state: i % 50 === 0 ? 'down' : 'up',
      http_status: 200,
      latency_ms: 10 + ((i * 7919) % 300),
      error: null,
    });
    rows.push({
      entity_ref: `component:default/other-${i % 10}`,
      at,
      state: 'up',
      http_status: 200,
      latency_ms: 15,
      error: null,
    });
  }
  const insertStart = performance.now();
  for (let i = 0; i < rows.length; i += 400) {
    await knex('status_samples').insert(rows.slice(i, i + 400));
  }
  const insertMs = performance.now() - insertStart;
  if (knex.client.config.client === 'pg') {
    await knex.raw('analyze status_samples');
  }

  const uptime = await timeIt(20, () => samples.getUptime(ref, now));
  const latency24h = await timeIt(20, () =>
    samples.getLatencyBuckets(ref, now - 24 * HOUR, now),
  );
  const latency7d = await timeIt(10, () =>
    samples.getLatencyBuckets(ref, now - 7 * 24 * HOUR, now),
  );
  const buckets7d = (
    await samples.getLatencyBuckets(ref, now - 7 * 24 * HOUR, now)
  ).length;
  const rollupStart = performance.now();
  const rolled = await samples.rollup({
    rawBefore: now - 7 * 24 * HOUR,
    hourlyBefore: now - 90 * 24 * HOUR,
    maxHours: 24 * 40,
  });
  const rollupMs = performance.now() - rollupStart;
  const uptimeAfter = await timeIt(20, () => samples.getUptime(ref, now));

  console.log(`\n## ${label}`);
  console.log(
    `status roll-up, 3-level tree (39 dependencies): p50 ${rollup.p50} ms, p95 ${rollup.p95} ms (200 runs)`,
  );
  console.log(`insert 200,000 samples: ${(insertMs / 1000).toFixed(1)} s`);
  console.log(
    `uptime 24h/7d/30d over 100,000 samples: p50 ${uptime.p50} ms, p95 ${uptime.p95} ms`,
  );
  console.log(
    `hourly latency p50/p95, 24 h (24 buckets): p50 ${latency24h.p50} ms, p95 ${latency24h.p95} ms`,
  );
  console.log(
    `hourly latency p50/p95, 7 d (${buckets7d} buckets): p50 ${latency7d.p50} ms, p95 ${latency7d.p95} ms`,
  );
  console.log(
    `rollup of samples older than 7 d: ${rolled.hoursRolledUp} hours, ${
      rolled.rawSamplesDeleted
    } samples in ${(rollupMs / 1000).toFixed(1)} s`,
  );
  console.log(
    `uptime 24h/7d/30d after rollup: p50 ${uptimeAfter.p50} ms, p95 ${uptimeAfter.p95} ms`,
  );
}

async function main() {
  await onEachBenchDatabase(benchDatabase);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
