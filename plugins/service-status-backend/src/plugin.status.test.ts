import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { startSeededServiceStatusBackend } from './__testUtils__/serviceStatusTestBackend';

jest.setTimeout(60_000);

describe.each(TestDatabases.create().eachSupportedId())(
  'plugin on %p',
  databaseId => {
    const databases = TestDatabases.create({ ids: [databaseId] });

    let ctx: Awaited<ReturnType<typeof startSeededServiceStatusBackend>>;
    beforeAll(async () => {
      ctx = await startSeededServiceStatusBackend(databases, databaseId);
    });
    afterAll(async () => {
      await ctx.knex.destroy();
    });

    it('rolls status up over dependsOn (transitive, cycle-safe) with reasons', async () => {
      const { server, downSince } = ctx;
      const hhmm = new Date(downSince).toISOString().slice(11, 16);

      const res = await request(server)
        .get('/api/service-status/v1/status')
        .query({ entityRef: 'component:default/orders-api' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        entityRef: 'component:default/orders-api',
        state: 'degraded',
        healthState: 'up',
        healthSource: 'probe',
        lastProbe: { state: 'up', httpStatus: 200, latencyMs: 12 },
        openIncidents: [],
        dependenciesTruncated: false,
      });
      expect(res.body.dependencies).toEqual([
        expect.objectContaining({
          entityRef: 'resource:default/orders-db',
          state: 'down',
          depth: 1,
          via: 'component:default/orders-api',
        }),
        expect.objectContaining({
          entityRef: 'component:default/payments-api',
          state: 'up',
          depth: 1,
        }),
        expect.objectContaining({
          entityRef: 'component:default/fraud-check',
          state: 'degraded',
          depth: 2,
          via: 'component:default/payments-api',
        }),
      ]);
      expect(
        res.body.reasons.map((r: { message: string }) => r.message),
      ).toEqual([
        `degraded: orders-db is down since ${hhmm} UTC: ECONNREFUSED`,
        expect.stringMatching(
          /^degraded: fraud-check is degraded since \d\d:\d\d UTC \(via payments-api\): slow: 1500 ms \(over 1000 ms\)$/,
        ),
      ]);

      // three levels deep, no own health: storefront -> orders-api -> payments-api -> fraud-check
      const storefront = await request(server)
        .get('/api/service-status/v1/status')
        .query({ entityRef: 'component:default/storefront-web' });
      expect(storefront.status).toBe(200);
      expect(storefront.body).toMatchObject({
        state: 'degraded',
        healthState: 'unknown',
        healthSource: 'none',
      });
      expect(
        storefront.body.dependencies.map((d: any) => [d.entityRef, d.depth]),
      ).toEqual([
        ['component:default/orders-api', 1],
        ['resource:default/orders-db', 2],
        ['component:default/payments-api', 2],
        ['component:default/fraud-check', 3],
      ]);

      const db = await request(server)
        .get('/api/service-status/v1/status')
        .query({ entityRef: 'resource:default/orders-db' });
      expect(db.body).toMatchObject({
        state: 'down',
        healthState: 'down',
        since: new Date(downSince).toISOString(),
      });
      expect(db.body.reasons.map((r: any) => r.message)).toEqual([
        `down: health check failed (ECONNREFUSED) since ${hhmm} UTC`,
      ]);

      // provisioned resource: health from its state annotation
      const cache = await request(server)
        .get('/api/service-status/v1/status')
        .query({ entityRef: 'resource:default/sessions-cache' });
      expect(cache.body).toMatchObject({
        state: 'degraded',
        healthSource: 'resource',
        reasons: [
          expect.objectContaining({
            source: 'resource',
            message: 'degraded: resource is provisioning',
          }),
        ],
      });
    });

    it('serves its OpenAPI spec', async () => {
      const { server } = ctx;
      const res = await request(server).get('/api/service-status/openapi.json');
      expect(res.status).toBe(200);
      expect(Object.keys(res.body.paths)).toEqual(
        expect.arrayContaining([
          '/api/service-status/v1/status',
          '/api/service-status/v1/statuses',
          '/api/service-status/v1/history',
          '/api/service-status/v1/deployments',
          '/api/service-status/v1/incidents',
          '/api/service-status/v1/incidents/{id}',
          '/api/service-status/v1/incidents/{id}/resolve',
        ]),
      );
    });

    it('answers bad input with 4xx', async () => {
      const { server } = ctx;
      const unknown = await request(server)
        .get('/api/service-status/v1/status')
        .query({ entityRef: 'component:default/nope' });
      expect(unknown.status).toBe(404);
      expect(unknown.body.error).toMatchObject({
        name: 'NotFoundError',
        message: "Entity 'component:default/nope' not found",
      });

      const malformed = await request(server)
        .get('/api/service-status/v1/status')
        .query({ entityRef: 'orders-api' });
      expect(malformed.status).toBe(400);
      expect(malformed.body.error.name).toBe('InputError');

      const missing = await request(server).get(
        '/api/service-status/v1/status',
      );
      expect(missing.status).toBe(400);

      const badState = await request(server).get(
        '/api/service-status/v1/statuses?state=sideways',
      );
      expect(badState.status).toBe(400);

      const badCursor = await request(server).get(
        '/api/service-status/v1/statuses?cursor=xyz',
      );
      expect(badCursor.status).toBe(400);

      const unauthenticated = await request(server)
        .get('/api/service-status/v1/statuses')
        .set('Authorization', mockCredentials.none.header());
      expect(unauthenticated.status).toBe(401);
    });

    it('lists an overview with filters and cursor paging', async () => {
      const { server } = ctx;
      const all = await request(server).get('/api/service-status/v1/statuses');
      expect(all.status).toBe(200);
      expect(all.body.items.map((i: any) => i.entityRef)).toEqual([
        'component:default/fraud-check',
        'component:default/orders-api',
        'component:default/payments-api',
        'component:default/storefront-web',
        'resource:default/orders-db',
        'resource:default/sessions-cache',
      ]);
      expect(all.body.nextCursor).toBeUndefined();

      const orders = await request(server).get(
        '/api/service-status/v1/statuses?owner=orders-team',
      );
      expect(orders.body.items).toEqual([
        expect.objectContaining({
          entityRef: 'component:default/orders-api',
          owner: 'group:default/orders-team',
          system: 'system:default/commerce',
          state: 'degraded',
          openIncidentCount: 0,
        }),
        expect.objectContaining({
          entityRef: 'resource:default/orders-db',
          state: 'down',
        }),
      ]);

      const down = await request(server).get(
        '/api/service-status/v1/statuses?state=down&kind=Resource',
      );
      expect(down.body.items.map((i: any) => i.entityRef)).toEqual([
        'resource:default/orders-db',
      ]);

      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await request(server)
          .get('/api/service-status/v1/statuses')
          .query({
            state: 'degraded',
            limit: 2,
            ...(cursor ? { cursor } : {}),
          });
        expect(page.status).toBe(200);
        seen.push(...page.body.items.map((i: any) => i.entityRef));
        cursor = page.body.nextCursor;
        pages += 1;
      } while (cursor && pages < 10);
      expect(seen).toEqual([
        'component:default/fraud-check',
        'component:default/orders-api',
        'component:default/payments-api',
        'component:default/storefront-web',
        'resource:default/sessions-cache',
      ]);
      expect(pages).toBe(3);
    });

    it('serves history: uptime per window, hourly latency and recent probes', async () => {
      const { server } = ctx;
      const res = await request(server)
        .get('/api/service-status/v1/history')
        .query({ entityRef: 'resource:default/orders-db', hours: 48 });
      expect(res.status).toBe(200);
      expect(res.body.uptime).toEqual([
        { window: '24h', samples: 2, uptimeRatio: 0 },
        { window: '7d', samples: 2, uptimeRatio: 0 },
        { window: '30d', samples: 2, uptimeRatio: 0 },
      ]);
      expect(res.body.recentProbes).toHaveLength(2);

      const api = await request(server)
        .get('/api/service-status/v1/history')
        .query({ entityRef: 'component:default/orders-api' });
      expect(api.body.latency).toEqual([
        { hour: expect.any(String), p50Ms: 12, p95Ms: 12, samples: 1 },
      ]);
      expect(api.body.uptime[0]).toEqual({
        window: '24h',
        samples: 1,
        uptimeRatio: 1,
      });

      const tooMany = await request(server)
        .get('/api/service-status/v1/history')
        .query({ entityRef: 'component:default/orders-api', hours: 100000 });
      expect(tooMany.status).toBe(400);
    });
  },
);
