import { TestDatabases, mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { MemoryDriver } from '../__testUtils__/MemoryDriver';
import { startProvisioningTestBackend, waitFor } from '../__testUtils__/testBackend';
import { dayBefore, utcDay } from '../utilisation/KnexUtilisationStore';

jest.setTimeout(120_000);

const dana = mockCredentials.user.header('user:default/dana');
const base = '/api/provisioning/v1';
const owner = 'group:default/orders-team';

describe('GET /v1/recommendations (issue 13, item 3)', () => {
  const databases = TestDatabases.create();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('turns the utilisation recorded by the drift checks into a recommendation, filterable by owner', async () => {
      const knex = await databases.init(databaseId);
      const driver = new MemoryDriver();
      const backend = await startProvisioningTestBackend({ knex, driver });
      try {
        const server = backend.server;
        const created = await request(server)
          .post(`${base}/resources`)
          .set('Authorization', dana)
          .send({ type: 'memdb', name: 'rs-db', owner, parameters: { size: 'medium' } });
        expect(created.status).toBe(201);
        const id = created.body.id as string;
        const capacityBySize = { small: { connections: 10 }, medium: { connections: 25 }, large: { connections: 50 } };
        driver.utilisation.set('rs-db', { connections: { used: 2, limit: 25 }, storageBytes: 9_000_000, capacityBySize });
        // today's sample comes from the drift checks (every 400 ms here)
        const today = utcDay(Date.now());
        const sampled = await waitFor(
          () => knex('provisioning_utilisation_daily').where({ resource_id: id, day: today }),
          rows => rows.length === 1,
          15_000,
        );
        expect(sampled[0]).toMatchObject({ size: 'medium', peak_connections: 2, connection_limit: 25 });
        // no week measured yet: nothing to recommend
        const none = await request(server).get(`${base}/recommendations`).set('Authorization', dana);
        expect(none.body).toEqual({ items: [], totalMonthlySavingUsd: 0 });
        // the six days before, as measured earlier (peak 3)
        await knex('provisioning_utilisation_daily').insert(
          [1, 2, 3, 4, 5, 6].map(n => ({
            resource_id: id, day: dayBefore(today, n), size: 'medium', samples: 1440, peak_connections: n === 3 ? 3 : 1,
            connection_limit: 25, capacity: JSON.stringify(capacityBySize), demo: false, updated_at: 1,
          })),
        );
        const res = await request(server).get(`${base}/recommendations?owner=${owner}`).set('Authorization', dana);
        expect(res.status).toBe(200);
        expect(res.body.totalMonthlySavingUsd).toBe(45);
        expect(res.body.items).toEqual([
          expect.objectContaining({
            resourceId: id, resourceName: 'rs-db', owner, kind: 'oversized', action: 'resize', currentSize: 'medium',
            recommendedSize: 'small', monthlySavingUsd: 45,
            message: 'medium -> small saves $45.00/month: peak 3 of 25 connections over 7 days',
          }),
        ]);
        const byId = await request(server).get(`${base}/recommendations?resourceId=${id}`).set('Authorization', dana);
        expect(byId.body.items).toHaveLength(1);
        const other = await request(server).get(`${base}/recommendations?owner=group:default/payments-team`).set('Authorization', dana);
        expect(other.body.items).toEqual([]);
        expect((await request(server).get(`${base}/recommendations?resourceId=nope`).set('Authorization', dana)).status).toBe(400);
        // recommendations never act: the resource is still medium
        expect((await request(server).get(`${base}/resources/${id}`).set('Authorization', dana)).body.parameters.size).toBe('medium');
      } finally {
        await backend.stop();
      }
    });
  });
});
