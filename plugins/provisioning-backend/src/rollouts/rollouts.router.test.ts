import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { MemoryDriver } from '../__testUtils__/MemoryDriver';
import { startProvisioningTestBackend } from '../__testUtils__/testBackend';

jest.setTimeout(90_000);

const dana = mockCredentials.user.header('user:default/dana');
const alex = mockCredentials.user.header('user:default/alex');
const base = '/api/provisioning/v1';

async function waitFor<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > end) return v;
    await new Promise(r => setTimeout(r, 100));
  }
}

const versioned = (id: string) => ({
  id,
  title: id,
  driver: 'memory',
  parameters: {
    type: 'object',
    properties: { size: { type: 'string', enum: ['small'], default: 'small' } },
  },
  version: '1.1.0',
  createVersion: '1.0.0',
  versions: [
    { version: '1.0.0', settings: { connectionLimits: { small: 10 } } },
    { version: '1.1.0', description: 'More connections', settings: { connectionLimits: { small: 20 } } },
  ],
});

describe('rollouts API', () => {
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
        types: [versioned('vdb'), versioned('vcache'), { id: 'plain', title: 'Plain', driver: 'memory' }],
      });
      server = started.server;
      backend = started;
    });

    afterAll(async () => {
      await backend?.stop();
    });

    const createResource = async (type: string, name: string) => {
      const res = await request(server)
        .post(`${base}/resources`)
        .set('Authorization', dana)
        .send({ name, type, owner: 'group:default/orders-team', parameters: {} });
      expect(res.status).toBe(201);
      const ready = await waitFor(
        () => request(server).get(`${base}/resources/${res.body.id}`).set('Authorization', dana),
        r => r.body.state === 'ready',
      );
      expect(ready.body).toMatchObject({ state: 'ready', appliedVersion: '1.0.0' });
      return res.body.id as string;
    };
    const types = async () =>
      (await request(server).get(`${base}/types`).set('Authorization', dana)).body.items as any[];

    it('shows type versions, lets only the platform team roll out, and brings every resource to the new version', async () => {
      const plain = (await types()).find(t => t.id === 'plain');
      expect(plain).toMatchObject({ version: '1.0.0', resourcesBehind: 0, versions: [{ version: '1.0.0', settings: {} }] });
      const ids = [];
      for (const n of ['vdb-a', 'vdb-b', 'vdb-c']) ids.push(await createResource('vdb', n));
      expect(driver.applied.get('vdb-a')).toEqual({ version: '1.0.0', settings: { connectionLimits: { small: 10 } } });
      expect((await types()).find(t => t.id === 'vdb')).toMatchObject({
        version: '1.1.0',
        createVersion: '1.0.0',
        resourcesBehind: 3,
        versions: [{ version: '1.0.0' }, { version: '1.1.0', description: 'More connections' }],
      });

      const denied = await request(server).post(`${base}/rollouts`).set('Authorization', dana).send({ type: 'vdb' });
      expect(denied.status).toBe(403);
      expect(denied.body.error.message).toBe('Only the platform team may start, pause, resume or abort rollouts');
      const unknownType = await request(server).post(`${base}/rollouts`).set('Authorization', alex).send({ type: 'nope' });
      expect(unknownType.status).toBe(400);
      const unknownVersion = await request(server)
        .post(`${base}/rollouts`)
        .set('Authorization', alex)
        .send({ type: 'vdb', targetVersion: '9.0.0' });
      expect(unknownVersion.status).toBe(400);
      expect(unknownVersion.body.error.message).toMatch(/has no version '9.0.0'; declared: 1.0.0, 1.1.0/);
      const badWaves = await request(server)
        .post(`${base}/rollouts`)
        .set('Authorization', alex)
        .send({ type: 'vdb', waves: [60, 50] });
      expect(badWaves.status).toBe(400);
      const badBody = await request(server)
        .post(`${base}/rollouts`)
        .set('Authorization', alex)
        .send({ type: 'vdb', waves: [150] });
      expect(badBody.status).toBe(400);

      const started = await request(server)
        .post(`${base}/rollouts`)
        .set('Authorization', alex)
        .send({ type: 'vdb', waves: [34], soakSeconds: 0 });
      expect(started.status).toBe(201);
      expect(started.body).toMatchObject({ type: 'vdb', targetVersion: '1.1.0', status: 'running', total: 3, createdBy: 'user:default/alex' });
      expect(started.body.waves.map((w: any) => [w.name, w.total])).toEqual([['canary', 2], ['rest', 1]]);
      const done = await waitFor(
        () => request(server).get(`${base}/rollouts/${started.body.id}`).set('Authorization', dana),
        r => r.body.status !== 'running',
      );
      expect(done.body).toMatchObject({ status: 'succeeded', applied: 3 });
      expect(done.body.waves[0].items[0]).toMatchObject({ previousVersion: '1.0.0', status: 'applied' });
      for (const id of ids) {
        const r = await request(server).get(`${base}/resources/${id}`).set('Authorization', dana);
        expect(r.body).toMatchObject({ state: 'ready', appliedVersion: '1.1.0' });
        expect(r.body.targetVersion).toBeUndefined();
      }
      expect(driver.applied.get('vdb-b')).toEqual({ version: '1.1.0', settings: { connectionLimits: { small: 20 } } });
      expect((await types()).find(t => t.id === 'vdb').resourcesBehind).toBe(0);

      const list = await request(server).get(`${base}/rollouts?type=vdb`).set('Authorization', dana);
      expect(list.status).toBe(200);
      expect(list.body.items.map((r: any) => r.id)).toEqual([started.body.id]);
      const again = await request(server).post(`${base}/rollouts/${started.body.id}/pause`).set('Authorization', alex);
      expect(again.status).toBe(409);
      const nothing = await request(server).post(`${base}/rollouts`).set('Authorization', alex).send({ type: 'vdb' });
      expect(nothing.status).toBe(409);
    });

    it('pauses, refuses a second rollout of the type, resumes and aborts', async () => {
      await createResource('vcache', 'vcache-a');
      await createResource('vcache', 'vcache-b');
      const started = await request(server)
        .post(`${base}/rollouts`)
        .set('Authorization', alex)
        .send({ type: 'vcache', waves: [50], soakSeconds: 3600 });
      expect(started.status).toBe(201);
      const id = started.body.id;
      expect((await request(server).post(`${base}/rollouts/${id}/pause`).set('Authorization', dana)).status).toBe(403);
      const paused = await request(server).post(`${base}/rollouts/${id}/pause`).set('Authorization', alex);
      expect(paused.body).toMatchObject({ status: 'paused', reason: 'Paused by user:default/alex' });
      const second = await request(server).post(`${base}/rollouts`).set('Authorization', alex).send({ type: 'vcache' });
      expect(second.status).toBe(409);
      expect(second.body.error.message).toMatch(/already in progress/);
      const resumed = await request(server).post(`${base}/rollouts/${id}/resume`).set('Authorization', alex);
      expect(resumed.body.status).toBe('running');
      // the canary applies and soaks for an hour
      const soaking = await waitFor(
        () => request(server).get(`${base}/rollouts/${id}`).set('Authorization', dana),
        r => r.body.waves[0].status === 'soaking',
      );
      expect(soaking.body.waves[0]).toMatchObject({ status: 'soaking', applied: 1, soakUntil: expect.any(String) });
      const aborted = await request(server).post(`${base}/rollouts/${id}/abort`).set('Authorization', alex);
      expect(aborted.body).toMatchObject({ status: 'aborted', reason: 'Aborted by user:default/alex', applied: 1 });
      expect(aborted.body.waves.map((w: any) => w.status)).toEqual(['aborted', 'aborted']);
      expect(aborted.body.waves[1].items[0]).toMatchObject({ status: 'skipped', message: 'rollout aborted by user:default/alex' });
      expect((await request(server).post(`${base}/rollouts/${id}/resume`).set('Authorization', alex)).status).toBe(409);
      expect((await request(server).get(`${base}/rollouts/00000000-0000-4000-8000-000000000000`).set('Authorization', dana)).status).toBe(404);
      expect((await request(server).get(`${base}/rollouts`).set('Authorization', dana)).body.items).toHaveLength(2);
    });
  });
});
