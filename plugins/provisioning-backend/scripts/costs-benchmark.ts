/*
 * Benchmark of the cost ledger (issue 13) on the local PostgreSQL server (PAVED_TEST_POSTGRES_URL; default
 * postgresql://postgres@127.0.0.1:5432) and on SQLite (a file under the OS temp dir).
 * Run from plugins/provisioning-backend:   yarn benchmark:costs
 *
 * Per database:
 *  - bulk load: a ledger of 10,000 resources x 365 days (3.65M daily rows, generated inside the database with
 *    INSERT ... SELECT over generate_series / a recursive CTE), its monthly rows per resource (120,000) and the
 *    roll-up per owner/component/system/domain (6,000)
 *  - (a) cost per team per month for 12 months (GET /v1/costs?groupBy=owner, through CostService): p50/p95 of 30
 *    runs after 3 warm-ups (goal: p95 < 200 ms on PostgreSQL, < 500 ms on SQLite)
 *  - (b) the same straight from the 3.65M daily rows (for comparison; the API reads the roll-up)
 *  - (c) one daily accrual run for 10,000 live resources (goal < 5 s): price points, history, catalog attribution
 *    (in-memory catalog of 500 components / 50 systems), recompute of yesterday and today, roll-up
 */
import type { AuthService } from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import knexFactory, { Knex } from 'knex';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { adminQuery, postgresConnection } from '../src/__testUtils__/postgres';
import { KnexResourceStore } from '../src/database/KnexResourceStore';
import { ACCRUED_THROUGH, CostAccrual } from '../src/costs/CostAccrual';
import { CostService } from '../src/costs/CostService';
import { KnexCostStore } from '../src/costs/KnexCostStore';
import { dayOf } from '../src/costs/ledger';

const RESOURCES = 10_000;
const DAY = 86_400_000;
const now = Math.floor(Date.now() / DAY) * DAY + 30 * 60_000; // today 00:30 UTC
const firstDay = dayOf(now - 365 * DAY);
const lastDay = dayOf(now - DAY);
const pct = (v: number[], p: number) => [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor((v.length * p) / 100))];
const ms = (v: number) => `${v.toFixed(1)} ms`;
const id = (i: number) => `r${String(i).padStart(5, '0')}`;

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const v = await fn();
  return [performance.now() - t0, v];
}

const COLUMNS =
  'resource_id, day, month, cost_usd, billed_hours, size, monthly_price_usd, resource_name, resource_type, owner, component, system, domain, demo';

async function bulkLoad(knex: Knex, pg: boolean) {
  if (pg) {
    await knex.raw(
      `INSERT INTO provisioning_cost_ledger (${COLUMNS})
       SELECT 'r' || lpad(r::text, 5, '0'), to_char(d, 'YYYY-MM-DD'), to_char(d, 'YYYY-MM'),
              p / extract(day from (date_trunc('month', d) + interval '1 month - 1 day')), 24,
              (array['small','medium','large'])[1 + r % 3], p, 'res-' || r, 'postgresql',
              'group:default/team-' || (r % 20), 'component:default/comp-' || (r % 500),
              'system:default/sys-' || (r % 50), 'domain:default/dom-' || (r % 5), false
       FROM generate_series(1, ?::int) r
       CROSS JOIN generate_series(?::date, ?::date, interval '1 day') d
       CROSS JOIN LATERAL (SELECT (array[15, 60, 240])[1 + r % 3]::float8 AS p) price
       ORDER BY 1, 2`,
      [RESOURCES, firstDay, lastDay],
    );
  } else {
    await knex.raw(
      `INSERT INTO provisioning_cost_ledger (${COLUMNS})
       WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < ?),
       d(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM d WHERE n < 364)
       SELECT printf('r%05d', i), date(?, '+' || n || ' days'), substr(date(?, '+' || n || ' days'), 1, 7),
              (CASE i % 3 WHEN 0 THEN 15.0 WHEN 1 THEN 60.0 ELSE 240.0 END)
                / CAST(strftime('%d', date(?, '+' || n || ' days', 'start of month', '+1 month', '-1 day')) AS REAL),
              24, CASE i % 3 WHEN 0 THEN 'small' WHEN 1 THEN 'medium' ELSE 'large' END,
              CASE i % 3 WHEN 0 THEN 15.0 WHEN 1 THEN 60.0 ELSE 240.0 END, 'res-' || i, 'postgresql',
              'group:default/team-' || (i % 20), 'component:default/comp-' || (i % 500),
              'system:default/sys-' || (i % 50), 'domain:default/dom-' || (i % 5), 0
       FROM r, d`,
      [RESOURCES, firstDay, firstDay, firstDay],
    );
  }
  await knex.raw(
    `INSERT INTO provisioning_cost_monthly (resource_id, month, cost_usd, resource_name, resource_type, owner, component, system, domain, demo)
     SELECT resource_id, month, SUM(cost_usd), MAX(resource_name), MAX(resource_type), MAX(owner), MAX(component),
            MAX(system), MAX(domain), ${pg ? 'false' : '0'}
     FROM provisioning_cost_ledger GROUP BY resource_id, month`,
  );
  await new KnexCostStore(knex).rebuildRollup();
  // the live resources behind the ledger, ready since before the year, with their price points
  const created = now - 400 * DAY;
  for (let i = 1; i <= RESOURCES; i += 120) {
    const part = Array.from({ length: Math.min(120, RESOURCES - i + 1) }, (_, k) => i + k);
    await knex('provisioning_resources').insert(
      part.map(n => ({
        id: id(n), name: `res-${n}`, type: 'postgresql', owner: `group:default/team-${n % 20}`,
        entity_ref: `component:default/comp-${n % 500}`, system: null,
        parameters: JSON.stringify({ size: ['small', 'medium', 'large'][n % 3] }), state: 'ready',
        billable: true, conditions: '[]', outputs: '{}', monthly_cost_usd: [15, 60, 240][n % 3],
        created_by: 'user:default/bench', created_at: created, updated_at: created + 60_000, live_name: `res-${n}`,
      })),
    );
    await knex('provisioning_events').insert(
      part.flatMap(n => [
        { id: `${id(n)}-1`, resource_id: id(n), at: created, actor: 'x', type: 'created', from_state: null, to_state: 'requested', message: 'm' },
        { id: `${id(n)}-2`, resource_id: id(n), at: created + 1000, actor: 'x', type: 'transition', from_state: 'requested', to_state: 'provisioning', message: 'm' },
        { id: `${id(n)}-3`, resource_id: id(n), at: created + 60_000, actor: 'x', type: 'transition', from_state: 'provisioning', to_state: 'ready', message: 'm' },
      ]),
    );
  }
  await knex('provisioning_cost_state').insert({ key: ACCRUED_THROUGH, value: lastDay });
  if (pg) await knex.raw('ANALYZE');
  else await knex.raw('ANALYZE');
}

