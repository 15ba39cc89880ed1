import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Knex } from 'knex';
import { KnexResourceStore } from '../database/KnexResourceStore';
import { CostAccrual } from './CostAccrual';
import { KnexCostStore, LEDGER, MONTHLY } from './KnexCostStore';

jest.setTimeout(120_000);

const t = (iso: string) => Date.parse(iso);

const entities = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'orders-api', namespace: 'default' },
    spec: { type: 'service', owner: 'group:default/orders-team', system: 'orders' },
    relations: [{ type: 'partOf', targetRef: 'system:default/orders' }],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'orders', namespace: 'default' },
    spec: { owner: 'group:default/orders-team', domain: 'commerce' },
    relations: [{ type: 'partOf', targetRef: 'domain:default/commerce' }],
  },
];

/** Inserts a resource with its transitions (state pairs at times) and price points. */
async function seed(
  knex: Knex,
  r: {
    id: string;
    state: string;
    billable: boolean;
    price: number;
    size: string;
    updatedAt: string;
    entityRef?: string;
    transitions: Array<[string, string | null, string]>;
    prices?: Array<[string, number, string]>;
  },
) {
  await knex('provisioning_resources').insert({
    id: r.id, name: r.id, type: 'postgresql', owner: 'group:default/orders-team',
    entity_ref: r.entityRef ?? null, system: null, parameters: JSON.stringify({ size: r.size }),
    state: r.state, billable: r.billable, conditions: '[]', outputs: '{}', monthly_cost_usd: r.price,
    created_by: 'user:default/dana', created_at: t(r.transitions[0][0]), updated_at: t(r.updatedAt),
    live_name: r.state === 'deleted' ? null : r.id,
  });
  let i = 0;
  for (const [at, from, to] of r.transitions) {
    i += 1;
    await knex('provisioning_events').insert({
      id: `${r.id}-e${i}`, resource_id: r.id, at: t(at), actor: 'x', type: 'transition',
      from_state: from, to_state: to, message: 'm',
    });
  }
  for (const [at, usd, size] of r.prices ?? []) {
    await knex('provisioning_cost_prices').insert({ resource_id: r.id, effective_at: t(at), monthly_cost_usd: usd, size });
  }
}

async function seedAll(knex: Knex) {
  // resized mid-month: small from Nov 10 12:00, medium from Nov 20 06:00, still live
  await seed(knex, {
    id: 'resized', state: 'ready', billable: true, price: 60, size: 'medium', updatedAt: '2026-11-20T06:00:00Z',
    entityRef: 'component:default/orders-api',
    transitions: [
      ['2026-11-10T11:00:00Z', null, 'requested'],
      ['2026-11-10T11:00:01Z', 'requested', 'provisioning'],
      ['2026-11-10T12:00:00Z', 'provisioning', 'ready'],
      ['2026-11-20T00:00:00Z', 'ready', 'updating'],
      ['2026-11-20T06:00:00Z', 'updating', 'ready'],
    ],
    prices: [
      ['2026-11-10T12:00:00Z', 15, 'small'],
      ['2026-11-20T06:00:00Z', 60, 'medium'],
    ],
  });
  // deleted: large from Nov 1 to Nov 16 12:00 (no price point: its own price)
  await seed(knex, {
    id: 'deleted', state: 'deleted', billable: false, price: 240, size: 'large', updatedAt: '2026-11-16T12:00:00Z',
    transitions: [
      ['2026-10-31T23:00:00Z', null, 'requested'],
      ['2026-10-31T23:30:00Z', 'requested', 'provisioning'],
      ['2026-11-01T00:00:00Z', 'provisioning', 'ready'],
      ['2026-11-16T00:00:00Z', 'ready', 'deleting'],
      ['2026-11-16T12:00:00Z', 'deleting', 'deleted'],
    ],
  });
  // never ready: awaiting approval, rejected
  await seed(knex, {
    id: 'neverready', state: 'deleted', billable: false, price: 240, size: 'large', updatedAt: '2026-11-05T00:00:00Z',
    transitions: [
      ['2026-11-03T00:00:00Z', null, 'awaiting-approval'],
      ['2026-11-05T00:00:00Z', 'awaiting-approval', 'deleted'],
    ],
  });
  // failed create, force-removed later
  await seed(knex, {
    id: 'failedcreate', state: 'deleted', billable: false, price: 15, size: 'small', updatedAt: '2026-11-09T00:00:00Z',
    transitions: [
      ['2026-11-07T00:00:00Z', null, 'requested'],
      ['2026-11-07T00:00:01Z', 'requested', 'provisioning'],
      ['2026-11-07T00:10:00Z', 'provisioning', 'failed'],
      ['2026-11-09T00:00:00Z', 'failed', 'deleted'],
    ],
  });
}

