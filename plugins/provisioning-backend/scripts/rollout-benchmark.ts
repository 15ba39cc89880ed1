/*
 * Benchmark of rollouts (issue 14): 500 resources rolled from type version 1.0.0 to 1.1.0 in 5 waves with a zero
 * soak time, against the local servers: once on PostgreSQL (a database and role per resource; 1.1.0 changes the
 * connection limit and sets statement_timeout) and once on Redis (an ACL user per resource; 1.1.0 changes its
 * ACL rules). The plugin's own tables are on the local PostgreSQL too (a fresh database).
 * Run from plugins/provisioning-backend:   yarn benchmark:rollout
 * (BENCH_COUNT=500, BENCH_WAVES=5, BENCH_ONLY=postgres|redis)
 *
 * Prints per server:
 *  - setup: creating the resources at 1.0.0 through the reconciler (not part of the goals)
 *  - apply throughput: resources / wall time from the rollout's start until it succeeded (goal >= 20 resources/s)
 *  - gate overhead per wave: wall time of the runner's gate step of a finished wave (every item and resource of the
 *    wave read, ready and not drifted, the injected gate, the next wave started) (goal < 1 s), median and max
 *  - a check that every resource really has the new setting on the server, and that nothing was applied twice
 * The wiring is the plugin's: KnexResourceStore, TransitionRunner, Reconciler (8 workers), KnexRolloutStore,
 * RolloutService and RolloutRunner; notifications, auditor and signals are no-ops; the health gate is the
 * built-in one (service-status is not running here).
 */