function fakeCatalog(): CatalogService {
  const entity = (ref: string) => {
    const [kind, rest] = ref.split(':');
    const name = rest.split('/')[1];
    const n = Number(name.split('-')[1]);
    const relations =
      kind === 'component'
        ? [{ type: 'partOf', targetRef: `system:default/sys-${n % 50}` }]
        : [{ type: 'partOf', targetRef: `domain:default/dom-${n % 5}` }];
    return { apiVersion: 'backstage.io/v1alpha1', kind, metadata: { name, namespace: 'default' }, relations };
  };
  return {
    async getEntitiesByRefs(req: { entityRefs: string[] }) {
      return { items: req.entityRefs.map(entity) };
    },
  } as unknown as CatalogService;
}

async function run(label: string, knex: Knex, pg: boolean) {
  await KnexResourceStore.migrateUp(knex);
  const [loadMs] = await timed(() => bulkLoad(knex, pg));
  const [{ c }] = await knex('provisioning_cost_ledger').count({ c: '*' });
  console.log(`${label}: bulk load of ${Number(c).toLocaleString('en-US')} daily rows + roll-up + 10,000 resources: ${(loadMs / 1000).toFixed(1)} s`);

  const store = new KnexCostStore(knex);
  const service = new CostService({ store, now: () => now });
  const to = dayOf(now).slice(0, 7);
  const from = dayOf(now - 335 * DAY).slice(0, 7);
  const samples: number[] = [];
  let teams = 0;
  for (let i = 0; i < 33; i += 1) {
    const [t, res] = await timed(() => service.costs({ groupBy: 'owner', from, to, filter: {} }));
    if (i >= 3) samples.push(t);
    teams = res.items.length;
  }
  console.log(`${label}: (a) cost per team per month, 12 months (${teams} teams, from the owner/component/system/domain roll-up): p50 ${ms(pct(samples, 50))}, p95 ${ms(pct(samples, 95))}`);

  const direct: number[] = [];
  for (let i = 0; i < 4; i += 1) {
    const [t] = await timed(() =>
      knex('provisioning_cost_ledger')
        .where('month', '>=', from)
        .where('month', '<=', to)
        .groupBy('owner', 'month')
        .select('owner', 'month')
        .sum({ usd: 'cost_usd' }),
    );
    if (i >= 1) direct.push(t);
  }
  console.log(`${label}: (b) the same from the 3.65M daily rows: median ${ms(pct(direct, 50))}`);

  const accrual = new CostAccrual({
    store,
    catalog: fakeCatalog(),
    auth: { getOwnServiceCredentials: async () => ({}) } as unknown as AuthService,
    now: () => now,
  });
  const [accrualMs, result] = await timed(() => accrual.accrue());
  console.log(
    `${label}: (c) daily accrual run: ${result.resources.toLocaleString('en-US')} resources, ${result.rows.toLocaleString('en-US')} day rows from ${result.fromDay}: ${(accrualMs / 1000).toFixed(2)} s`,
  );
  const [again] = await timed(() => accrual.accrue());
  console.log(`${label}: (c') the same run repeated (idempotent): ${(again / 1000).toFixed(2)} s`);
}

async function main() {
  const name = `paved_costs_bench_${process.pid}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  const pg = knexFactory({ client: 'pg', connection: { ...postgresConnection(), database: name }, pool: { min: 0, max: 5 } });
  try {
    await run('PostgreSQL', pg, true);
  } finally {
    await pg.destroy();
    await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'paved-costs-bench-'));
  const sqlite = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: path.join(dir, 'bench.sqlite') },
    useNullAsDefault: true,
  });
  try {
    await sqlite.raw('PRAGMA journal_mode = WAL');
    await run('SQLite', sqlite, false);
  } finally {
    await sqlite.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
