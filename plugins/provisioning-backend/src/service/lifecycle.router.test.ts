import { TestDatabases, mockCredentials } from '@backstage/backend-test-utils';
import type { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import request from 'supertest';
import { MemoryDriver } from '../__testUtils__/MemoryDriver';
import { startProvisioningTestBackend, waitFor } from '../__testUtils__/testBackend';

jest.setTimeout(90_000);

const dana = mockCredentials.user.header('user:default/dana');
const pat = mockCredentials.user.header('user:default/pat');
const alex = mockCredentials.user.header('user:default/alex');
const base = '/api/provisioning/v1';
const owner = 'group:default/orders-team';

const types = [
  {
    id: 'memdb',
    title: 'Memory DB',
    description: 'test',
    driver: 'memory',
    entityType: 'database',
    parameters: {
      type: 'object',
      additionalProperties: false,
      properties: {
        size: { type: 'string', enum: ['small', 'medium', 'large'], default: 'small' },
      },
    },
    pricing: { small: 15, medium: 60, large: 240 },
    policy: { approvalRequiredForSizes: ['large'] },
  },
];

describe('provisioning lifecycle (issue 10)', () => {
  const databases = TestDatabases.create();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let server: any;
    let backend: { stop(): Promise<void> };
    let driver: MemoryDriver;
    const sent: NotificationSendOptions[] = [];
    const suffix = databaseId.toLowerCase().replace(/[^a-z0-9]/g, '');

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      driver = new MemoryDriver();
      driver.naming = { label: 'Memory', reserved: ['postgres', 'public'], reservedPrefixes: ['pg-'] };
      const started = await startProvisioningTestBackend({
        knex,
        driver,
        types,
        // room for the slow driver calls below on a busy machine
        reconciler: { operationTimeout: 10_000 },
        notifications: { send: async n => void sent.push(n) },
        entities: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: { name: 'orders-api', namespace: 'default', title: 'Orders API' },
            spec: { type: 'service', owner, lifecycle: 'production', dependsOn: [`resource:default/deps-${suffix}`] },
            relations: [{ type: 'dependsOn', targetRef: `resource:default/deps-${suffix}` }],
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
    const create = (body: object, auth = dana) =>
      request(server).post(`${base}/resources`).set('Authorization', auth).send(body);
    const del = (id: string, auth = dana, force = false) =>
      request(server).delete(`${base}/resources/${id}${force ? '?force=true' : ''}`).set('Authorization', auth);
    const untilState = async (id: string, state: string) => {
      const res = await waitFor(() => get(id), r => r.body.state === state, 10_000);
      expect(res.body.state).toBe(state);
      return res.body;
    };
    const totals = async () =>
      (await request(server).get(`${base}/resources?owner=${owner}`).set('Authorization', dana)).body.totals;

    it('shows and enforces the driver naming rules in types, estimates and requests', async () => {
      const typesRes = await request(server).get(`${base}/types`).set('Authorization', dana);
      expect(typesRes.body.items[0].naming).toEqual({
        pattern: '^(?!pg-)[a-z](?:[-a-z0-9]{0,38}[a-z0-9])?$',
        maxLength: 40,
        reserved: ['postgres', 'public'],
        description: expect.stringContaining('not postgres or public'),
      });
      const est = await request(server).post(`${base}/estimates`).set('Authorization', dana).send({ type: 'memdb', name: 'postgres' });
      expect(est.status).toBe(400);
      expect(est.body.error.message).toBe("The name 'postgres' is reserved by the Memory driver; choose another one");
      const okEst = await request(server).post(`${base}/estimates`).set('Authorization', dana).send({ type: 'memdb', name: 'fine-name' });
      expect(okEst.status).toBe(200);
      expect(okEst.body.approval).toEqual({ required: false });
      const res = await create({ name: 'postgres', type: 'memdb', owner });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/reserved by the Memory driver/);
      // no stack traces outside development
      expect(res.body.error.stack).toBeUndefined();
      const prefixed = await create({ name: 'pg-stats', type: 'memdb', owner });
      expect(prefixed.status).toBe(400);
      expect(prefixed.body.error.message).toMatch(/starts with 'pg-'/);
    });

    it('deletes a resource in every state, including a create the driver refused', async () => {
      // failed create: the driver refuses the name (the API check bypassed: the driver has no rule for it)
      const refused = `refused-${suffix}`;
      driver.refused.add(refused);
      const r1 = await create({ name: refused, type: 'memdb', owner });
      const failed = await untilState(r1.body.id, 'failed');
      expect(failed).toMatchObject({ billable: false, monthlyCostUsd: 0 });
      expect(failed.reason).toMatch(/reserved by the memory driver/);
      expect(await totals()).toEqual([]);
      const d1 = await del(r1.body.id);
      expect(d1.status).toBe(202);
      await untilState(r1.body.id, 'deleted');
      expect((await create({ name: refused, type: 'memdb', owner })).status).toBe(201); // the name is free again
      driver.refused.delete(refused);

      // awaiting approval: nothing was created
      const r2 = await create({ name: `waiting-${suffix}`, type: 'memdb', owner, parameters: { size: 'large' } });
      expect(r2.body.state).toBe('awaiting-approval');
      expect((await del(r2.body.id)).body.state).toBe('deleted');

      // provisioning (slow driver), ready, updating
      const slow = `slow-${suffix}`;
      driver.delays.set(slow, 1500);
      const r3 = await create({ name: slow, type: 'memdb', owner });
      await untilState(r3.body.id, 'provisioning');
      expect((await del(r3.body.id)).status).toBe(202);
      await untilState(r3.body.id, 'deleted');
      expect(driver.existing.has(slow)).toBe(false);

      const r4 = await create({ name: `upd-${suffix}`, type: 'memdb', owner });
      await untilState(r4.body.id, 'ready');
      driver.delays.set(`upd-${suffix}`, 1500);
      await request(server).patch(`${base}/resources/${r4.body.id}`).set('Authorization', dana).send({ parameters: { size: 'medium' } });
      expect((await get(r4.body.id)).body.state).toBe('updating');
      expect((await del(r4.body.id)).status).toBe(202);
      await untilState(r4.body.id, 'deleted');

      // already deleted: 409
      const again = await del(r4.body.id);
      expect(again.status).toBe(409);

      // a delete that keeps failing: failed with the reason, retried, then gone
      const stuck = `stuck-${suffix}`;
      const r5 = await create({ name: stuck, type: 'memdb', owner });
      await untilState(r5.body.id, 'ready');
      driver.failures.set(stuck, { times: 3, message: 'server unreachable' });
      await del(r5.body.id);
      const failedDelete = await untilState(r5.body.id, 'failed');
      expect(failedDelete.reason).toBe('delete failed after 3 attempts: server unreachable');
      expect(failedDelete.billable).toBe(true); // it still exists
      expect((await request(server).post(`${base}/resources/${r5.body.id}/retry`).set('Authorization', dana)).status).toBe(200);
      const gone = await untilState(r5.body.id, 'deleted');
      expect(gone).toMatchObject({ billable: false, monthlyCostUsd: 0 });
      const open = await request(server).get(`${base}/resources?owner=${owner}`).set('Authorization', dana);
      for (const r of open.body.items) {
        await del(r.id);
        await untilState(r.id, 'deleted');
      }
      expect(await totals()).toEqual([]);
    });

    it('lets approvers force-remove a record without calling the driver (audited)', async () => {
      const name = `force-${suffix}`;
      const r = await create({ name, type: 'memdb', owner });
      await untilState(r.body.id, 'ready');
      const forbidden = await del(r.body.id, dana, true);
      expect(forbidden.status).toBe(403);
      const calls = driver.calls.length;
      const forced = await del(r.body.id, alex, true);
      expect(forced.status).toBe(202);
      expect(forced.body).toMatchObject({ state: 'deleted', billable: false, reason: 'Force-removed by user:default/alex without calling the driver' });
      expect(driver.calls.slice(calls).filter(c => c.name === name)).toEqual([]);
      const events = await request(server).get(`${base}/resources/${r.body.id}/events`).set('Authorization', dana);
      expect(events.body.items.at(-1)).toMatchObject({ type: 'force-removed', actor: 'user:default/alex', toState: 'deleted' });
      driver.existing.delete(name);
    });

    it('keeps a resource serving while an update awaits approval; withdraw, approvals inbox, notifications', async () => {
      const name = `resize-${suffix}`;
      const r = await create({ name, type: 'memdb', owner });
      await untilState(r.body.id, 'ready');
      sent.length = 0;
      const upd = await request(server).patch(`${base}/resources/${r.body.id}`).set('Authorization', dana).send({ parameters: { size: 'large' } });
      expect(upd.body).toMatchObject({ state: 'ready', pendingChange: { monthlyCostUsd: 240, changes: [{ key: 'size', from: 'small', to: 'large' }] } });
      // credentials stay available
      expect((await request(server).get(`${base}/resources/${r.body.id}/credentials`).set('Authorization', dana)).status).toBe(200);
      expect(sent).toEqual([
        expect.objectContaining({
          recipients: expect.objectContaining({ type: 'entity', entityRef: 'group:default/platform-team' }),
          payload: expect.objectContaining({ link: '/provisioning/approvals', title: `memdb/${name} waits for approval` }),
        }),
      ]);

      expect((await request(server).get(`${base}/approvals`).set('Authorization', dana)).status).toBe(403);
      const inbox = await request(server).get(`${base}/approvals`).set('Authorization', alex);
      expect(inbox.body.items.map((i: any) => i.id)).toContain(r.body.id);

      // withdraw: stays ready, nothing pending, then 409
      const w = await request(server).post(`${base}/resources/${r.body.id}/withdraw`).set('Authorization', dana);
      expect(w.status).toBe(200);
      expect(w.body.state).toBe('ready');
      expect(w.body.pendingChange).toBeUndefined();
      expect((await request(server).post(`${base}/resources/${r.body.id}/withdraw`).set('Authorization', dana)).status).toBe(409);
      expect((await request(server).post(`${base}/resources/${r.body.id}/withdraw`).set('Authorization', pat)).status).toBe(403);

      // request again, approve: applied, owner notified
      await request(server).patch(`${base}/resources/${r.body.id}`).set('Authorization', dana).send({ parameters: { size: 'large' } });
      sent.length = 0;
      const blank = await request(server).post(`${base}/resources/${r.body.id}/reject`).set('Authorization', alex).send({ reason: '   ' });
      expect(blank.status).toBe(400);
      const ok = await request(server).post(`${base}/resources/${r.body.id}/approve`).set('Authorization', alex).send({ reason: 'fine' });
      expect(ok.body).toMatchObject({ state: 'updating', parameters: { size: 'large' } });
      const ready = await untilState(r.body.id, 'ready');
      expect(ready).toMatchObject({ monthlyCostUsd: 240 });
      expect(driver.existing.get(name)).toEqual({ size: 'large' });
      expect(sent.map(n => [n.recipients, n.payload.title])).toEqual([
        [{ type: 'entity', entityRef: owner }, `memdb/${name}: approved`],
      ]);
      const events = await request(server).get(`${base}/resources/${r.body.id}/events`).set('Authorization', dana);
      expect(events.body.items.map((e: any) => e.type)).toEqual(
        expect.arrayContaining(['update-requested', 'withdrawn', 'approved']),
      );

      // a create awaiting approval can be withdrawn
      const big = await create({ name: `big-${suffix}`, type: 'memdb', owner, parameters: { size: 'large' } });
      const wc = await request(server).post(`${base}/resources/${big.body.id}/withdraw`).set('Authorization', dana);
      expect(wc.body.state).toBe('deleted');
      await del(r.body.id);
      await untilState(r.body.id, 'deleted');
    });

    it('answers the same resource for the same Idempotency-Key and 409 for another body', async () => {
      const body = { name: `idem-${suffix}`, type: 'memdb', owner };
      const key = `key-${suffix}`;
      const first = await create(body).set('Idempotency-Key', key);
      expect(first.status).toBe(201);
      const second = await create(body).set('Idempotency-Key', key);
      expect(second.status).toBe(200);
      expect(second.body.id).toBe(first.body.id);
      const other = await create({ ...body, parameters: { size: 'medium' } }).set('Idempotency-Key', key);
      expect(other.status).toBe(409);
      // keys are per principal
      const pats = await create({ ...body, owner: 'group:default/payments-team' }, pat).set('Idempotency-Key', key);
      expect(pats.status).toBe(409); // same name: a conflict of names, not of keys
      expect(pats.body.error.message).toMatch(/already exists/);
      await untilState(first.body.id, 'ready');
      await del(first.body.id);
      await untilState(first.body.id, 'deleted');
    });

    it('waits for drivers that answer pending without failing attempts', async () => {
      const name = `pending-${suffix}`;
      driver.pendingApplies.set(name, 3);
      const r = await create({ name, type: 'memdb', owner });
      const ready = await untilState(r.body.id, 'ready');
      expect(ready.billable).toBe(true);
      const events = await request(server).get(`${base}/resources/${r.body.id}/events`).set('Authorization', dana);
      expect(events.body.items.some((e: any) => e.type === 'attempt-failed')).toBe(false);
      expect(driver.calls.filter(c => c.name === name).length).toBe(4);
      await del(r.body.id);
      await untilState(r.body.id, 'deleted');
    });

    it('lists the catalog entities that depend on a resource', async () => {
      const r = await create({ name: `deps-${suffix}`, type: 'memdb', owner });
      const deps = await request(server).get(`${base}/resources/${r.body.id}/dependents`).set('Authorization', dana);
      expect(deps.body).toEqual({
        items: [{ entityRef: 'component:default/orders-api', kind: 'Component', title: 'Orders API' }],
      });
      await untilState(r.body.id, 'ready');
      await del(r.body.id);
      await untilState(r.body.id, 'deleted');
    });
  });
});
