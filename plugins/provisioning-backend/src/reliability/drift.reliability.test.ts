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
 * Reliability (c) against the real PostgreSQL server with the real postgres driver:
 * a database dropped behind the portal's back is reported as drifted within one interval.
 */
describe('reliability on PostgreSQL', () => {
  const prefix = reliabilityPrefix();

  it('(c) reports a database dropped behind its back as drifted within one interval', async () => {
    const knex = await createStoreDatabase(prefix);
    const { driver } = countingPostgresDriver();
    const intervalMs = 2000;
    const backend = await startProvisioningTestBackend({
      knex,
      driver,
      types: [postgresqlType],
      reconciler: { driftCheckInterval: intervalMs, sweepInterval: 200 },
    });
    try {
      const name = `${prefix}-c`;
      const res = await request(backend.server)
        .post(`${base}/resources`)
        .set('Authorization', dana)
        .send({ name, type: 'postgresql', owner: 'group:default/orders-team' });
      expect(res.status).toBe(201);
      const get = () => request(backend.server).get(`${base}/resources/${res.body.id}`).set('Authorization', dana);
      const ready = await waitFor(get, r => r.body.state === 'ready', 20_000);
      expect(ready.body.state).toBe('ready');
      // let one drift check pass on the healthy database
      await new Promise(r => setTimeout(r, intervalMs));
      expect((await get()).body.drifted).toBe(false);

      const dbName = name.replace(/-/g, '_');
      await adminQuery(`DROP DATABASE "${dbName}" WITH (FORCE)`);
      const droppedAt = Date.now();
      const drifted = await waitFor(get, r => r.body.drifted === true, 3 * intervalMs);
      const detectedAfterMs = Date.now() - droppedAt;
      expect(drifted.body).toMatchObject({ state: 'ready', drifted: true });
      // within one drift-check interval (plus this test's 100 ms polling and request latency)
      expect(detectedAfterMs).toBeLessThanOrEqual(intervalMs + 500);
      // a readable reason; once the drop has finished the server reports the database missing
      expect(drifted.body.reason).toMatch(/^(Missing from the infrastructure|Drifted): ./);
      const missing = await waitFor(get, r => /^Missing from the infrastructure/.test(r.body.reason), 3 * intervalMs);
      expect(missing.body.reason).toMatch(/^Missing from the infrastructure: .*database/i);
      const events = await request(backend.server).get(`${base}/resources/${res.body.id}/events`).set('Authorization', dana);
      expect(events.body.items.filter((e: any) => e.type === 'drift-detected').length).toBeGreaterThanOrEqual(1);
    } finally {
      await backend.stop();
      await driver.close();
      await knex.destroy();
    }
  });
});
