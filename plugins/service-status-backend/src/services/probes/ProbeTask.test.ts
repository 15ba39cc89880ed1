import http from 'node:http';
import { AddressInfo } from 'node:net';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { applyDatabaseMigrations } from '../../database/migrations';
import { SampleStore } from '../../database/SampleStore';
import { readServiceStatusConfig } from '../../config';
import { ProbeTask } from './ProbeTask';

jest.setTimeout(60_000);

function entity(
  kind: string,
  name: string,
  annotations: Record<string, string>,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', owner: 'orders-team' },
  };
}

describe('ProbeTask', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let server: http.Server;
  let base: string;
  let inFlight = 0;
  let maxInFlight = 0;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const done = (status: number) => {
        inFlight -= 1;
        res.writeHead(status);
        res.end();
      };
      if (req.url === '/fail') {
        done(503);
      } else {
        setTimeout(() => done(200), 30);
      }
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise(r => server.close(r));
  });

  it('probes annotated entities with bounded concurrency and records resource states', async () => {
    const knex = await databases.init('SQLITE_3');
    await applyDatabaseMigrations(knex);
    const samples = SampleStore.create({ knex });
    const entities = [
      ...Array.from({ length: 6 }, (_, i) =>
        entity('Component', `svc-${i}`, {
          'paved.dev/health-url': `${base}/ok/${i}`,
        }),
      ),
      entity('Component', 'broken', { 'paved.dev/health-url': `${base}/fail` }),
      entity('Component', 'outside', {
        'paved.dev/health-url': 'http://example.com/healthz',
      }),
      entity('Resource', 'orders-db', {
        'paved.dev/resource-state': 'ready',
        'paved.dev/resource-drifted': 'true',
      }),
      entity('Resource', 'payments-db', {
        'paved.dev/resource-state': 'failed',
      }),
      entity('Component', 'no-health', {}),
      entity('API', 'ignored-api', {
        'paved.dev/health-url': `${base}/ok/api`,
      }),
    ];
    const task = ProbeTask.create({
      catalog: catalogServiceMock({ entities }),
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      samples,
      config: readServiceStatusConfig(
        new ConfigReader({
          serviceStatus: { probes: { concurrency: 2, allow: ['127.0.0.1'] } },
        }),
      ),
    });

    const summary = await task.run();
    expect(summary).toEqual({
      // component:default/outside has a health URL outside the allow list: not probed.
      probed: 7,
      fromResourceState: 2,
      up: 6,
      degraded: 1,
      down: 2,
    });
    expect(maxInFlight).toBeLessThanOrEqual(2);

    const current = await samples.getCurrent([
      'component:default/svc-0',
      'component:default/broken',
      'component:default/outside',
      'resource:default/orders-db',
      'resource:default/payments-db',
      'component:default/no-health',
      'api:default/ignored-api',
    ]);
    expect(current.get('component:default/svc-0')).toMatchObject({
      state: 'up',
      source: 'probe',
      httpStatus: 200,
    });
    expect(current.get('component:default/broken')).toMatchObject({
      state: 'down',
      httpStatus: 503,
      error: 'HTTP 503 Service Unavailable',
    });
    expect(current.has('component:default/outside')).toBe(false);
    expect(current.get('resource:default/orders-db')).toMatchObject({
      state: 'degraded',
      source: 'resource',
      error: 'resource drifted from its declared state',
    });
    expect(current.get('resource:default/payments-db')).toMatchObject({
      state: 'down',
      error: 'resource is failed',
    });
    expect(current.has('component:default/no-health')).toBe(false);
    expect(current.has('api:default/ignored-api')).toBe(false);
    await knex.destroy();
  });
});
