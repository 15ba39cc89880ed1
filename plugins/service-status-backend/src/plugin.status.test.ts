import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { serviceStatusPlugin } from './plugin';
import { SampleStore } from './database/SampleStore';

jest.setTimeout(60_000);

function component(
  name: string,
  owner: string,
  options: {
    healthUrl?: string;
    dependsOn?: string[];
    kind?: string;
    annotations?: Record<string, string>;
  } = {},
): Entity {
  const kind = options.kind ?? 'Component';
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        ...(options.healthUrl
          ? { 'paved.dev/health-url': options.healthUrl }
          : {}),
        ...options.annotations,
      },
    },
    spec: { type: 'service', owner, system: 'commerce' },
    relations: [
      { type: 'ownedBy', targetRef: `group:default/${owner}` },
      { type: 'partOf', targetRef: 'system:default/commerce' },
      ...(options.dependsOn ?? []).map(targetRef => ({
        type: 'dependsOn',
        targetRef,
      })),
    ],
  };
}

const entities: Entity[] = [
  component('orders-api', 'orders-team', {
    healthUrl: 'http://127.0.0.1:1/healthz',
    dependsOn: ['resource:default/orders-db', 'component:default/payments-api'],
  }),
  component('orders-db', 'orders-team', {
    kind: 'Resource',
    healthUrl: 'http://127.0.0.1:1/db',
  }),
  component('payments-api', 'payments-team', {
    healthUrl: 'http://127.0.0.1:1/pay',
    dependsOn: [
      'component:default/orders-api',
      'component:default/fraud-check',
    ],
  }),
  component('fraud-check', 'payments-team', {
    healthUrl: 'http://127.0.0.1:1/fraud',
  }),
  component('storefront-web', 'storefront-team', {
    dependsOn: ['component:default/orders-api'],
  }),
  component('sessions-cache', 'storefront-team', {
    kind: 'Resource',
    annotations: { 'paved.dev/resource-state': 'provisioning' },
  }),
];

const ownership: Record<string, string[]> = {
  'user:default/dana': ['user:default/dana', 'group:default/orders-team'],
  'user:default/pat': ['user:default/pat', 'group:default/platform-team'],
  'user:default/eve': ['user:default/eve', 'group:default/storefront-team'],
};

describe.each(TestDatabases.create().eachSupportedId())(
  'plugin on %p',
  databaseId => {
    const databases = TestDatabases.create({ ids: [databaseId] });

    async function start() {
      const knex = await databases.init(databaseId);
      const { server } = await startTestBackend({
        features: [
          serviceStatusPlugin,
          catalogServiceMock.factory({ entities }),
          mockServices.database.factory({ knex }),
          mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
          mockServices.rootConfig.factory({
            data: { serviceStatus: { platformGroup: 'platform-team' } },
          }),
          mockServices.userInfo.mock({
            getUserInfo: async credentials => {
              const userEntityRef = (
                credentials.principal as { userEntityRef: string }
              ).userEntityRef;
              return {
                userEntityRef,
                ownershipEntityRefs: ownership[userEntityRef] ?? [
                  userEntityRef,
                ],
              };
            },
          }).factory,
        ],
      });
      const samples = SampleStore.create({ knex });
      const now = Date.now();
      const downSince = now - 30 * 60_000;
      await samples.recordSamples([
        {
          entityRef: 'component:default/orders-api',
          at: now,
          state: 'up',
          source: 'probe',
          httpStatus: 200,
          latencyMs: 12,
        },
        {
          entityRef: 'resource:default/orders-db',
          at: downSince,
          state: 'down',
          source: 'probe',
          error: 'ECONNREFUSED',
        },
        {
          entityRef: 'component:default/payments-api',
          at: now,
          state: 'up',
          source: 'probe',
          httpStatus: 200,
          latencyMs: 20,
        },
        {
          entityRef: 'component:default/fraud-check',
          at: now,
          state: 'degraded',
          source: 'probe',
          httpStatus: 200,
          latencyMs: 1500,
          error: 'slow: 1500 ms (over 1000 ms)',
        },
      ]);
      // keep orders-db down but fresh
      await samples.recordSamples([
        {
          entityRef: 'resource:default/orders-db',
          at: now,
          state: 'down',
          source: 'probe',
          error: 'ECONNREFUSED',
        },
      ]);
      return { server, knex, downSince };
    }

    let ctx: Awaited<ReturnType<typeof start>>;
    beforeAll(async () => {
      ctx = await start();
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
        `degraded: resource:default/orders-db is down since ${hhmm} UTC`,
        expect.stringMatching(
          /^degraded: component:default\/fraud-check is degraded since \d\d:\d\d UTC \(via component:default\/payments-api\)$/,
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
