/*
 * Shared pieces of the service-status benchmark scripts (benchmark.ts, benchmark-scale.ts).
 */
import { randomBytes } from 'node:crypto';
import knexFactory, { Knex } from 'knex';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';

/** User credentials of the benchmark's requests. */
export const benchCredentials = {
  $$type: '@backstage/BackstageCredentials',
  principal: { type: 'user', userEntityRef: 'user:default/bench' },
} as unknown as BackstageCredentials;

/** The q-quantile (0..1) of `values`, linearly interpolated. */
export function percentile(values: number[], q: number) {
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Runs `fn` `warmups` times unmeasured, then `runs` times; returns p50 and p95 in ms. */
export async function measure(
  runs: number,
  fn: () => Promise<unknown>,
  { warmups }: { warmups: number },
) {
  for (let i = 0; i < warmups; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return { p50: percentile(times, 0.5), p95: percentile(times, 0.95) };
}

/**
 * Calls `bench` with an in-memory SQLite database, then with a fresh PostgreSQL database on
 * `PAVED_TEST_POSTGRES_URL` (skipped when unset), dropped afterwards.
 */
export async function onEachBenchDatabase(
  bench: (label: string, knex: Knex) => Promise<void>,
) {
  const sqlite = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
  });
  try {
    await bench('SQLite (better-sqlite3, in memory)', sqlite);
  } finally {
    await sqlite.destroy();
  }

  const pgUrl = process.env.PAVED_TEST_POSTGRES_URL;
  if (!pgUrl) {
    console.log('\n(PostgreSQL skipped: set PAVED_TEST_POSTGRES_URL)');
    return;
  }
  const dbName = `ss_bench_${randomBytes(4).toString('hex')}`;
  const admin = knexFactory({ client: 'pg', connection: pgUrl });
  await admin.raw('create database ??', [dbName]);
  const url = new URL(pgUrl);
  url.pathname = `/${dbName}`;
  const pg = knexFactory({ client: 'pg', connection: url.toString() });
  try {
    const [{ server_version: version }] = (await pg.raw('show server_version'))
      .rows;
    await bench(`PostgreSQL ${version}`, pg);
  } finally {
    await pg.destroy();
    await admin.raw('drop database if exists ??', [dbName]);
    await admin.destroy();
  }
}
