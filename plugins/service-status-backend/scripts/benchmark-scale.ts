/*
 * Scale benchmark of the service status backend. Run from this package:
 *
 *   PAVED_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432 yarn benchmark:scale
 *
 * Prints:
 *  a) one full probe cycle (the real ProbeTask: catalog read, probes, storing the samples) over
 *     2,000 health endpoints served by a local test server in a child process (paths /svc/N,
 *     latency 5-200 ms at random, about 5 % answered with HTTP 500), with concurrency 8 (the
 *     default), 16 and 32: wall time and this process's CPU share (process.cpuUsage over wall time;
 *     the test server's CPU is not included);
 *  b) the overview (StatusService.listStatuses, what GET /v1/statuses runs, served from the snapshot
 *     table after one StatusService.writeSnapshot run, whose duration is printed too) over 10,000 entities
 *     (8,000 components each depending on one of 2,000 resources, all with a current health row):
 *     first page of 100, a page in the middle, and a state filter that matches few entities; on
 *     SQLite and, when PAVED_TEST_POSTGRES_URL is set, PostgreSQL. The catalog is in memory
 *     (InMemoryCatalogClient), so catalog HTTP and JSON costs of a real catalog are NOT included.
 */
import { spawn } from 'node:child_process';
import knexFactory, { Knex } from 'knex';
import { ConfigReader } from '@backstage/config';
import { InMemoryCatalogClient } from '@backstage/catalog-client/testUtils';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { applyDatabaseMigrations } from '../src/database/migrations';
import { SampleStore } from '../src/database/SampleStore';
import { IncidentStore } from '../src/database/IncidentStore';
import { StatusService } from '../src/services/status/StatusService';
import { benchCredentials, measure, onEachBenchDatabase } from './benchUtils';
import { SnapshotStore } from '../src/database/SnapshotStore';
import { ProbeTask } from '../src/services/probes/ProbeTask';
import { readServiceStatusConfig } from '../src/config';

const HOUR = 3_600_000;
const ENDPOINTS = 2_000;
const credentials = benchCredentials;

/** "p50 x ms, p95 y ms (n runs)" with 1 decimal, after 2 warm-up runs. */
async function timeIt(runs: number, fn: () => Promise<unknown>) {
  const { p50, p95 } = await measure(runs, fn, { warmups: 2 });
  return `p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (${runs} runs)`;
}

const silentLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger;
  },
} as unknown as LoggerService;

/** The health endpoints, in a child process so that its CPU is not counted as the prober's. */
const SERVER_SOURCE = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  const delay = 5 + Math.floor(Math.random() * 196);
  const fail = Math.random() < 0.05;
  setTimeout(() => {
    const body = JSON.stringify({ status: fail ? 'unavailable' : 'ok' });
    res.writeHead(fail ? 500 : 200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }, delay);
});
server.listen(0, '127.0.0.1', () => process.send(server.address().port));
process.on('disconnect', () => process.exit(0));
`;

async function startServer() {
  const child = spawn(process.execPath, ['-e', SERVER_SOURCE], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', m => resolve(Number(m)));
    child.once('exit', code => reject(new Error(`server exited ${code}`)));
  });
  return { port, stop: () => child.kill('SIGTERM') };
}

async function benchProbes() {
  const { port, stop } = await startServer();
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
  });
  try {
    await applyDatabaseMigrations(knex);
    const entities: Entity[] = Array.from({ length: ENDPOINTS }, (_, i) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: `svc-${i}`,
        namespace: 'default',
        annotations: {
          'paved.dev/health-url': `http://127.0.0.1:${port}/svc/${i}`,
        },
      },
      spec: { owner: 'team', type: 'service' },
    }));
    const auth = {
      getOwnServiceCredentials: async () => credentials,
    } as unknown as AuthService;
    console.log(
      `\n## a) one probe cycle, ${ENDPOINTS} endpoints (5-200 ms, ~5 % HTTP 500), SQLite`,
    );
    for (const concurrency of [8, 16, 32]) {
      const task = ProbeTask.create({
        catalog: new InMemoryCatalogClient({
          entities,
        }) as unknown as CatalogService,
        auth,
        logger: silentLogger,
        samples: SampleStore.create({ knex }),
        config: readServiceStatusConfig(
          new ConfigReader({
            serviceStatus: { probes: { concurrency, allow: ['127.0.0.1'] } },
          }),
        ),
      });
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      const summary = await task.run();
      const wallMs = performance.now() - start;
      const cpu = process.cpuUsage(cpuStart);
      const cpuMs = (cpu.user + cpu.system) / 1000;
      console.log(
        `concurrency ${concurrency}: ${(wallMs / 1000).toFixed(1)} s wall, ` +
          `CPU ${(cpuMs / 1000).toFixed(2)} s = ${(
            (100 * cpuMs) /
            wallMs
          ).toFixed(1)} % of one core ` +
          `(probed ${summary.probed}: up ${summary.up}, degraded ${summary.degraded}, down ${summary.down})`,
      );
    }
  } finally {
    await knex.destroy();
    stop();
  }
}

