import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import request from 'supertest';
import { MemoryDriver } from '../__testUtils__/MemoryDriver';
import { startProvisioningTestBackend } from '../__testUtils__/testBackend';
import { KnexCostStore } from './KnexCostStore';
import { dayOf } from './ledger';

jest.setTimeout(90_000);

const dana = mockCredentials.user.header('user:default/dana');
const alex = mockCredentials.user.header('user:default/alex');
const base = '/api/provisioning/v1';

const row = (id: string, month: string, usd: number, extra: Record<string, unknown> = {}) => ({
  resource_id: id,
  month,
  cost_usd: usd,
  resource_name: id,
  resource_type: 'memdb',
  owner: 'group:default/orders-team',
  component: 'component:default/orders-api',
  system: 'system:default/orders',
  domain: 'domain:default/commerce',
  demo: false,
  ...extra,
});

describe('costs API and budgets', () => {
  const databases = TestDatabases.create();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let server: any;
    let backend: { stop(): Promise<void> };
    let knex: Knex;
    const thisMonth = dayOf(Date.now()).slice(0, 7);
    const today = dayOf(Date.now());

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      const started = await startProvisioningTestBackend({
        knex,
        driver: new MemoryDriver(),
        provisioning: { budgets: [{ owner: 'group:default/orders-team', monthlyUsd: 70 }] },
      });
      server = started.server;
      backend = started;
      await knex('provisioning_cost_monthly').insert([
        row('a', '2026-01', 10),
        row('a', '2026-02', 20.004),
        row('b', '2026-02', 5, { owner: 'group:default/payments-team', component: null, system: null, domain: null }),
        row('c', thisMonth, 7, { demo: true }),
      ]);
      await new KnexCostStore(knex).rebuildRollup();
      await knex('provisioning_cost_ledger').insert([
        {
          ...row('a', '2026-02', 1.25), day: '2026-02-03', billed_hours: 24, size: 'small', monthly_price_usd: 35,
        },
        {
          ...row('c', thisMonth, 7, { demo: true }), day: today, billed_hours: 24, size: 'small', monthly_price_usd: 31,
        },
      ]);
    });

    afterAll(async () => {
      await backend?.stop();
    });

    it('answers cost per owner per month, with zeros, and 400 for bad input', async () => {
      const res = await request(server)
        .get(`${base}/costs?groupBy=owner&from=2026-01&to=2026-03`)
        .set('Authorization', dana);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        months: ['2026-01', '2026-02', '2026-03'],
        demo: false,
        items: [
          {
            key: 'group:default/orders-team',
            totalUsd: 30,
            monthlyCostUsd: [
              { month: '2026-01', usd: 10 },
              { month: '2026-02', usd: 20 },
              { month: '2026-03', usd: 0 },
            ],
          },
          {
            key: 'group:default/payments-team',
            totalUsd: 5,
            monthlyCostUsd: [
              { month: '2026-01', usd: 0 },
              { month: '2026-02', usd: 5 },
              { month: '2026-03', usd: 0 },
            ],
          },
        ],
      });
      const bySystem = await request(server)
        .get(`${base}/costs?groupBy=system&from=2026-02&to=2026-02&owner=orders-team`)
        .set('Authorization', dana);
      expect(bySystem.body.items).toEqual([
        { key: 'system:default/orders', totalUsd: 20, monthlyCostUsd: [{ month: '2026-02', usd: 20 }] },
      ]);
      const byResource = await request(server)
        .get(`${base}/costs?groupBy=resource&from=2026-02&to=2026-02&component=orders-api`)
        .set('Authorization', dana);
      expect(byResource.body.items).toEqual([
        { key: 'a', title: 'memdb/a', totalUsd: 20, monthlyCostUsd: [{ month: '2026-02', usd: 20 }] },
      ]);
      for (const q of ['groupBy=team', 'from=2026-13', 'from=2026-05&to=2026-01', 'from=2020-01&to=2026-01', 'owner=%3A%3A']) {
        const bad = await request(server).get(`${base}/costs?${q}`).set('Authorization', dana);
        expect(bad.status).toBe(400);
      }
      expect((await request(server).get(`${base}/costs`)).status).toBe(401);
    });

    it('answers this month so far, a forecast and top resources, marked as demo', async () => {
      const res = await request(server).get(`${base}/costs/summary`).set('Authorization', dana);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ month: thisMonth, soFarUsd: 7, demo: true });
      expect(res.body.forecastUsd).toBeGreaterThanOrEqual(7);
      expect(res.body.topResources).toEqual([
        expect.objectContaining({ resourceId: 'c', usd: 7, demo: true, owner: 'group:default/orders-team' }),
      ]);
    });

    it('exports FOCUS CSV', async () => {
      const res = await request(server)
        .get(`${base}/costs/export.csv?from=2026-02&to=2026-02`)
        .set('Authorization', dana);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/csv/);
      const lines = res.text.trim().split('\n');
      expect(lines[0]).toBe(
        'BilledCost,EffectiveCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ChargeCategory,ResourceId,ResourceName,ResourceType,ServiceName,SubAccountId,SubAccountName,Tags',
      );
      expect(lines[1]).toBe(
        '1.250000,1.250000,USD,2026-02-03T00:00:00Z,2026-02-04T00:00:00Z,Usage,a,a,memdb,memdb,group:default/orders-team,orders-team,' +
          '"{""component"":""component:default/orders-api"",""system"":""system:default/orders"",""domain"":""domain:default/commerce"",""size"":""small""}"',
      );
      expect(lines).toHaveLength(2);
      const bad = await request(server).get(`${base}/costs/export.csv?from=x`).set('Authorization', dana);
      expect(bad.status).toBe(400);
    });

    it('gates requests and resizes over the team budget through approval, and the estimate says so', async () => {
      const est = (body: object) =>
        request(server).post(`${base}/estimates`).set('Authorization', dana).send(body);
      const under = await est({ type: 'memdb', parameters: { size: 'medium' }, owner: 'group:default/orders-team' });
      expect(under.status).toBe(200);
      expect(under.body).toMatchObject({
        monthlyCostUsd: 60,
        requiresApproval: false,
        budget: { owner: 'group:default/orders-team', budgetUsd: 70, currentUsd: 0, projectedUsd: 60, exceeded: false },
      });
      const first = await request(server)
        .post(`${base}/resources`)
        .set('Authorization', dana)
        .send({ type: 'memdb', name: 'budget-one', owner: 'group:default/orders-team', parameters: { size: 'medium' } });
      expect(first.status).toBe(201);
      expect(first.body.state).not.toBe('awaiting-approval');

      const over = await est({ type: 'memdb', parameters: { size: 'small' }, owner: 'orders-team' });
      expect(over.body).toMatchObject({
        requiresApproval: true,
        approvers: 'group:default/platform-team',
        budget: { currentUsd: 60, projectedUsd: 75, exceeded: true },
        approval: { required: true, reason: expect.stringContaining('Over budget') },
      });
      const second = await request(server)
        .post(`${base}/resources`)
        .set('Authorization', dana)
        .send({ type: 'memdb', name: 'budget-two', owner: 'group:default/orders-team', parameters: { size: 'small' } });
      expect(second.status).toBe(201);
      expect(second.body.state).toBe('awaiting-approval');
      expect(second.body.reason).toMatch(/over its budget of \$70\.00\/month/);

      // an approver's own request is not gated
      const byApprover = await request(server)
        .post(`${base}/resources`)
        .set('Authorization', alex)
        .send({ type: 'memdb', name: 'budget-three', owner: 'group:default/orders-team', parameters: { size: 'small' } });
      expect(byApprover.body.state).not.toBe('awaiting-approval');

      // a resize over the budget waits for approval as a pending change while the resource keeps serving
      const id = byApprover.body.id;
      const end = Date.now() + 15_000;
      let state = byApprover.body.state;
      while (state !== 'ready' && Date.now() < end) {
        await new Promise(r => setTimeout(r, 100));
        state = (await request(server).get(`${base}/resources/${id}`).set('Authorization', dana)).body.state;
      }
      expect(state).toBe('ready');
      const resizeEstimate = await est({
        type: 'memdb', parameters: { size: 'medium' }, owner: 'group:default/orders-team', resourceId: id,
      });
      expect(resizeEstimate.body).toMatchObject({ requiresApproval: true, budget: { currentUsd: 90, projectedUsd: 135 } });
      const resize = await request(server)
        .patch(`${base}/resources/${id}`)
        .set('Authorization', dana)
        .send({ parameters: { size: 'medium' } });
      expect(resize.status).toBe(200);
      expect(resize.body).toMatchObject({ state: 'ready', pendingChange: { parameters: { size: 'medium' } } });
      const events = await request(server).get(`${base}/resources/${id}/events`).set('Authorization', dana);
      expect(events.body.items.map((e: any) => e.message).join('\n')).toMatch(/over budget: it would take group:default\/orders-team to \$135\.00\/month/);

      // no budget for payments-team: no budget in the estimate
      const none = await est({ type: 'memdb', parameters: { size: 'small' }, owner: 'group:default/payments-team' });
      expect(none.body.budget).toBeUndefined();
      expect(none.body.requiresApproval).toBe(false);
    });
  });
});
