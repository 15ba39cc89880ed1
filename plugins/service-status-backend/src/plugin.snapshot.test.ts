import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import {
  seededEntities,
  startSeededServiceStatusBackend,
} from './__testUtils__/serviceStatusTestBackend';
import { IncidentStore } from './database/IncidentStore';
import { SampleStore } from './database/SampleStore';
import { SnapshotStore } from './database/SnapshotStore';
import { StatusService } from './services/status/StatusService';

jest.setTimeout(60_000);

describe.each(TestDatabases.create().eachSupportedId())(
  'overview snapshot through the plugin on %p',
  databaseId => {
    const databases = TestDatabases.create({ ids: [databaseId] });

    it('serves the overview from the snapshot and refreshes it on incident open and resolve', async () => {
      const { server, knex } = await startSeededServiceStatusBackend(
        databases,
        databaseId,
      );
      // what the probe task runs after each cycle
      const writer = StatusService.create({
        catalog: catalogServiceMock({ entities: seededEntities }),
        samples: SampleStore.create({ knex }),
        incidents: IncidentStore.create({ knex }),
        maxDepth: 5,
        staleAfterMs: 300_000,
        snapshots: SnapshotStore.create({ knex }),
      });
      expect(
        await writer.writeSnapshot(mockCredentials.service()),
      ).toMatchObject({ written: 6 });

      const downBefore = await request(server).get(
        '/api/service-status/v1/statuses?state=down',
      );
      expect(downBefore.status).toBe(200);
      expect(downBefore.body.items.map((i: any) => i.entityRef)).toEqual([
        'resource:default/orders-db',
      ]);

      const opened = await request(server)
        .post('/api/service-status/v1/incidents')
        .set('Authorization', mockCredentials.user.header('user:default/dana'))
        .send({
          entityRef: 'component:default/orders-api',
          title: 'Checkout errors',
          severity: 'sev1',
          message: 'x',
        });
      expect(opened.status).toBe(201);
      const downOpen = await request(server).get(
        '/api/service-status/v1/statuses?state=down',
      );
      expect(
        downOpen.body.items.map((i: any) => [i.entityRef, i.openIncidentCount]),
      ).toEqual([
        ['component:default/orders-api', 1],
        ['resource:default/orders-db', 0],
      ]);

      const resolved = await request(server)
        .post(`/api/service-status/v1/incidents/${opened.body.id}/resolve`)
        .set('Authorization', mockCredentials.user.header('user:default/dana'))
        .send({});
      expect(resolved.status).toBe(200);
      const downAfter = await request(server).get(
        '/api/service-status/v1/statuses?state=down',
      );
      expect(downAfter.body.items.map((i: any) => i.entityRef)).toEqual([
        'resource:default/orders-db',
      ]);
      await knex.destroy();
    });
  },
);
