import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { startSeededServiceStatusBackend } from './__testUtils__/serviceStatusTestBackend';

jest.setTimeout(60_000);

const as = (user: string) =>
  mockCredentials.user.header(`user:default/${user}`);

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

    it('opens, updates and resolves incidents for owners and the platform group only', async () => {
      const { server } = ctx;
      const forbidden = await request(server)
        .post('/api/service-status/v1/incidents')
        .set('Authorization', as('eve'))
        .send({
          entityRef: 'component:default/orders-api',
          title: 'Checkout errors',
          severity: 'sev1',
          message: 'x',
        });
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.error).toMatchObject({
        name: 'NotAllowedError',
        message:
          'Only members of group:default/orders-team (the owner of component:default/orders-api) or of group:default/platform-team may manage incidents on component:default/orders-api',
      });

      const invalid = await request(server)
        .post('/api/service-status/v1/incidents')
        .set('Authorization', as('dana'))
        .send({
          entityRef: 'component:default/orders-api',
          title: 'x',
          severity: 'sev9',
          message: 'x',
        });
      expect(invalid.status).toBe(400);

      const opened = await request(server)
        .post('/api/service-status/v1/incidents')
        .set('Authorization', as('dana'))
        .send({
          entityRef: 'component:default/orders-api',
          title: 'Checkout errors',
          severity: 'sev1',
          message: 'Checkout fails for 30% of users',
        });
      expect(opened.status).toBe(201);
      expect(opened.body).toMatchObject({
        entityRef: 'component:default/orders-api',
        title: 'Checkout errors',
        severity: 'sev1',
        state: 'investigating',
        createdBy: 'user:default/dana',
        updates: [
          expect.objectContaining({
            message: 'Checkout fails for 30% of users',
            author: 'user:default/dana',
          }),
        ],
      });
      const id = opened.body.id;

      const status = await request(server)
        .get('/api/service-status/v1/status')
        .query({ entityRef: 'component:default/orders-api' });
      expect(status.body.state).toBe('down');
      expect(status.body.reasons[0]).toMatchObject({
        state: 'down',
        source: 'incident',
        incidentId: id,
        message: "down: open incident 'Checkout errors' (sev1)",
      });
      // a dependent sees the incident as a degraded dependency
      const storefront = await request(server)
        .get('/api/service-status/v1/status')
        .query({ entityRef: 'component:default/storefront-web' });
      expect(storefront.body.reasons.map((r: any) => r.message)).toContain(
        `degraded: orders-api is down since ${new Date(
          Date.parse(opened.body.createdAt),
        )
          .toISOString()
          .slice(11, 16)} UTC: open incident 'Checkout errors' (sev1)`,
      );

      const eveUpdate = await request(server)
        .patch(`/api/service-status/v1/incidents/${id}`)
        .set('Authorization', as('eve'))
        .send({ message: 'nope' });
      expect(eveUpdate.status).toBe(403);

      const updated = await request(server)
        .patch(`/api/service-status/v1/incidents/${id}`)
        .set('Authorization', as('pat'))
        .send({
          message: 'Mitigated by rollback',
          severity: 'sev2',
          state: 'monitoring',
        });
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({
        severity: 'sev2',
        state: 'monitoring',
      });
      expect(
        updated.body.updates.map((u: any) => [u.message, u.author, u.state]),
      ).toEqual([
        [
          'Checkout fails for 30% of users',
          'user:default/dana',
          'investigating',
        ],
        ['Mitigated by rollback', 'user:default/pat', 'monitoring'],
      ]);

      const list = await request(server).get(
        '/api/service-status/v1/incidents?entityRef=component:default/orders-api',
      );
      expect(list.body.items.map((i: any) => i.id)).toEqual([id]);

      const resolved = await request(server)
        .post(`/api/service-status/v1/incidents/${id}/resolve`)
        .set('Authorization', as('dana'))
        .send({});
      expect(resolved.status).toBe(200);
      expect(resolved.body).toMatchObject({
        state: 'resolved',
        resolvedAt: expect.any(String),
      });
      expect(resolved.body.updates).toHaveLength(3);

      const again = await request(server)
        .post(`/api/service-status/v1/incidents/${id}/resolve`)
        .set('Authorization', as('dana'))
        .send({});
      expect(again.status).toBe(409);

      const after = await request(server)
        .get('/api/service-status/v1/status')
        .query({ entityRef: 'component:default/orders-api' });
      expect(after.body.state).toBe('degraded');
      expect(after.body.openIncidents).toEqual([]);

      const openList = await request(server).get(
        '/api/service-status/v1/incidents',
      );
      expect(openList.body.items).toEqual([]);
      const resolvedList = await request(server).get(
        '/api/service-status/v1/incidents?state=resolved',
      );
      expect(resolvedList.body.items.map((i: any) => i.id)).toEqual([id]);

      const missing = await request(server).get(
        '/api/service-status/v1/incidents/does-not-exist',
      );
      expect(missing.status).toBe(404);
    });

    it('ingests deployments from services and lists them per entity with paging', async () => {
      const { server } = ctx;
      const base = {
        entityRef: 'component:default/orders-api',
        environment: 'production',
        status: 'succeeded',
        commit: 'abcdef1234567',
      };
      for (let i = 1; i <= 3; i++) {
        const res = await request(server)
          .post('/api/service-status/v1/deployments')
          .set(
            'Authorization',
            mockCredentials.service.header({
              onBehalfOf: mockCredentials.service('external:ci'),
              targetPluginId: 'service-status',
            }),
          )
          .send({
            ...base,
            version: `1.0.${i}`,
            startedAt: `2026-11-2${i}T10:00:00.000Z`,
            finishedAt: `2026-11-2${i}T10:05:00.000Z`,
          });
        expect(res.status).toBe(201);
        expect(res.body).toMatchObject({
          version: `1.0.${i}`,
          createdBy: 'external:ci',
          entityRef: base.entityRef,
        });
      }
      const byUser = await request(server)
        .post('/api/service-status/v1/deployments')
        .send({
          ...base,
          environment: 'staging',
          version: '1.1.0',
          status: 'in-progress',
          startedAt: '2026-11-20T09:00:00Z',
        });
      expect(byUser.status).toBe(201);
      expect(byUser.body.createdBy).toBe('user:default/mock');

      const bad = [
        {
          ...base,
          version: '1',
          startedAt: '2026-11-20T10:00:00Z',
          status: 'exploded',
        },
        { ...base, version: '1', startedAt: 'yesterday' },
        {
          ...base,
          version: '1',
          startedAt: '2026-11-20T10:00:00Z',
          finishedAt: '2026-11-20T09:00:00Z',
        },
        {
          ...base,
          entityRef: 'orders-api',
          version: '1',
          startedAt: '2026-11-20T10:00:00Z',
        },
        {
          ...base,
          version: '1',
          startedAt: '2026-11-20T10:00:00Z',
          extra: true,
        },
      ];
      for (const body of bad) {
        const res = await request(server)
          .post('/api/service-status/v1/deployments')
          .send(body);
        expect({ body, status: res.status }).toEqual({ body, status: 400 });
      }
      const unknown = await request(server)
        .post('/api/service-status/v1/deployments')
        .send({
          ...base,
          entityRef: 'component:default/ghost',
          version: '1',
          startedAt: '2026-11-20T10:00:00Z',
        });
      expect(unknown.status).toBe(404);

      const page1 = await request(server)
        .get('/api/service-status/v1/deployments')
        .query({
          entityRef: base.entityRef,
          environment: 'production',
          limit: 2,
        });
      expect(page1.status).toBe(200);
      expect(page1.body.items.map((d: any) => d.version)).toEqual([
        '1.0.3',
        '1.0.2',
      ]);
      const page2 = await request(server)
        .get('/api/service-status/v1/deployments')
        .query({
          entityRef: base.entityRef,
          environment: 'production',
          limit: 2,
          cursor: page1.body.nextCursor,
        });
      expect(page2.body.items.map((d: any) => d.version)).toEqual(['1.0.1']);
      expect(page2.body.nextCursor).toBeUndefined();

      const all = await request(server)
        .get('/api/service-status/v1/deployments')
        .query({ entityRef: base.entityRef });
      expect(all.body.items).toHaveLength(4);
    });
  },
);