const sortRows = (rows: any[]) =>
  rows
    .map(r => ({ ...r, cost_usd: Number(Number(r.cost_usd).toFixed(9)), billed_hours: Number(r.billed_hours), monthly_price_usd: Number(r.monthly_price_usd), demo: Boolean(r.demo) }))
    .sort((a, b) => `${a.resource_id}${a.day ?? a.month}`.localeCompare(`${b.resource_id}${b.day ?? b.month}`));

describe('CostAccrual', () => {
  const databases = TestDatabases.create();

  it.each(databases.eachSupportedId())('bills only real lifetimes, hand-computed, on %p', async databaseId => {
    const knex = await databases.init(databaseId);
    await KnexResourceStore.migrateUp(knex);
    await seedAll(knex);
    let now = t('2026-12-06T00:00:00Z');
    const store = new KnexCostStore(knex);
    const accrual = new CostAccrual({
      store,
      catalog: catalogServiceMock({ entities }),
      auth: mockServices.auth(),
      now: () => now,
    });
    await accrual.accrue();

    const months = await knex(MONTHLY).orderBy(['resource_id', 'month']).select('resource_id', 'month', 'cost_usd');
    expect(months.map(m => [m.resource_id, m.month, Number(Number(m.cost_usd).toFixed(6))])).toEqual([
      // 15.5 days of 240/30
      ['deleted', '2026-11', 124],
      // 9.75 days small (15/30) + 10.75 days medium (60/30)
      ['resized', '2026-11', 26.375],
      // 5 days medium (60/31)
      ['resized', '2026-12', Number(((60 * 5) / 31).toFixed(6))],
    ]);
    const resized = await store.days('resized');
    expect(resized.find(d => d.day === '2026-11-20')).toMatchObject({
      size: 'medium', monthly_price_usd: 60, owner: 'group:default/orders-team',
      component: 'component:default/orders-api', system: 'system:default/orders', domain: 'domain:default/commerce',
    });
    expect(resized.find(d => d.day === '2026-11-20')!.cost_usd).toBeCloseTo(1.625, 9);
    expect(await store.days('neverready')).toEqual([]);
    expect(await store.days('failedcreate')).toEqual([]);

    // the next day's run adds a day and is idempotent when repeated
    now = t('2026-12-07T00:00:00Z');
    await accrual.accrue();
    await accrual.accrue();
    const dec = await knex(MONTHLY).where({ resource_id: 'resized', month: '2026-12' }).first('cost_usd');
    expect(Number(dec.cost_usd)).toBeCloseTo((60 * 6) / 31, 9);
    await knex.destroy();
  });

  it.each(databases.eachSupportedId())('backfill equals live daily accrual on %p', async databaseId => {
    const knex = await databases.init(databaseId);
    await KnexResourceStore.migrateUp(knex);
    await seedAll(knex);
    const store = new KnexCostStore(knex);
    let now = t('2026-10-31T00:00:00Z');
    const live = new CostAccrual({ store, catalog: catalogServiceMock({ entities }), auth: mockServices.auth(), now: () => now });
    // daily runs at 01:00, as the scheduler would, through Dec 6
    while (now < t('2026-12-06T00:00:00Z')) {
      now += 86_400_000;
      await live.accrue();
    }
    const liveDays = sortRows(await knex(LEDGER).select());
    const liveMonths = sortRows(await knex(MONTHLY).select());
    const rollup = async () =>
      (await knex('provisioning_cost_rollup').orderBy(['month', 'owner']).select('month', 'owner', 'system', 'cost_usd'))
        .map(r => ({ ...r, cost_usd: Number(Number(r.cost_usd).toFixed(9)) }))
        .sort((a, b) => `${a.month}${a.system}`.localeCompare(`${b.month}${b.system}`));
    const liveRollup = await rollup();
    expect(liveRollup).toEqual([
      { month: '2026-11', owner: 'group:default/orders-team', system: null, cost_usd: 124 },
      { month: '2026-11', owner: 'group:default/orders-team', system: 'system:default/orders', cost_usd: 26.375 },
      { month: '2026-12', owner: 'group:default/orders-team', system: 'system:default/orders', cost_usd: Number(((60 * 5) / 31).toFixed(9)) },
    ].sort((a, b) => `${a.month}${a.system}`.localeCompare(`${b.month}${b.system}`)));
    await live.accrue({ full: true });
    expect(await rollup()).toEqual(liveRollup);
    expect(sortRows(await knex(LEDGER).select())).toEqual(liveDays);
    expect(sortRows(await knex(MONTHLY).select())).toEqual(liveMonths);
    expect(liveDays.length).toBeGreaterThan(40);
    await knex.destroy();
  });
});
