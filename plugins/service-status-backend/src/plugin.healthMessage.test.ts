import http from 'node:http';
import { AddressInfo } from 'node:net';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { serviceStatusPlugin } from './plugin';

jest.setTimeout(60_000);

const DB_MESSAGE =
  'connection limit nearly reached: 97 of 100 connections in use';

function entity(
  kind: string,
  name: string,
  title: string,
  healthUrl: string,
  dependsOn: string[] = [],
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: {
      name,
      namespace: 'default',
      title,
      annotations: { 'paved.dev/health-url': healthUrl },
    },
    spec: { type: 'service', owner: 'orders-team' },
    relations: [
      { type: 'ownedBy', targetRef: 'group:default/orders-team' },
      ...dependsOn.map(targetRef => ({ type: 'dependsOn', targetRef })),
    ],
  };
}

describe.each(TestDatabases.create().eachSupportedId())(
  "a health endpoint's own message on %p",
  databaseId => {
    const databases = TestDatabases.create({ ids: [databaseId] });
    let health: http.Server;
    let base: string;

    beforeAll(async () => {
      // orders-db's health exporter answers like the demo's: 200, degraded, with its reason
      health = http.createServer((req, res) => {
        const json = (status: number, body: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        };
        if (req.url === '/orders-db') {
          json(200, { status: 'degraded', message: DB_MESSAGE });
        } else if (req.url === '/payments') {
          res.writeHead(503, { 'content-type': 'text/plain' });
          res.end('card processor unreachable\nretrying in 5 s\n');
        } else {
          json(200, { status: 'ok' });
        }
      });
      await new Promise<void>(r => health.listen(0, '127.0.0.1', r));
      base = `http://127.0.0.1:${(health.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      health.closeAllConnections();
      await new Promise(r => health.close(r));
    });

    it('reaches the reasons of the entity and of its dependents, named by title, through the probe task', async () => {
      const knex = await databases.init(databaseId);
      // The instance is a MockSchedulerService (typed as SchedulerService): it can be installed
      // and then triggered by the test.
      const scheduler = mockServices.scheduler() as ReturnType<
        typeof mockServices.scheduler
      > & { factory: typeof mockServices.scheduler.factory };
      const entities = [
        entity('Component', 'orders-api', 'Orders API', `${base}/orders-api`, [
          'resource:default/orders-db',
          'component:default/payments-api',
        ]),
        entity('Resource', 'orders-db', 'Orders database', `${base}/orders-db`),
        entity('Component', 'payments-api', 'Payments API', `${base}/payments`),
      ];
      const { server } = await startTestBackend({
        features: [
          serviceStatusPlugin,
          catalogServiceMock.factory({ entities }),
          mockServices.database.factory({ knex }),
          scheduler.factory({ skipTaskRunOnStartup: true }),
          mockServices.rootConfig.factory({
            data: { serviceStatus: { probes: { allow: ['127.0.0.1'] } } },
          }),
        ],
      });
      // one probe run and snapshot, as the scheduler would run it every 30 s
      await scheduler.triggerTask('service-status-probes');

      const db = await request(server)
        .get('/api/service-status/v1/status')
        .query({ entityRef: 'resource:default/orders-db' });
      expect(db.status).toBe(200);
      expect(db.body).toMatchObject({
        state: 'degraded',
        lastProbe: { state: 'degraded', httpStatus: 200, error: DB_MESSAGE },
      });
      expect(db.body.reasons).toEqual([
        expect.objectContaining({
          source: 'probe',
          cause: DB_MESSAGE,
          entityTitle: 'Orders database',
          message: expect.stringMatching(
            /^degraded: health check degraded \(connection limit nearly reached: 97 of 100 connections in use\) since \d\d:\d\d UTC$/,
          ),
        }),
      ]);

      const api = await request(server)
        .get('/api/service-status/v1/status')
        .query({ entityRef: 'component:default/orders-api' });
      expect(api.body.state).toBe('degraded');
      // worst first; equal states in dependency order
      expect(api.body.reasons).toEqual([
        expect.objectContaining({
          state: 'degraded',
          source: 'dependency',
          entityRef: 'resource:default/orders-db',
          entityTitle: 'Orders database',
          cause: DB_MESSAGE,
          message: expect.stringMatching(
            new RegExp(
              `^degraded: Orders database is degraded since \\d\\d:\\d\\d UTC: ${DB_MESSAGE}$`,
            ),
          ),
        }),
        expect.objectContaining({
          state: 'degraded',
          source: 'dependency',
          entityRef: 'component:default/payments-api',
          entityTitle: 'Payments API',
          cause: 'HTTP 503 Service Unavailable: card processor unreachable',
          message: expect.stringMatching(
            /^degraded: Payments API is down since \d\d:\d\d UTC: HTTP 503 Service Unavailable: card processor unreachable$/,
          ),
        }),
      ]);
      expect(api.body.dependencies).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            entityRef: 'resource:default/orders-db',
            title: 'Orders database',
            state: 'degraded',
            cause: DB_MESSAGE,
          }),
        ]),
      );

      // the overview (served from the snapshot the task just wrote) says the same
      const overview = await request(server)
        .get('/api/service-status/v1/statuses')
        .query({ state: 'degraded' });
      const row = overview.body.items.find(
        (i: any) => i.entityRef === 'component:default/orders-api',
      );
      expect(row.reasons.map((r: any) => r.cause)).toContain(DB_MESSAGE);
      await knex.destroy();
    });
  },
);
