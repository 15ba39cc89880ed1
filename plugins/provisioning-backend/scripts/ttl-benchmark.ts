/*
 * Benchmark of the time-to-live sweep (issue 14) over 10,000 resources with a time to live, on SQLite (in memory)
 * and on the local PostgreSQL server (PAVED_TEST_POSTGRES_URL; default postgresql://postgres@127.0.0.1:5432).
 * Run from plugins/provisioning-backend:   yarn benchmark:ttl
 *
 * Prints, per database (goal: a sweep over 10,000 resources < 1 s):
 *  (a) steady state: 10,000 TTL resources, nothing due: one sweep, median and max of 20
 *  (b) a busy minute: 10,000 TTL resources of which 100 expired (deleted through the lifecycle) and 300 with a
 *      reminder due (100 each at 2 days, 2 hours and 30 minutes): one sweep, median of 5 fresh seeds
 *  (c) a backlog: 10,000 TTL resources, 1,000 expired and 3,000 reminders due at once (the sweep's batch size):
 *      one sweep, median of 3 fresh seeds
 * The sweep is the one the scheduler runs (TtlSweeper with the Knex store, the lifecycle's TransitionRunner and
 * the change notifier); notifications, auditor, signals and events are no-ops, the reconciler kick is counted.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { AuditorService, DatabaseService, LoggerService } from '@backstage/backend-plugin-api';
import knexFactory, { Knex } from 'knex';
import { KnexResourceStore } from '../src/database/KnexResourceStore';
import { adminQuery, postgresConnection } from '../src/__testUtils__/postgres';
import { ChangeNotifier } from '../src/service/ChangeNotifier';
import { TransitionRunner } from '../src/service/TransitionRunner';
import { TtlSweeper } from '../src/ttl/TtlSweeper';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const REMINDERS = [2 * DAY, 2 * HOUR, 30 * MIN];
const COUNT = 10_000;

const noopLogger: LoggerService = {
  info() {}, warn() {}, error() {}, debug() {}, child() { return noopLogger; },
};
const noopAuditor = {
  async createEvent() {
    return { async success() {}, async fail() {} };
  },
} as unknown as AuditorService;

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const fmt = (v: number) => `${v.toFixed(1)} ms`;

/**
 * 10,000 ready resources with a 3-day time to live; `expired` of them expired, `perReminder` of them inside
 * each reminder window without it sent; the rest far from expiry with the reminders already past recorded.
 */
async function seed(knex: Knex, now: number, expired: number, perReminder: number) {
  await knex('provisioning_events').delete();
  await knex('provisioning_resources').delete();
  const rows = Array.from({ length: COUNT }, (_, i) => {
    let expiresAt: number;
    let sent: number;
    if (i < expired) {
      expiresAt = now - MIN - i;
      sent = 3;
    } else if (i < expired + 3 * perReminder) {
      const level = Math.floor((i - expired) / perReminder); // 0: 2d, 1: 2h, 2: 30m
      expiresAt = now + REMINDERS[level] - MIN;
      sent = level; // the earlier reminders were sent
    } else {
      expiresAt = now + 2 * DAY + HOUR + (i % 1000) * MIN; // beyond every window
      sent = 0;
    }
    return {
      id: randomUUID(),
      name: `ttl-${i}`,
      type: 'preview',
      owner: `group:default/team-${i % 50}`,
      parameters: '{"size":"small"}',
      state: 'ready',
      drifted: false,
      conditions: '[]',
      outputs: '{}',
      monthly_cost_usd: 15,
      created_by: 'user:default/dana',
      created_at: now - DAY + i,
      updated_at: now - DAY + i,
      live_name: `ttl-${i}`,
      billable: true,
      attempts: 0,
      drift_checked_at: now,
      ttl_ms: 3 * DAY,
      expires_at: expiresAt,
      ttl_reminders_sent: sent,
    };
  });
  for (let i = 0; i < rows.length; i += 500) {
    await knex('provisioning_resources').insert(rows.slice(i, i + 500));
  }
}

async function run(label: string, knex: Knex) {
  const database = { getClient: async () => knex } as unknown as DatabaseService;
  const store = await KnexResourceStore.create({ database });
  let now = Date.now();
  let kicked = 0;
  let notified = 0;
  const notifier = new ChangeNotifier({ auditor: noopAuditor, logger: noopLogger });
  const runner = new TransitionRunner({ store, notifier, now: () => now });
  const sweeper = new TtlSweeper({
    store,
    runner,
    kick: () => void (kicked += 1),
    notifications: { async send() { notified += 1; } },
    logger: noopLogger,
    remindersMs: REMINDERS,
    now: () => now,
    batchSize: 1000,
    concurrency: Number(process.env.PAVED_BENCH_TTL_CONCURRENCY ?? 4),
  });
  const timed = async () => {
    const start = performance.now();
    const result = await sweeper.sweep();
    return { ms: performance.now() - start, ...result };
  };

  await seed(knex, now, 0, 0);
  await timed(); // warm-up
  const steady: number[] = [];
  for (let i = 0; i < 20; i += 1) {
    const r = await timed();
    if (r.expired || r.reminded) throw new Error('nothing should be due');
    steady.push(r.ms);
  }
  console.log(`[${label}] (a) 10,000 TTL resources, nothing due: sweep median ${fmt(median(steady))}, max ${fmt(Math.max(...steady))}`);

  const busy: number[] = [];
  for (let i = 0; i < 5; i += 1) {
    now = Date.now();
    await seed(knex, now, 100, 100);
    kicked = 0;
    notified = 0;
    const r = await timed();
    if (r.expired !== 100 || r.reminded !== 300 || kicked !== 100 || notified !== 300) {
      throw new Error(`(b) unexpected result ${JSON.stringify({ ...r, kicked, notified })}`);
    }
    busy.push(r.ms);
  }
  console.log(`[${label}] (b) 10,000 TTL resources, 100 expired + 300 reminders due: sweep median ${fmt(median(busy))}, max ${fmt(Math.max(...busy))}`);

  const backlog: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    now = Date.now();
    await seed(knex, now, 1000, 1000);
    const r = await timed();
    if (r.expired !== 1000 || r.reminded !== 3000) {
      throw new Error(`(c) unexpected result ${JSON.stringify(r)}`);
    }
    backlog.push(r.ms);
  }
  console.log(`[${label}] (c) 10,000 TTL resources, 1,000 expired + 3,000 reminders due: sweep median ${fmt(median(backlog))}, max ${fmt(Math.max(...backlog))}`);
  const [events] = await knex('provisioning_events').count({ c: '*' });
  console.log(`[${label}]     (events recorded by the last sweep: ${events.c})`);
}

async function main() {
  console.log(`TTL sweep benchmark, ${new Date().toISOString()}, ${require('node:os').cpus().length} cores`);
  const sqlite = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
  try {
    await run('SQLite', sqlite);
  } finally {
    await sqlite.destroy();
  }
  if (process.env.PAVED_BENCH_SKIP_POSTGRES) return;
  const name = `paved_ttl_bench_${randomBytes(3).toString('hex')}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  const pg = knexFactory({ client: 'pg', connection: { ...postgresConnection(), database: name }, pool: { min: 0, max: 10 } });
  try {
    await run('PostgreSQL', pg);
  } finally {
    await pg.destroy();
    await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
