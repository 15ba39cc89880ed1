import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  adminQuery,
  countingPostgresDriver,
  createStoreDatabase,
  postgresqlType,
  reliabilityPrefix,
} from '../__testUtils__/postgres';
import { startProvisioningTestBackend, waitFor } from '../__testUtils__/testBackend';

jest.setTimeout(90_000);

const dana = mockCredentials.user.header('user:default/dana');
const base = '/api/provisioning/v1';

/**
 * Reliability (b) against the real PostgreSQL server with the real postgres driver:
 * two backend instances on one database provision 100 requests exactly once each.
 */
describe('reliability on PostgreSQL', () => {
  const prefix = reliabilityPrefix();

  it('(b) two instances on one database provision 100 requests exactly once each', async () => {
    const knex = await createStoreDatabase(prefix);
    const a = countingPostgresDriver();
    const b = countingPostgresDriver();
    const reconciler = { sweepInterval: 100, leaseDuration: 10_000, operationTimeout: 30_000 };
    const one = await startProvisioningTestBackend({ knex, driver: a.driver, types: [postgresqlType], reconciler });
    const two = await startProvisioningTestBackend({ knex, driver: b.driver, types: [postgresqlType], reconciler });
    try {
      const names = Array.from({ length: 100 }, (_, i) => `${prefix}-b-${i}`);
      const created = await Promise.all(
        names.map((name, i) =>
          request(i % 2 ? one.server : two.server)
            .post(`${base}/resources`)
            .set('Authorization', dana)
            .send({ name, type: 'postgresql', owner: 'group:default/orders-team', parameters: { size: 'small' } }),
        ),
      );
      expect(created.map(r => r.status)).toEqual(names.map(() => 201));
      const ids = created.map(r => r.body.id as string);

      const list = await waitFor(
        () => request(one.server).get(`${base}/resources?limit=500&type=postgresql`).set('Authorization', dana),
        res => res.body.items.filter((r: any) => ids.includes(r.id) && r.state === 'ready').length === 100,
        60_000,
      );
      const mine = list.body.items.filter((r: any) => ids.includes(r.id));
      expect(mine.filter((r: any) => r.state !== 'ready')).toEqual([]);

      // exactly one driver create per resource, across both instances
      for (const id of ids) {
        expect((a.creates.get(id) ?? 0) + (b.creates.get(id) ?? 0)).toBe(1);
      }
      expect(a.creates.size).toBeGreaterThan(0);
      expect(b.creates.size).toBeGreaterThan(0);
      // one provisioning transition per resource in the event log
      const rows = await knex('provisioning_events')
        .whereIn('resource_id', ids)
        .where({ to_state: 'provisioning' })
        .count({ c: '*' });
      expect(Number(rows[0].c)).toBe(100);
      // and on the server: one database and one role per resource
      const like = `${prefix.replace(/-/g, '_')}_b_%`;
      const dbs = await adminQuery('SELECT datname FROM pg_database WHERE datname LIKE $1', [like]);
      const roles = await adminQuery('SELECT rolname FROM pg_roles WHERE rolname LIKE $1', [like]);
      expect(dbs).toHaveLength(100);
      expect(roles).toHaveLength(100);
    } finally {
      await one.stop();
      await two.stop();
      await a.driver.close();
      await b.driver.close();
      await knex.destroy();
    }
  });

});
