import { TestDatabases, mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { MemoryDriver } from '../__testUtils__/MemoryDriver';
import { startProvisioningTestBackend, waitFor } from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const dana = mockCredentials.user.header('user:default/dana');
const alex = mockCredentials.user.header('user:default/alex');
const base = '/api/provisioning/v1';
const owner = 'group:default/orders-team';

describe('inventory: filters, repair and accept (issue 13, item 7)', () => {
  const databases = TestDatabases.create();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let server: any;
    let backend: { stop(): Promise<void> };
    let driver: MemoryDriver;

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      driver = new MemoryDriver();
      const started = await startProvisioningTestBackend({
        knex,
        driver,
        reconciler: { operationTimeout: 10_000 },
        entities: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: { name: 'orders-api', namespace: 'default' },
            spec: { type: 'service', owner, lifecycle: 'production' },
          },
        ],
      });
      server = started.server;
      backend = started;
    });

    afterAll(async () => {
      await backend?.stop();
    });

    const get = (id: string) => request(server).get(`${base}/resources/${id}`).set('Authorization', dana);
    const inventory = (query = '', auth = dana) =>
      request(server).get(`${base}/inventory${query}`).set('Authorization', auth);
    const create = async (body: object, auth = dana) => {
      const res = await request(server).post(`${base}/resources`).set('Authorization', auth).send(body);
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const until = async (id: string, ok: (r: any) => boolean) => {
      const res = await waitFor(() => get(id), r => ok(r.body), 15_000);
      expect(ok(res.body)).toBe(true);
      return res.body;
    };

    it('lists everything with the filters drifted, failed, awaiting approval, orphaned and expensive', async () => {
      const ok = await create({ type: 'memdb', name: 'inv-ok', owner, entityRef: 'component:default/orders-api', parameters: { size: 'medium' } });
      const orphan = await create({ type: 'memdb', name: 'inv-orphan', owner, entityRef: 'component:default/gone-api' });
      const waiting = await create({ type: 'memdb', name: 'inv-waiting', owner, parameters: { size: 'large' } });
      const big = await create({ type: 'memdb', name: 'inv-big', owner: 'group:default/platform-team', parameters: { size: 'large' } }, alex);
      driver.failures.set('inv-broken', { times: 1, message: 'no capacity', permanent: true });
      // (memdb allows 3 per owner)
      const broken = await create({ type: 'memdb', name: 'inv-broken', owner: 'group:default/platform-team' }, alex);
      for (const id of [ok, orphan, big]) await until(id, r => r.state === 'ready');
      await until(broken, r => r.state === 'failed');
      driver.existing.set('inv-ok', { size: 'small', version: '16' });
      await until(ok, r => r.drifted);

      const all = await inventory();
      expect(all.status).toBe(200);
      expect(all.body.catalogChecked).toBe(true);
      expect(all.body.expensiveMonthlyUsd).toBe(100);
      expect(all.body.counts).toEqual({ all: 5, drifted: 1, failed: 1, 'awaiting-approval': 1, orphaned: 1, expensive: 1 });
      const byName = Object.fromEntries(all.body.items.map((i: any) => [i.resource.name, i]));
      expect(byName['inv-ok']).toMatchObject({ size: 'medium', monthlyCostUsd: 60, flags: ['drifted'] });
      expect(byName['inv-orphan']).toMatchObject({
        flags: ['orphaned'],
        orphanReasons: ['component:default/gone-api, which it belongs to, is not in the catalog'],
      });
      expect(byName['inv-waiting'].flags).toEqual(['awaiting-approval']);
      expect(byName['inv-big']).toMatchObject({ monthlyCostUsd: 240, flags: ['expensive'] });
      expect(byName['inv-broken'].flags).toEqual(['failed']);

      const drifted = await inventory('?filter=drifted');
      expect(drifted.body.items.map((i: any) => i.resource.id)).toEqual([ok]);
      expect((await inventory('?filter=orphaned')).body.items.map((i: any) => i.resource.id)).toEqual([orphan]);
      expect((await inventory('?filter=expensive')).body.items.map((i: any) => i.resource.id)).toEqual([big]);
      expect((await inventory('?filter=failed')).body.items.map((i: any) => i.resource.id)).toEqual([broken]);
      expect((await inventory('?filter=awaiting-approval')).body.items.map((i: any) => i.resource.id)).toEqual([waiting]);
      expect((await inventory('?owner=group:default/platform-team')).body.counts.all).toBe(2);
      // Paged, in the order owner, type, name.
      const names = all.body.items.map((i: any) => i.resource.name);
      expect(all.body).toMatchObject({ totalItems: 5, offset: 0, limit: 100 });
      const page2 = await inventory('?offset=2&limit=2');
      expect(page2.body).toMatchObject({ totalItems: 5, offset: 2, limit: 2, counts: { all: 5 } });
      expect(page2.body.items.map((i: any) => i.resource.name)).toEqual(names.slice(2, 4));
      expect((await inventory('?offset=4&limit=2')).body.items.map((i: any) => i.resource.name)).toEqual(names.slice(4));
      expect((await inventory('?filter=failed&offset=1')).body).toMatchObject({ items: [], totalItems: 1 });
      const tooMany = await inventory('?limit=501');
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.error.message).toBe('limit must be an integer from 1 to 500');
      expect((await inventory('?limit=0')).status).toBe(400);
      expect((await inventory('?offset=-1')).status).toBe(400);
      expect((await inventory('?filter=cheap')).status).toBe(400);
      expect((await request(server).get(`${base}/inventory`)).status).toBe(401);
    });

    it('repairs a drifted resource through the driver: platform team only, audited in the events', async () => {
      const { body } = await inventory('?filter=drifted');
      const id = body.items[0].resource.id as string;
      const denied = await request(server).post(`${base}/resources/${id}/repair`).set('Authorization', dana);
      expect(denied.status).toBe(403);
      expect(denied.body.error.message).toMatch(/platform team/);
      const res = await request(server).post(`${base}/resources/${id}/repair`).set('Authorization', alex);
      expect(res.status).toBe(200);
      expect(res.body.state).toBe('updating');
      await until(id, r => r.state === 'ready' && !r.drifted);
      expect(driver.existing.get('inv-ok')).toMatchObject({ size: 'medium' });
      const events = (await request(server).get(`${base}/resources/${id}/events`).set('Authorization', dana)).body.items;
      expect(events).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ type: 'repair-requested', actor: 'user:default/alex' }),
        ]),
      );
      // no longer drifted: nothing to repair
      expect((await request(server).post(`${base}/resources/${id}/repair`).set('Authorization', alex)).status).toBe(409);
    });

    it('accepts a drift by adopting what the driver observes as the declared state', async () => {
      const id = (await inventory('?filter=expensive', alex)).body.items[0].resource.id as string;
      expect((await get(id)).body.parameters.size).toBe('large');
      driver.existing.set('inv-big', { size: 'small', version: '16' });
      await until(id, r => r.drifted);
      expect((await request(server).post(`${base}/resources/${id}/accept-drift`).set('Authorization', dana)).status).toBe(403);
      const res = await request(server).post(`${base}/resources/${id}/accept-drift`).set('Authorization', alex);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ state: 'ready', drifted: false, parameters: { size: 'small' }, monthlyCostUsd: 15 });
      const events = (await request(server).get(`${base}/resources/${id}/events`).set('Authorization', alex)).body.items;
      expect(events).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ type: 'drift-accepted', actor: 'user:default/alex' }),
        ]),
      );
      // the driver is not called to change anything
      expect(driver.existing.get('inv-big')).toMatchObject({ size: 'small' });
    });

    it('refuses to accept a resource that is gone, and re-creates it on repair', async () => {
      const id = (await inventory('?filter=orphaned')).body.items[0].resource.id as string;
      driver.existing.delete('inv-orphan');
      await until(id, r => r.drifted);
      const accept = await request(server).post(`${base}/resources/${id}/accept-drift`).set('Authorization', alex);
      expect(accept.status).toBe(409);
      expect(accept.body.error.message).toMatch(/Nothing exists to adopt/);
      expect((await request(server).post(`${base}/resources/${id}/repair`).set('Authorization', alex)).status).toBe(200);
      await until(id, r => r.state === 'ready' && !r.drifted);
      expect(driver.existing.has('inv-orphan')).toBe(true);
    });
  });
});
