import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import type { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import type { Knex } from 'knex';
import request from 'supertest';
import { MemoryDriver } from '../__testUtils__/MemoryDriver';
import { startProvisioningTestBackend, waitFor } from '../__testUtils__/testBackend';

jest.setTimeout(90_000);

const dana = mockCredentials.user.header('user:default/dana');
const pat = mockCredentials.user.header('user:default/pat');
const base = '/api/provisioning/v1';
const owner = 'group:default/orders-team';
const HOUR = 3_600_000;

const types = [
  {
    id: 'preview',
    title: 'Preview database',
    driver: 'memory',
    parameters: { type: 'object', properties: { size: { type: 'string', enum: ['small'], default: 'small' } } },
    ttl: { max: '2d', required: true },
  },
  {
    id: 'scratch',
    title: 'Scratch database',
    driver: 'memory',
    ttl: { default: '4h', max: { days: 1 } },
  },
  { id: 'plain', title: 'Plain database', driver: 'memory' },
];

describe('time-to-live resources (issue 14)', () => {
  const databases = TestDatabases.create();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let server: any;
    let backend: { stop(): Promise<void> };
    let db: Knex;
    const sent: NotificationSendOptions[] = [];
    const suffix = databaseId.toLowerCase().replace(/[^a-z0-9]/g, '');

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      db = knex;
      const started = await startProvisioningTestBackend({
        knex,
        driver: new MemoryDriver(),
        types,
        ttl: { sweepInterval: 200 },
        notifications: { send: async n => void sent.push(n) },
      });
      server = started.server;
      backend = started;
    });

    afterAll(async () => {
      await backend?.stop();
    });

    const create = (body: object, auth = dana) =>
      request(server).post(`${base}/resources`).set('Authorization', auth).send(body);
    const extend = (id: string, ttl: unknown, auth = dana) =>
      request(server).post(`${base}/resources/${id}/extend`).set('Authorization', auth).send({ ttl });
    const get = (id: string) => request(server).get(`${base}/resources/${id}`).set('Authorization', dana);

    it('shows the ttl rules of the types', async () => {
      const res = await request(server).get(`${base}/types`).set('Authorization', dana);
      const byId = Object.fromEntries(res.body.items.map((t: any) => [t.id, t]));
      expect(byId.preview.ttl).toEqual({ maxMs: 2 * 24 * HOUR, required: true });
      expect(byId.scratch.ttl).toEqual({ defaultMs: 4 * HOUR, maxMs: 24 * HOUR, required: false });
      expect(byId.plain.ttl).toBeUndefined();
    });

    it('takes a ttl on request (ISO 8601 or 2h), applies the default, refuses one over the maximum or missing when required', async () => {
      const before = Date.now();
      const a = await create({ name: `pr-a-${suffix}`, type: 'preview', owner, ttl: '2h' });
      expect(a.status).toBe(201);
      expect(a.body.ttl).toBe('PT2H');
      const expires = Date.parse(a.body.expiresAt);
      expect(expires).toBeGreaterThanOrEqual(before + 2 * HOUR);
      expect(expires).toBeLessThanOrEqual(Date.now() + 2 * HOUR);

      const b = await create({ name: `pr-b-${suffix}`, type: 'preview', owner, ttl: 'P1DT12H' });
      expect(b.status).toBe(201);
      expect(b.body.ttl).toBe('P1DT12H');

      const scratch = await create({ name: `sc-${suffix}`, type: 'scratch', owner });
      expect(scratch.body.ttl).toBe('PT4H');

      const plain = await create({ name: `pl-${suffix}`, type: 'plain', owner });
      expect(plain.body.ttl).toBeUndefined();
      expect(plain.body.expiresAt).toBeUndefined();

      const over = await create({ name: `pr-c-${suffix}`, type: 'preview', owner, ttl: '3d' });
      expect(over.status).toBe(400);
      expect(over.body.error.message).toBe('ttl 3d is longer than the maximum of 2d for preview');
      const missing = await create({ name: `pr-d-${suffix}`, type: 'preview', owner });
      expect(missing.status).toBe(400);
      expect(missing.body.error.message).toMatch(/Resources of type preview need a time to live/);
      const bad = await create({ name: `pr-e-${suffix}`, type: 'preview', owner, ttl: 'soon' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/Invalid ttl 'soon'/);
      const notTaken = await create({ name: `pl-b-${suffix}`, type: 'plain', owner, ttl: '2h' });
      expect(notTaken.status).toBe(400);
      expect(notTaken.body.error.message).toBe('Resources of type plain do not take a time to live (ttl)');
      const wrongType = await create({ name: `pr-f-${suffix}`, type: 'preview', owner, ttl: 7200 });
      expect(wrongType.status).toBe(400); // the spec: a string
    });

    it('lets the owner extend up to the maximum from now, audited as an event', async () => {
      const r = await create({ name: `ext-${suffix}`, type: 'preview', owner, ttl: '2h' });
      const before = Date.now();
      const res = await extend(r.body.id, '2d');
      expect(res.status).toBe(200);
      expect(res.body.ttl).toBe('P2D');
      expect(Date.parse(res.body.expiresAt)).toBeGreaterThanOrEqual(before + 48 * HOUR);
      expect((await extend(r.body.id, '49h')).status).toBe(400);
      expect((await extend(r.body.id, '49h')).body.error.message).toBe(
        'ttl 2d 1h is longer than the maximum of 2d for preview (counted from now)',
      );
      const other = await extend(r.body.id, '1h', pat);
      expect(other.status).toBe(403);
      expect((await extend('00000000-0000-4000-8000-000000000000', '1h')).status).toBe(404);
      const events = await request(server).get(`${base}/resources/${r.body.id}/events`).set('Authorization', dana);
      expect(events.body.items.filter((e: any) => e.type === 'ttl-extended')).toEqual([
        expect.objectContaining({
          actor: 'user:default/dana',
          message: expect.stringMatching(/^Time to live set to 2d by user:default\/dana: expires at .+ \(was .+\)$/),
        }),
      ]);
      const plain = await create({ name: `pl-x-${suffix}`, type: 'plain', owner });
      expect((await extend(plain.body.id, '1h')).status).toBe(400);
      // the request and the extension went through the announcement outbox: recorded with their events, announced
      const outbox = await db('provisioning_events')
        .where({ resource_id: r.body.id })
        .whereIn('type', ['created', 'ttl-extended'])
        .select('type', 'announcement', 'announced_at');
      expect(outbox.map(e => [e.type, JSON.parse(e.announcement).auditEventId, e.announced_at !== null])).toEqual(
        expect.arrayContaining([
          ['created', 'resource-create', true],
          ['ttl-extended', 'resource-extend', true],
        ]),
      );
    });

    it('deletes an expired resource through the scheduled sweep, with the reason in its events', async () => {
      const r = await create({ name: `short-${suffix}`, type: 'preview', owner, ttl: 'PT1S' });
      expect(r.status).toBe(201);
      const gone = await waitFor(() => get(r.body.id), res => res.body.state === 'deleted', 20_000);
      expect(gone.body).toMatchObject({ state: 'deleted' });
      const events = await request(server).get(`${base}/resources/${r.body.id}/events`).set('Authorization', dana);
      expect(events.body.items).toContainEqual(
        expect.objectContaining({ type: 'expired', message: 'expired: time to live of 1s ended', toState: 'deleting' }),
      );
    });
  });
});