import type { AuditorService, DatabaseService, LoggerService, PermissionsService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import {
  PostgresDriver,
  readPostgresDriverConfig,
} from '@paved/backstage-plugin-provisioning-backend-module-postgres';
import { RedisDriver, readRedisDriverConfig } from '@paved/backstage-plugin-provisioning-backend-module-redis';
import type { ResourceTypeDefinition } from '@paved/backstage-plugin-provisioning-common';
import type { ProvisioningDriver } from '@paved/backstage-plugin-provisioning-node';
import Redis from 'ioredis';
import { randomBytes, randomUUID } from 'node:crypto';
import os from 'node:os';
import { KnexResourceStore } from '../src/database/KnexResourceStore';
import type { StoredResource } from '../src/database/types';
import { Reconciler } from '../src/reconciler/Reconciler';
import { noHealthGate } from '../src/rollouts/gate';
import { KnexRolloutStore } from '../src/rollouts/KnexRolloutStore';
import { RolloutRunner } from '../src/rollouts/RolloutRunner';
import { RolloutService } from '../src/rollouts/RolloutService';
import { SecretsCipher } from '../src/secrets/SecretsCipher';
import { ChangeNotifier } from '../src/service/ChangeNotifier';
import { TransitionRunner } from '../src/service/TransitionRunner';
import { TypeRegistry } from '../src/service/TypeRegistry';
import {
  adminQuery,
  createStoreDatabase,
  dropPrefixedInBackground,
  postgresConnection,
} from '../src/__testUtils__/postgres';

const COUNT = Number(process.env.BENCH_COUNT ?? 500);
const WAVES = Number(process.env.BENCH_WAVES ?? 5);
const REDIS_URL = process.env.PAVED_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const noopLogger: LoggerService = {
  info() {}, warn() {}, error(m: string) { console.error(m); }, debug() {}, child() { return noopLogger; },
} as unknown as LoggerService;
const noopAuditor = {
  async createEvent() {
    return { async success() {}, async fail() {} };
  },
} as unknown as AuditorService;
const allow = { authorize: async () => [{ result: 'ALLOW' }] } as unknown as PermissionsService;

function type(id: string, driver: string, v2: Record<string, unknown>): ResourceTypeDefinition {
  return {
    id,
    title: id,
    description: '',
    driver,
    parameters: { type: 'object', properties: { size: { type: 'string', enum: ['small'], default: 'small' } } },
    pricing: {},
    policy: { approvalRequiredForSizes: [] },
    repairDrift: false,
    entityType: 'database',
    version: '1.1.0',
    createVersion: '1.0.0',
    versions: [
      { version: '1.0.0', settings: {} },
      { version: '1.1.0', settings: v2 },
    ],
  };
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? 0;

async function run(options: {
  label: string;
  prefix: string;
  driver: ProvisioningDriver;
  type: ResourceTypeDefinition;
  verify: (names: string[]) => Promise<string>;
}) {
  const { prefix, driver } = options;
  const knex = await createStoreDatabase(`${prefix}-${options.type.id}`);
  const store = await KnexResourceStore.create({
    database: { getClient: async () => knex } as unknown as DatabaseService,
  });
  const applies = new Map<string, number>();
  const counted: ProvisioningDriver = {
    id: driver.id,
    naming: driver.naming,
    apply: (r, ctx) => {
      applies.set(r.name, (applies.get(r.name) ?? 0) + 1);
      return driver.apply(r, ctx);
    },
    observe: (r, ctx) => driver.observe(r, ctx),
    delete: (r, ctx) => driver.delete(r, ctx),
  };
  const types = new TypeRegistry({
    configTypes: [options.type],
    drivers: new Map([[counted.id, counted]]),
    providers: [],
    logger: noopLogger,
  });
  await types.refresh();
  const runner = new TransitionRunner({ store, notifier: new ChangeNotifier({ auditor: noopAuditor, logger: noopLogger }) });
  const reconciler = new Reconciler({
    store,
    types,
    cipher: SecretsCipher.fromKeyConfig({ key: 'benchmark-only-passphrase' }),
    runner,
    logger: noopLogger,
    concurrency: 8,
    config: {
      sweepIntervalMs: 1000,
      driftCheckIntervalMs: 3_600_000,
      operationTimeoutMs: 60_000,
      leaseDurationMs: 30_000,
      maxAttempts: 3,
      backoffInitialMs: 100,
      backoffMaxMs: 1000,
    },
  });
  const rollouts = new KnexRolloutStore(knex);
  const gateMs: number[] = [];
  const rolloutRunner = new RolloutRunner({
    onGateChecked: ({ ms }) => gateMs.push(ms),
    rollouts,
    store,
    runner,
    kick: id => reconciler.kick(id),
    gate: noHealthGate,
    logger: noopLogger,
    leaseMs: 60_000,
  });
  const service = new RolloutService({
    rollouts,
    store,
    types,
    permissions: allow,
    auditor: noopAuditor,
    logger: noopLogger,
    defaultSoakMs: 0,
  });

  // setup: COUNT resources created at 1.0.0 by the reconciler
  const names = Array.from({ length: COUNT }, (_, i) => `${prefix}-${i}`);
  const t0 = Date.now();
  for (const name of names) {
    const now = new Date().toISOString();
    const r: StoredResource = {
      id: randomUUID(), name, type: options.type.id, owner: `group:default/team-${names.indexOf(name) % 10}`,
      parameters: { size: 'small' }, state: 'requested', drifted: false, conditions: [], outputs: {},
      monthlyCostUsd: 0, billable: false, createdBy: 'user:default/bench', createdAt: now, updatedAt: now,
      pendingOperation: 'create', nextAttemptAt: Date.now(), attempts: 0, targetVersion: '1.0.0',
    };
    await store.createResource(r, { actor: 'bench', type: 'created', message: 'benchmark' });
  }
  for (;;) {
    const due = await reconciler.sweep(COUNT);
    await reconciler.idle();
    if (due === 0) break;
  }
  const setupMs = Date.now() - t0;
  applies.clear();

  // the rollout: WAVES waves of equal size, zero soak
  const percents = Array.from({ length: WAVES - 1 }, () => Math.floor(100 / WAVES));
  const start = Date.now();
  const created = await service.create(
    { type: options.type.id, waves: percents, soakSeconds: 0 },
    { credentials: { principal: { type: 'user', userEntityRef: 'user:default/priya' } } as any },
  );
  let runnerMs = 0;
  let reconcilerMs = 0;
  for (;;) {
    const t1 = Date.now();
    await rolloutRunner.tick();
    runnerMs += Date.now() - t1;
    const after = await rollouts.getRollout(created.id);
    if (after!.status !== 'running') break;
    const t2 = Date.now();
    await reconciler.idle();
    reconcilerMs += Date.now() - t2;
  }
  const totalMs = Date.now() - start;
  const final = await service.get(created.id);
  const twice = [...applies.values()].filter(n => n > 1).length;
  const verified = await options.verify(names);
  await reconciler.stop(5000);
  await knex.destroy();
  return {
    label: options.label,
    waves: final.waves.map(w => w.total).join('/'),
    status: final.status,
    setupMs,
    totalMs,
    throughput: (COUNT / totalMs) * 1000,
    gateMedian: median(gateMs),
    gateMax: Math.max(...gateMs),
    gateCount: gateMs.length,
    appliedOnce: twice === 0 && applies.size === COUNT,
    runnerMs,
    reconcilerMs,
    verified,
  };
}

async function main() {
  const prefix = `paved-rb-${randomBytes(3).toString('hex')}`;
  console.log(`Rollout benchmark: ${COUNT} resources, ${WAVES} waves, soak 0 s; ${os.cpus().length} CPUs, load ${os.loadavg().map(l => l.toFixed(1)).join(' ')}`);
  const results = [];
  const only = process.env.BENCH_ONLY;
  const pg = PostgresDriver.create({
    config: readPostgresDriverConfig(
      new ConfigReader({ provisioning: { drivers: { postgres: { connection: postgresConnection() } } } }),
    )!,
    logger: noopLogger,
  });
  try {
    if (only !== 'redis') results.push(
      await run({
        label: 'PostgreSQL',
        prefix: `${prefix}-pg`,
        driver: pg,
        type: type('postgresql', 'postgres', { connectionLimits: { small: 15 }, statementTimeout: '30s' }),
        verify: async names => {
          const rows = await adminQuery<{ n: string }>(
            `SELECT count(*) AS n FROM pg_roles r JOIN pg_db_role_setting s ON s.setrole = r.oid
              WHERE r.rolname = ANY($1) AND r.rolconnlimit = 15 AND 'statement_timeout=30s' = ANY(s.setconfig)`,
            [names.map(n => n.replace(/-/g, '_'))],
          );
          return `${rows[0].n} of ${names.length} roles with connection limit 15 and statement_timeout 30s`;
        },
      }),
    );
  } finally {
    await pg.close();
    dropPrefixedInBackground(prefix);
  }
  const admin = new Redis(REDIS_URL);
  const rd = RedisDriver.create({
    config: readRedisDriverConfig(new ConfigReader({ provisioning: { drivers: { redis: { url: REDIS_URL } } } }))!,
    logger: noopLogger,
  });
  try {
    if (only !== 'postgres') results.push(
      await run({
        label: 'Redis',
        prefix: `${prefix}-rd`,
        driver: rd,
        type: type('redis', 'redis', { aclRules: ['+@read', '+ping'] }),
        verify: async names => {
          let ok = 0;
          for (const n of names) {
            const user = (await admin.call('ACL', 'GETUSER', n)) as unknown[];
            const commands = String(user[user.indexOf('commands') + 1]);
            if (commands.includes('+@read') && !commands.includes('+@all')) ok += 1;
          }
          return `${ok} of ${names.length} ACL users with the new rules`;
        },
      }),
    );
  } finally {
    const users = ((await admin.call('ACL', 'USERS')) as string[]).filter(u => u.startsWith(prefix));
    for (const u of users) await admin.call('ACL', 'DELUSER', u);
    const markers = await admin.keys(`*${prefix}*`);
    if (markers.length) await admin.del(...markers);
    admin.disconnect();
    await rd.close();
    // the Redis run's store database
    dropPrefixedInBackground(prefix);
  }
  for (const r of results) {
    console.log(`\n${r.label}: ${COUNT} resources in waves ${r.waves}: ${r.status}`);
    console.log(`  setup (create at 1.0.0):       ${(r.setupMs / 1000).toFixed(1)} s`);
    console.log(`  rollout wall time:             ${(r.totalMs / 1000).toFixed(1)} s`);
    console.log(`  apply throughput:              ${r.throughput.toFixed(1)} resources/s   (goal >= 20)`);
    console.log(`  time in the rollout runner:    ${(r.runnerMs / 1000).toFixed(1)} s; waiting for the reconciler's applies: ${(r.reconcilerMs / 1000).toFixed(1)} s`);
    console.log(`  gate overhead per wave:        median ${r.gateMedian} ms, max ${r.gateMax} ms over ${r.gateCount} gates   (goal < 1000 ms)`);
    console.log(`  each resource applied once:    ${r.appliedOnce ? 'yes' : 'NO'}`);
    console.log(`  read back from the server:     ${r.verified}`);
  }
  console.log(`\nload after: ${os.loadavg().map(l => l.toFixed(1)).join(' ')}`);
  process.exit(0);
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
