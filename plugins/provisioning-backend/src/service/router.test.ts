import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { MemoryDriver } from '../__testUtils__/MemoryDriver';
import { startProvisioningTestBackend } from '../__testUtils__/testBackend';

jest.setTimeout(60_000);

const dana = mockCredentials.user.header('user:default/dana');
const pat = mockCredentials.user.header('user:default/pat');
const alex = mockCredentials.user.header('user:default/alex');
const base = '/api/provisioning/v1';

async function waitFor<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > end) return v;
    await new Promise(r => setTimeout(r, 50));
  }
}

describe('provisioning API', () => {
  const databases = TestDatabases.create();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let server: any;
    let backend: { stop(): Promise<void> };
    let driver: MemoryDriver;
    const suffix = databaseId.toLowerCase().replace(/[^a-z0-9]/g, '');

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      driver = new MemoryDriver();
      const started = await startProvisioningTestBackend({ knex, driver });
      server = started.server;
      backend = started;
    });

    afterAll(async () => {
      await backend?.stop();
    });

    const get = (id: string) =>
      request(server).get(`${base}/resources/${id}`).set('Authorization', dana);
    const create = (body: unknown, auth = dana) =>
      request(server).post(`${base}/resources`).set('Authorization', auth).send(body as object);
    const untilState = async (id: string, state: string) => {
      const res = await waitFor(() => get(id), r => r.body.state === state);
      expect(res.body.state).toBe(state);
      return res.body;
    };

    it('lists the types whose driver is installed and estimates cost', async () => {
      const types = await request(server).get(`${base}/types`).set('Authorization', dana);
      expect(types.status).toBe(200);
      expect(types.body.items.map((t: any) => t.id)).toEqual(['memdb', 'selfheal']);

      const est = await request(server)
        .post(`${base}/estimates`)
        .set('Authorization', dana)
        .send({ type: 'memdb', parameters: { size: 'large' } });
      expect(est.body).toEqual({
        type: 'memdb',
        size: 'large',
        monthlyCostUsd: 240,
        currency: 'USD',
        requiresApproval: true,
        approvers: 'group:default/platform-team',
        approval: { required: true, reason: "Size 'large' needs approval by group:default/platform-team" },
      });
      const small = await request(server)
        .post(`${base}/estimates`)
        .set('Authorization', dana)
        .send({ type: 'memdb', parameters: {} });
      expect(small.body).toMatchObject({ size: 'small', monthlyCostUsd: 15, requiresApproval: false });
    });

    it('provisions, reveals credentials to owners only, updates and deletes', async () => {
      const name = `orders-db-${suffix}`;
      const res = await create({ name, type: 'memdb', owner: 'group:default/orders-team', entityRef: 'component:default/orders-api', parameters: { size: 'small' } });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ name, state: expect.stringMatching(/requested|provisioning/), monthlyCostUsd: 0, billable: false, parameters: { size: 'small', version: '16' }, createdBy: 'user:default/dana' });
      const id = res.body.id;
      const ready = await untilState(id, 'ready');
      // billed only from ready
      expect(ready).toMatchObject({ billable: true, monthlyCostUsd: 15 });
      expect(ready.outputs).toEqual({ host: 'memory.local', name });
      expect(JSON.stringify(ready)).not.toContain('s3cret');

      const creds = await request(server).get(`${base}/resources/${id}/credentials`).set('Authorization', dana);
      expect(creds.status).toBe(200);
      expect(creds.body).toEqual({ url: `memory://${name}:pw-${name}-s3cret@memory.local`, values: { password: `pw-${name}-s3cret` } });
      const denied = await request(server).get(`${base}/resources/${id}/credentials`).set('Authorization', pat);
      expect(denied.status).toBe(403);
      expect(denied.body.error.name).toBe('NotAllowedError');
      expect(JSON.stringify(denied.body)).not.toContain('s3cret');
      const approverDenied = await request(server).get(`${base}/resources/${id}/credentials`).set('Authorization', alex);
      expect(approverDenied.status).toBe(403);

      // non-owners can read but not change
      expect((await request(server).get(`${base}/resources/${id}`).set('Authorization', pat)).status).toBe(200);
      const patch403 = await request(server).patch(`${base}/resources/${id}`).set('Authorization', pat).send({ parameters: { size: 'medium' } });
      expect(patch403.status).toBe(403);
      expect(patch403.body.error.message).toBe(
        `You may not update memdb/${name}: only members of group:default/orders-team (or group:default/platform-team) may`,
      );
      const delete403 = await request(server).delete(`${base}/resources/${id}`).set('Authorization', pat);
      expect(delete403.status).toBe(403);
      expect((await get(id)).body.state).toBe('ready');

      const upd = await request(server).patch(`${base}/resources/${id}`).set('Authorization', dana).send({ parameters: { size: 'medium' } });
      expect(upd.status).toBe(200);
      expect(upd.body).toMatchObject({ parameters: { size: 'medium', version: '16' }, monthlyCostUsd: 60 });
      await untilState(id, 'ready');
      expect(driver.existing.get(name)).toEqual({ size: 'medium', version: '16' });

      const del = await request(server).delete(`${base}/resources/${id}`).set('Authorization', dana);
      expect(del.status).toBe(202);
      expect(del.body.state).toMatch(/deleting|deleted/);
      await untilState(id, 'deleted');
      expect(driver.existing.has(name)).toBe(false);

      const events = await request(server).get(`${base}/resources/${id}/events`).set('Authorization', dana);
      const transitions = events.body.items.filter((e: any) => e.toState).map((e: any) => `${e.fromState ?? ''}>${e.toState}`);
      expect(transitions).toEqual(['>requested', 'requested>provisioning', 'provisioning>ready', 'ready>updating', 'updating>ready', 'ready>deleting', 'deleting>deleted']);
      expect(events.body.items[0]).toMatchObject({ actor: 'user:default/dana', type: 'created' });
      expect(JSON.stringify(events.body)).not.toContain('s3cret');

      // the name is free again after deletion
      const again = await create({ name, type: 'memdb', owner: 'group:default/orders-team' });
      expect(again.status).toBe(201);
      await untilState(again.body.id, 'ready');
      await request(server).delete(`${base}/resources/${again.body.id}`).set('Authorization', dana);
      await untilState(again.body.id, 'deleted');
    });

    it('rejects bad input with a clear 4xx and creates nothing', async () => {
      const before = await request(server).get(`${base}/resources?includeDeleted=true&limit=500`).set('Authorization', alex);
      const cases: [unknown, number, RegExp][] = [
        [{ name: 'Bad_Name', type: 'memdb', owner: 'group:default/orders-team' }, 400, /name/],
        [{ name: 'x; drop database postgres', type: 'memdb', owner: 'group:default/orders-team' }, 400, /name/],
        [{ name: `a${'b'.repeat(40)}`, type: 'memdb', owner: 'group:default/orders-team' }, 400, /name/],
        [{ name: 'ok-name', type: 'nope', owner: 'group:default/orders-team' }, 400, /Unknown resource type 'nope'/],
        [{ name: 'ok-name', type: 'nodriver', owner: 'group:default/orders-team' }, 400, /Unknown resource type/],
        [{ name: 'ok-name', type: 'memdb', owner: 'group:default/orders-team', parameters: { size: 'huge' } }, 400, /parameters\.size must be equal to one of the allowed values \(small, medium, large\)/],
        [{ name: 'ok-name', type: 'memdb', owner: 'group:default/orders-team', parameters: { size: 'small', extra: 1 } }, 400, /must NOT have additional properties \('extra'\)/],
        [{ name: 'ok-name', type: 'memdb', owner: 'group:default/ghosts' }, 400, /Owner group 'group:default\/ghosts' does not exist in the catalog/],
        [{ name: 'ok-name', type: 'memdb', owner: 'group:default/payments-team' }, 403, /you are not a member of group:default\/payments-team/],
        [{ name: 'ok-name', type: 'memdb', owner: 'user:default/dana' }, 400, /must be a group/],
        [{ name: 'ok-name', type: 'memdb', owner: 'group:default/orders-team', unknown: true }, 400, /additional properties/],
        [{ type: 'memdb', owner: 'group:default/orders-team' }, 400, /name/],
      ];
      for (const [body, status, message] of cases) {
        const res = await create(body);
        expect({ body, status: res.status }).toEqual({ body, status });
        expect(res.body.error.message).toMatch(message);
        expect(res.body.response.statusCode).toBe(status);
      }
      // unknown owner as an approver (who may request for any group) -> 400 from the catalog check
      const ghost = await create({ name: 'ok-name', type: 'memdb', owner: 'group:default/ghosts' }, alex);
      expect(ghost.status).toBe(400);
      expect(ghost.body.error.message).toMatch(/Owner group 'group:default\/ghosts' does not exist/);

      const proto = await request(server)
        .post(`${base}/resources`)
        .set('Authorization', dana)
        .set('Content-Type', 'application/json')
        .send('{"name":"proto-x","type":"memdb","owner":"group:default/orders-team","parameters":{"__proto__":{"admin":true}}}');
      expect(proto.status).toBe(400);
      expect(proto.body.error.message).toMatch(/__proto__/);

      const big = await create({ name: 'big-one', type: 'memdb', owner: 'group:default/orders-team', parameters: { size: 'x'.repeat(20_000) } });
      expect(big.status).toBe(400);
      expect(big.body.error.message).toMatch(/too large/i);

      const anon = await request(server).post(`${base}/resources`).send({ name: 'anon-x', type: 'memdb', owner: 'group:default/orders-team' });
      expect(anon.status).toBe(401);
      const anonList = await request(server).get(`${base}/resources`);
      expect(anonList.status).toBe(401);

      const notFound = await get('00000000-0000-4000-8000-000000000000');
      expect(notFound.status).toBe(404);
      const badId = await get('not-a-uuid');
      expect(badId.status).toBe(400);

      const after = await request(server).get(`${base}/resources?includeDeleted=true&limit=500`).set('Authorization', alex);
      expect(after.body.items.length).toBe(before.body.items.length);
    });

    it('rejects duplicates with 409 and enforces the quota', async () => {
      const name = `dup-${suffix}`;
      const first = await create({ name, type: 'memdb', owner: 'group:default/payments-team' }, pat);
      expect(first.status).toBe(201);
      const dup = await create({ name, type: 'memdb', owner: 'group:default/payments-team' }, pat);
      expect(dup.status).toBe(409);
      expect(dup.body.error.message).toMatch(/already exists/);
      await create({ name: `${name}-2`, type: 'memdb', owner: 'group:default/payments-team' }, pat);
      await create({ name: `${name}-3`, type: 'memdb', owner: 'group:default/payments-team' }, pat);
      const over = await create({ name: `${name}-4`, type: 'memdb', owner: 'group:default/payments-team' }, pat);
      expect(over.status).toBe(409);
      expect(over.body.error.message).toMatch(/Quota exceeded: group:default\/payments-team already has 3 of at most 3 'memdb'/);

      const mine = await request(server).get(`${base}/resources?owner=group:default/payments-team&limit=10`).set('Authorization', dana);
      for (const r of mine.body.items) await untilState(r.id, 'ready');
      const list = await request(server).get(`${base}/resources?owner=group:default/payments-team&limit=2`).set('Authorization', dana);
      expect(list.status).toBe(200);
      expect(list.body.items).toHaveLength(2);
      expect(list.body.nextCursor).toBeDefined();
      expect(list.body.totals).toEqual([{ owner: 'group:default/payments-team', monthlyCostUsd: 45, count: 3 }]);
      const page2 = await request(server).get(`${base}/resources?owner=group:default/payments-team&limit=2&cursor=${list.body.nextCursor}`).set('Authorization', dana);
      expect(page2.body.items).toHaveLength(1);
      expect(page2.body.nextCursor).toBeUndefined();
      const names = [...list.body.items, ...page2.body.items].map((r: any) => r.name).sort();
      expect(names).toEqual([name, `${name}-2`, `${name}-3`]);
      const badCursor = await request(server).get(`${base}/resources?cursor=zzz`).set('Authorization', dana);
      expect(badCursor.status).toBe(400);
      const badState = await request(server).get(`${base}/resources?state=bogus`).set('Authorization', dana);
      expect(badState.status).toBe(400);
      const byType = await request(server).get(`${base}/resources?type=memdb&state=ready&state=requested&state=provisioning&owner=${encodeURIComponent('group:default/payments-team')}`).set('Authorization', dana);
      expect(byType.body.items.length).toBe(3);
      const byName = await request(server).get(`${base}/resources?type=memdb&name=${name}-2`).set('Authorization', dana);
      expect(byName.body.items.map((r: any) => r.name)).toEqual([`${name}-2`]);
      for (const r of mine.body.items) {
        await request(server).delete(`${base}/resources/${r.id}`).set('Authorization', pat);
        await untilState(r.id, 'deleted');
      }
    });

    it('sends large sizes to approval; only approvers approve or reject', async () => {
      const name = `big-${suffix}`;
      const res = await create({ name, type: 'memdb', owner: 'group:default/orders-team', parameters: { size: 'large' } });
      expect(res.status).toBe(201);
      expect(res.body.state).toBe('awaiting-approval');
      expect(res.body.reason).toMatch(/needs approval by group:default\/platform-team/);
      await new Promise(r => setTimeout(r, 300));
      expect(driver.existing.has(name)).toBe(false);
      const self = await request(server).post(`${base}/resources/${res.body.id}/approve`).set('Authorization', dana).send({});
      expect(self.status).toBe(403);
      expect(self.body.error.message).toBe(
        `You may not approve memdb/${name}: only members of group:default/platform-team may`,
      );
      const ok = await request(server).post(`${base}/resources/${res.body.id}/approve`).set('Authorization', alex).send({ reason: 'budget ok' });
      expect(ok.status).toBe(200);
      await untilState(res.body.id, 'ready');

      // resize to large again needs approval; a rejection keeps it as it was
      const small = await create({ name: `${name}-s`, type: 'memdb', owner: 'group:default/orders-team' });
      await untilState(small.body.id, 'ready');
      const upd = await request(server).patch(`${base}/resources/${small.body.id}`).set('Authorization', dana).send({ parameters: { size: 'large' } });
      // the resource keeps serving: still ready, with a pending change
      expect(upd.body).toMatchObject({
        state: 'ready',
        parameters: { size: 'small' },
        monthlyCostUsd: 15,
        pendingChange: {
          parameters: { size: 'large', version: '16' },
          monthlyCostUsd: 240,
          requestedBy: 'user:default/dana',
          changes: [{ key: 'size', from: 'small', to: 'large' }],
        },
      });
      const rej = await request(server).post(`${base}/resources/${small.body.id}/reject`).set('Authorization', alex).send({ reason: 'too big' });
      expect(rej.body).toMatchObject({ state: 'ready', parameters: { size: 'small' } });
      expect(rej.body.pendingChange).toBeUndefined();
      const noReason = await request(server).post(`${base}/resources/${small.body.id}/reject`).set('Authorization', alex).send({});
      expect(noReason.status).toBe(400);
      const notWaiting = await request(server).post(`${base}/resources/${small.body.id}/approve`).set('Authorization', alex).send({});
      expect(notWaiting.status).toBe(409);
      for (const id of [res.body.id, small.body.id]) {
        await request(server).delete(`${base}/resources/${id}`).set('Authorization', dana);
        await untilState(id, 'deleted');
      }
    });

    it('retries with backoff, fails with the reason and can be retried', async () => {
      const name = `flaky-${suffix}`;
      driver.failures.set(name, { times: 1, message: 'connection refused' });
      const res = await create({ name, type: 'memdb', owner: 'group:default/orders-team' });
      await untilState(res.body.id, 'ready');
      const events = await request(server).get(`${base}/resources/${res.body.id}/events`).set('Authorization', dana);
      expect(events.body.items.some((e: any) => e.type === 'attempt-failed' && /connection refused; retrying in/.test(e.message))).toBe(true);

      const name2 = `broken-${suffix}`;
      driver.failures.set(name2, { times: 3, message: 'quota of the server reached' });
      const res2 = await create({ name: name2, type: 'memdb', owner: 'group:default/orders-team' });
      const failed = await untilState(res2.body.id, 'failed');
      expect(failed.reason).toBe('create failed after 3 attempts: quota of the server reached');
      const retry = await request(server).post(`${base}/resources/${res2.body.id}/retry`).set('Authorization', dana);
      expect(retry.status).toBe(200);
      await untilState(res2.body.id, 'ready');
      for (const id of [res.body.id, res2.body.id]) {
        await request(server).delete(`${base}/resources/${id}`).set('Authorization', dana);
        await untilState(id, 'deleted');
      }
    });

    it('repairs drift when the type says so', async () => {
      const name = `heal-${suffix}`;
      const res = await create({ name, type: 'selfheal', owner: 'group:default/orders-team' });
      await untilState(res.body.id, 'ready');
      driver.existing.delete(name);
      const repaired = await waitFor(
        () => request(server).get(`${base}/resources/${res.body.id}/events`).set('Authorization', dana),
        r => r.body.items.some((e: any) => e.type === 'drift-repaired'),
        8000,
      );
      const types = repaired.body.items.map((e: any) => e.type);
      expect(types).toEqual(expect.arrayContaining(['drift-detected', 'drift-repaired']));
      expect(repaired.body.items.find((e: any) => e.type === 'drift-detected').message).toBe(
        `Missing from the infrastructure: ${name} does not exist`,
      );
      expect(driver.existing.has(name)).toBe(true);
      const after = await untilState(res.body.id, 'ready');
      expect(after.drifted).toBe(false);
      await request(server).delete(`${base}/resources/${res.body.id}`).set('Authorization', dana);
      await untilState(res.body.id, 'deleted');
    });

    it('times out slow driver calls and retries them', async () => {
      const name = `slow-${suffix}`;
      driver.delays.set(name, 5000);
      const res = await create({ name, type: 'memdb', owner: 'group:default/orders-team' });
      const events = await waitFor(
        () => request(server).get(`${base}/resources/${res.body.id}/events`).set('Authorization', dana),
        r => r.body.items.some((e: any) => e.type === 'attempt-failed'),
        5000,
      );
      expect(events.body.items.find((e: any) => e.type === 'attempt-failed').message).toMatch(
        /^Attempt 1 of 3 failed: create of memdb\/slow-.* timed out after 1 s; retrying in 1 s$/,
      );
      driver.delays.delete(name);
      await untilState(res.body.id, 'ready');
      await request(server).delete(`${base}/resources/${res.body.id}`).set('Authorization', dana);
      await untilState(res.body.id, 'deleted');
    });

    it('stores secrets that appear after creation (observe)', async () => {
      const name = `late-${suffix}`;
      const res = await create({ name, type: 'memdb', owner: 'group:default/orders-team' });
      await untilState(res.body.id, 'ready');
      driver.lateSecrets.set(name, { token: 'late-t0ken-value' });
      const creds = await waitFor(
        () => request(server).get(`${base}/resources/${res.body.id}/credentials`).set('Authorization', dana),
        r => r.body.values?.token === 'late-t0ken-value',
        5000,
      );
      expect(creds.body.values).toEqual({ password: `pw-${name}-s3cret`, token: 'late-t0ken-value' });
      const events = await request(server).get(`${base}/resources/${res.body.id}/events`).set('Authorization', dana);
      expect(JSON.stringify(events.body)).not.toContain('late-t0ken');
      driver.lateSecrets.delete(name);
      await request(server).delete(`${base}/resources/${res.body.id}`).set('Authorization', dana);
      await untilState(res.body.id, 'deleted');
    });

    it('keeps the conditions a driver reports on a ready resource', async () => {
      const name = `cond-${suffix}`;
      const res = await create({ name, type: 'memdb', owner: 'group:default/orders-team' });
      await untilState(res.body.id, 'ready');
      const condition = (status: 'True' | 'False', message: string) => ({
        type: 'MemoryWithinBudget', status, reason: status === 'True' ? 'WithinMemoryBudget' : 'OverMemoryBudget',
        message, lastTransitionTime: new Date().toISOString(),
      });
      driver.conditions.set(name, [condition('False', 'uses 80 MiB of 64 MiB')]);
      const over = await waitFor(() => get(res.body.id), r => r.body.conditions.some((c: any) => c.type === 'MemoryWithinBudget' && c.status === 'False'), 5000);
      expect(over.body.conditions).toEqual(
        expect.arrayContaining([expect.objectContaining({ reason: 'OverMemoryBudget', message: 'uses 80 MiB of 64 MiB' })]),
      );
      driver.conditions.set(name, [condition('True', 'uses 10 MiB of 64 MiB')]);
      const back = await waitFor(() => get(res.body.id), r => r.body.conditions.some((c: any) => c.type === 'MemoryWithinBudget' && c.status === 'True'), 5000);
      expect(back.body.conditions).toEqual(
        expect.arrayContaining([expect.objectContaining({ reason: 'WithinMemoryBudget', message: 'uses 10 MiB of 64 MiB' })]),
      );
      expect(back.body.conditions.filter((c: any) => c.type === 'MemoryWithinBudget')).toHaveLength(1);
      driver.conditions.delete(name);
      await request(server).delete(`${base}/resources/${res.body.id}`).set('Authorization', dana);
      await untilState(res.body.id, 'deleted');
    });

    it('marks drift with a readable reason', async () => {
      const name = `drift-${suffix}`;
      const res = await create({ name, type: 'memdb', owner: 'group:default/orders-team' });
      await untilState(res.body.id, 'ready');
      driver.existing.delete(name);
      const drifted = await waitFor(() => get(res.body.id), r => r.body.drifted === true, 5000);
      expect(drifted.body).toMatchObject({ drifted: true, state: 'ready', reason: `Missing from the infrastructure: ${name} does not exist` });
      driver.existing.set(name, { size: 'small', version: '16' });
      const healed = await waitFor(() => get(res.body.id), r => r.body.drifted === false, 5000);
      expect(healed.body.drifted).toBe(false);
      await request(server).delete(`${base}/resources/${res.body.id}`).set('Authorization', dana);
      await untilState(res.body.id, 'deleted');
    });
  });
});
