import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { startSeededServiceStatusBackend } from './__testUtils__/serviceStatusTestBackend';

jest.setTimeout(60_000);

const as = (user: string) =>
  mockCredentials.user.header(`user:default/${user}`);

describe.each(TestDatabases.create().eachSupportedId())(
  'delivery metrics API on %p',
  databaseId => {
    const databases = TestDatabases.create({ ids: [databaseId] });

    let ctx: Awaited<ReturnType<typeof startSeededServiceStatusBackend>>;
    beforeAll(async () => {
      ctx = await startSeededServiceStatusBackend(databases, databaseId);
    });
    afterAll(async () => {
      await ctx.knex.destroy();
    });

    it('ingests a commit time and reports lead time, frequency and bands', async () => {
      const { server } = ctx;
      const finished = Date.now() - 60_000;
      const created = await request(server)
        .post('/api/service-status/v1/deployments')
        .set('Authorization', as('dana'))
        .send({
          entityRef: 'component:default/orders-api',
          environment: 'production',
          version: '1.2.3',
          commit: 'abcdef1',
          committedAt: new Date(finished - 2 * 3_600_000).toISOString(),
          status: 'succeeded',
          startedAt: new Date(finished - 60_000).toISOString(),
          finishedAt: new Date(finished).toISOString(),
        });
      expect(created.status).toBe(201);
      expect(created.body.committedAt).toBe(
        new Date(finished - 2 * 3_600_000).toISOString(),
      );

      const bad = await request(server)
        .post('/api/service-status/v1/deployments')
        .set('Authorization', as('dana'))
        .send({
          entityRef: 'component:default/orders-api',
          environment: 'production',
          version: '1.2.4',
          committedAt: new Date(finished + 3_600_000).toISOString(),
          status: 'succeeded',
          startedAt: new Date(finished).toISOString(),
        });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toBe(
        'committedAt must not be after startedAt',
      );

      const metrics = await request(server)
        .get('/api/service-status/v1/delivery-metrics?weeks=4')
        .set('Authorization', as('eve'));
      expect(metrics.status).toBe(200);
      expect(metrics.body.items).toHaveLength(1);
      expect(metrics.body.items[0]).toMatchObject({
        key: 'component:default/orders-api',
        owner: 'group:default/orders-team',
        deployments: 1,
        leadTimeSamples: 1,
        medianLeadTimeHours: 2,
        bands: { leadTime: 'elite', changeFailureRate: 'elite' },
      });
      expect(metrics.body.items[0].trend).toHaveLength(4);

      const team = await request(server)
        .get('/api/service-status/v1/delivery-metrics?groupBy=team')
        .set('Authorization', as('eve'));
      expect(team.body.items.map((i: { key: string }) => i.key)).toEqual([
        'group:default/orders-team',
      ]);
    });

    it('summarises first and last deployments of many entities', async () => {
      const { server } = ctx;
      const res = await request(server)
        .get(
          '/api/service-status/v1/deployment-summaries?entityRef=component:default/orders-api&entityRef=component:default/fraud-check',
        )
        .set('Authorization', as('eve'));
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([
        {
          entityRef: 'component:default/orders-api',
          deployments: 1,
          firstDeployedAt: expect.any(String),
          lastDeployedAt: expect.any(String),
        },
      ]);
      // A user who may not read orders-api in the catalog does not learn of its deployments.
      const hidden = await request(server)
        .get(
          '/api/service-status/v1/deployment-summaries?entityRef=component:default/orders-api',
        )
        .set('Authorization', as('mallory'));
      expect(hidden.status).toBe(200);
      expect(hidden.body.items).toEqual([]);
      const none = await request(server)
        .get('/api/service-status/v1/deployment-summaries')
        .set('Authorization', as('eve'));
      expect(none.status).toBe(400);
    });

    it('answers 400 for bad parameters', async () => {
      const { server } = ctx;
      const weeks = await request(server)
        .get('/api/service-status/v1/delivery-metrics?weeks=0')
        .set('Authorization', as('eve'));
      expect(weeks.status).toBe(400);
      const groupBy = await request(server)
        .get('/api/service-status/v1/delivery-metrics?groupBy=system')
        .set('Authorization', as('eve'));
      expect(groupBy.status).toBe(400);
      const ref = await request(server)
        .get('/api/service-status/v1/delivery-metrics?entityRef=bad%20ref')
        .set('Authorization', as('eve'));
      expect(ref.status).toBe(400);
    });
  },
);