function overviewEntities(): Entity[] {
  const entities: Entity[] = [];
  for (let i = 0; i < 2_000; i++) {
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: `db-${String(i).padStart(5, '0')}`,
        namespace: 'default',
        annotations: { 'paved.dev/health-url': `http://localhost/db/${i}` },
      },
      spec: { owner: `group:default/team-${i % 20}`, type: 'database' },
      relations: [
        { type: 'ownedBy', targetRef: `group:default/team-${i % 20}` },
      ],
    });
  }
  for (let i = 0; i < 8_000; i++) {
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: `svc-${String(i).padStart(5, '0')}`,
        namespace: 'default',
        title: `Service ${i}`,
        annotations: { 'paved.dev/health-url': `http://localhost/svc/${i}` },
      },
      spec: {
        owner: `group:default/team-${i % 20}`,
        system: `system:default/sys-${i % 50}`,
        type: 'service',
      },
      relations: [
        { type: 'ownedBy', targetRef: `group:default/team-${i % 20}` },
        { type: 'partOf', targetRef: `system:default/sys-${i % 50}` },
        {
          type: 'dependsOn',
          targetRef: `resource:default/db-${String(i % 2_000).padStart(
            5,
            '0',
          )}`,
        },
      ],
    });
  }
  return entities;
}

function stateOf(i: number): 'up' | 'degraded' | 'down' {
  if (i % 500 === 7) {
    return 'down';
  }
  return i % 50 === 3 ? 'degraded' : 'up';
}

async function benchOverview(label: string, knex: Knex) {
  await applyDatabaseMigrations(knex);
  const samples = SampleStore.create({ knex });
  const entities = overviewEntities();
  const now = Date.now();
  // One current health row per entity; 1 in 500 is down, 1 in 50 degraded.
  await samples.recordSamples(
    entities.map((e, i) => ({
      entityRef: `${e.kind.toLocaleLowerCase('en-US')}:default/${
        e.metadata.name
      }`,
      at: now,
      state: stateOf(i),
      source: 'probe' as const,
      httpStatus: 200,
      latencyMs: 20,
    })),
  );
  const status = StatusService.create({
    catalog: new InMemoryCatalogClient({
      entities,
    }) as unknown as CatalogService,
    samples,
    incidents: IncidentStore.create({ knex }),
    maxDepth: 5,
    staleAfterMs: HOUR,
    snapshots: SnapshotStore.create({ knex }),
  });
  // The snapshot task's work (what the probe task runs after each cycle).
  const writeStart = performance.now();
  const written = await status.writeSnapshot(credentials);
  const writeMs = performance.now() - writeStart;
  const first = await status.listStatuses({ limit: 100 }, credentials);
  if (first.items.length !== 100 || !first.nextCursor) {
    throw new Error('expected a full first page');
  }
  let cursor: string | undefined = first.nextCursor;
  for (let i = 0; i < 49 && cursor; i++) {
    cursor = (await status.listStatuses({ limit: 100, cursor }, credentials))
      .nextCursor;
  }
  const down = await status.listStatuses(
    { limit: 100, state: ['down'] },
    credentials,
  );
  console.log(`\n## b) overview over 10,000 entities, ${label}`);
  console.log(
    `snapshot write (${written.written} rows): ${writeMs.toFixed(0)} ms`,
  );
  console.log(
    `first page (limit 100): ${await timeIt(30, () =>
      status.listStatuses({ limit: 100 }, credentials),
    )}`,
  );
  console.log(
    `page 51 (limit 100, cursor): ${await timeIt(30, () =>
      status.listStatuses({ limit: 100, cursor }, credentials),
    )}`,
  );
  console.log(
    `owner filter (one of 20 teams, 500 entities), limit 100: ${await timeIt(
      30,
      () =>
        status.listStatuses(
          { limit: 100, owner: ['group:default/team-3'] },
          credentials,
        ),
    )}`,
  );
  console.log(
    `state=down (${down.items.length} matches): ${await timeIt(10, () =>
      status.listStatuses({ limit: 100, state: ['down'] }, credentials),
    )}`,
  );
}

async function main() {
  // BENCH_PART=b runs only part b.
  if (process.env.BENCH_PART !== 'b') {
    await benchProbes();
  }

  await onEachBenchDatabase(benchOverview);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
