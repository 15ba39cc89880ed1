import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { MemoryDriver } from '../__testUtils__/MemoryDriver';
import { startProvisioningTestBackend, waitFor } from '../__testUtils__/testBackend';
import {
  adminQuery,
  countingPostgresDriver,
  dropPrefixed,
  postgresqlType,
} from '../__testUtils__/postgres';

jest.setTimeout(90_000);

const dana = mockCredentials.user.header('user:default/dana');
const alex = mockCredentials.user.header('user:default/alex'); // platform team (approver)
const base = '/api/provisioning/v1';
const owner = 'group:default/orders-team';
const JUSTIFICATION = 'The batch importer opens 120 connections during the nightly load.';

const types = [
  {
    id: 'pg',
    title: 'PostgreSQL',
    driver: 'memory',
    parameters: {
      type: 'object',
      additionalProperties: false,
      properties: {
        size: { type: 'string', enum: ['small', 'large'], default: 'small' },
        connectionLimit: { type: 'integer', minimum: 1, maximum: 1000 },
        extensions: { type: 'array', items: { type: 'string' }, uniqueItems: true },
      },
    },
    pricing: { small: 15, large: 240 },
    policy: { approvalRequiredForSizes: ['large'] },
    advancedParameters: [
      { parameter: 'connectionLimit', goldenPathDefaultBySize: { small: 10, large: 50 } },
      { parameter: 'extensions', goldenPath: { items: { enum: ['pg_trgm', 'citext'] } }, goldenPathDefault: [] },
    ],
  },
];

describe('escape hatches: advanced parameters with a justification (issue 14)', () => {
  const databases = TestDatabases.create();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let server: any;
    let backend: { stop(): Promise<void> };
    const driver = new MemoryDriver();
    const suffix = databaseId.toLowerCase().replace(/[^a-z0-9]/g, '');

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      const started = await startProvisioningTestBackend({ knex, driver, types });
      server = started.server;
      backend = started;
    });

    afterAll(async () => {
      await backend?.stop();
    });

    const create = (body: object, auth = dana) =>
      request(server).post(`${base}/resources`).set('Authorization', auth).send(body);
    const get = (id: string) => request(server).get(`${base}/resources/${id}`).set('Authorization', dana);
    const approve = (id: string) =>
      request(server).post(`${base}/resources/${id}/approve`).set('Authorization', alex).send({});

    it('offers the advanced parameters of a type', async () => {
      const res = await request(server).get(`${base}/types`).set('Authorization', dana);
      expect(res.body.items[0].advancedParameters).toEqual(types[0].advancedParameters);
    });

    it('estimates: says it needs approval for the advanced parameter before submit', async () => {
      const golden = await request(server)
        .post(`${base}/estimates`)
        .set('Authorization', dana)
        .send({ type: 'pg', parameters: { size: 'small', connectionLimit: 10, extensions: ['citext'] } });
      expect(golden.status).toBe(200);
      expect(golden.body).toMatchObject({ requiresApproval: false, deviations: [], justificationRequired: false });

      const res = await request(server)
        .post(`${base}/estimates`)
        .set('Authorization', dana)
        .send({ type: 'pg', parameters: { size: 'small', connectionLimit: 120 } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        requiresApproval: true,
        justificationRequired: true,
        deviations: [{ parameter: 'connectionLimit', value: 120, goldenPathDefault: 10 }],
      });
      expect(res.body.approval.reason).toMatch(/^needs approval: advanced parameter connectionLimit/);

      const short = await request(server)
        .post(`${base}/estimates`)
        .set('Authorization', dana)
        .send({ type: 'pg', parameters: { connectionLimit: 120 }, justification: 'need it' });
      expect(short.status).toBe(400);
      expect(short.body.error.message).toMatch(/connectionLimit .*needs a longer justification/);
    });

    it('refuses an advanced value outside the golden path without a justification (400 naming the parameter)', async () => {
      const none = await create({ name: `dev-a-${suffix}`, type: 'pg', owner, parameters: { connectionLimit: 120 } });
      expect(none.status).toBe(400);
      expect(none.body.error.message).toBe(
        'Advanced parameter connectionLimit outside the golden path (connectionLimit = 120 (golden path: 10)) needs a written justification (at least 20 characters); it then waits for approval by the platform team',
      );
      const short = await create({
        name: `dev-a-${suffix}`, type: 'pg', owner,
        parameters: { extensions: ['pg_trgm', 'timescaledb'] }, justification: '  too short  ',
      });
      expect(short.status).toBe(400);
      expect(short.body.error.message).toMatch(/^Advanced parameter extensions .*needs a longer justification \(at least 20 characters, got 9\)/);
      // on the golden path: no justification needed
      const golden = await create({
        name: `dev-b-${suffix}`, type: 'pg', owner, parameters: { connectionLimit: 10, extensions: ['pg_trgm'] },
      });
      expect(golden.status).toBe(201);
      // accepted without approval (the reconciler may already have claimed it)
      expect(['requested', 'provisioning']).toContain(golden.body.state);
      expect(golden.body.deviations).toBeUndefined();
    });

    it('with a justification: awaits approval; approved: applied with the deviation recorded', async () => {
      const res = await create({
        name: `dev-c-${suffix}`, type: 'pg', owner,
        parameters: { connectionLimit: 120 }, justification: JUSTIFICATION,
      });
      expect(res.status).toBe(201);
      expect(res.body.state).toBe('awaiting-approval');
      expect(res.body.reason).toBe(
        'Advanced parameter connectionLimit (outside the golden path) needs approval by group:default/platform-team',
      );
      expect(res.body.deviations).toEqual([
        {
          parameter: 'connectionLimit', value: 120, goldenPathDefault: 10, justification: JUSTIFICATION,
          requestedBy: 'user:default/dana', requestedAt: expect.any(String),
        },
      ]);
      const approvals = await request(server).get(`${base}/approvals`).set('Authorization', alex);
      expect(approvals.body.items.map((r: any) => r.id)).toContain(res.body.id);

      const filtered = await request(server)
        .get(`${base}/resources?deviations=true&owner=${owner}`)
        .set('Authorization', dana);
      expect(filtered.body.items.map((r: any) => r.name)).toContain(`dev-c-${suffix}`);
      expect(filtered.body.items.every((r: any) => r.deviations?.length)).toBe(true);
      const without = await request(server).get(`${base}/resources?deviations=false`).set('Authorization', dana);
      expect(without.body.items.map((r: any) => r.name)).not.toContain(`dev-c-${suffix}`);

      const approved = await approve(res.body.id);
      expect(approved.status).toBe(200);
      expect(approved.body.deviations[0]).toMatchObject({
        parameter: 'connectionLimit', approvedBy: 'user:default/alex', approvedAt: expect.any(String),
      });
      const ready = await waitFor(() => get(res.body.id), r => r.body.state === 'ready', 20_000);
      expect(ready.body.deviations[0].approvedBy).toBe('user:default/alex');
      expect(driver.existing.get(res.body.name)).toMatchObject({ connectionLimit: 120 });
      const events = await request(server).get(`${base}/resources/${res.body.id}/events`).set('Authorization', dana);
      expect(events.body.items[0].message).toContain(`justification: ${JUSTIFICATION}`);
    });

    it('updates: a new deviation waits as a pending change; a kept one needs nothing; back to the golden path clears it', async () => {
      const r = await create({ name: `dev-d-${suffix}`, type: 'pg', owner, parameters: { size: 'small' } });
      await waitFor(() => get(r.body.id), x => x.body.state === 'ready', 20_000);
      const patch = (body: object) =>
        request(server).patch(`${base}/resources/${r.body.id}`).set('Authorization', dana).send(body);

      const missing = await patch({ parameters: { connectionLimit: 80 } });
      expect(missing.status).toBe(400);
      expect(missing.body.error.message).toMatch(/^Advanced parameter connectionLimit/);

      const pending = await patch({ parameters: { connectionLimit: 80 }, justification: JUSTIFICATION });
      expect(pending.status).toBe(200);
      expect(pending.body.state).toBe('ready');
      expect(pending.body.pendingChange.deviations).toEqual([
        expect.objectContaining({ parameter: 'connectionLimit', value: 80, justification: JUSTIFICATION }),
      ]);
      expect(pending.body.deviations).toBeUndefined();
      const approved = await approve(r.body.id);
      expect(approved.body.deviations).toEqual([
        expect.objectContaining({ parameter: 'connectionLimit', value: 80, approvedBy: 'user:default/alex' }),
      ]);
      await waitFor(() => get(r.body.id), x => x.body.state === 'ready', 20_000);
      expect(driver.existing.get(r.body.name)).toMatchObject({ connectionLimit: 80 });

      // the approved deviation stays through an unrelated change, without a new justification
      const kept = await patch({ parameters: { extensions: ['citext'] } });
      expect(kept.status).toBe(200);
      expect(kept.body.state).toBe('updating');
      expect(kept.body.deviations).toEqual([expect.objectContaining({ value: 80, approvedBy: 'user:default/alex' })]);
      await waitFor(() => get(r.body.id), x => x.body.state === 'ready', 20_000);

      // back on the golden path (the size's default): the deviation is gone
      const back = await patch({ parameters: { connectionLimit: 10 } });
      expect(back.body.state).toBe('updating');
      expect(back.body.deviations).toBeUndefined();
    });

    it("records the platform team's own deviations as approved by themselves, without waiting", async () => {
      const res = await create(
        { name: `dev-e-${suffix}`, type: 'pg', owner: 'group:default/platform-team',
          parameters: { connectionLimit: 200 }, justification: JUSTIFICATION },
        alex,
      );
      expect(res.status).toBe(201);
      expect(['requested', 'provisioning']).toContain(res.body.state);
      expect(res.body.deviations[0]).toMatchObject({ approvedBy: 'user:default/alex' });
    });
  });
});

describe('escape hatches with the real postgres driver (issue 14)', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const prefix = `hatch-${Date.now().toString(36)}`;
  let server: any;
  let backend: { stop(): Promise<void> };
  let close: () => Promise<void>;

  beforeAll(async () => {
    const knex = await databases.init('SQLITE_3');
    const { driver } = countingPostgresDriver();
    close = () => driver.close();
    const started = await startProvisioningTestBackend({
      knex,
      driver,
      types: [
        {
          ...postgresqlType,
          parameters: {
            ...postgresqlType.parameters,
            properties: {
              ...postgresqlType.parameters.properties,
              connectionLimit: { type: 'integer', minimum: 1, maximum: 1000 },
            },
          },
          advancedParameters: [
            { parameter: 'connectionLimit', goldenPathDefaultBySize: { small: 10, medium: 25, large: 50 } },
          ],
        },
      ],
    });
    server = started.server;
    backend = started;
  });

  afterAll(async () => {
    await backend?.stop();
    await close?.();
    await dropPrefixed(prefix);
  });

  it('applies an approved custom connection limit on the server (pg_roles.rolconnlimit)', async () => {
    const name = `${prefix}-db`;
    const res = await request(server)
      .post(`${base}/resources`)
      .set('Authorization', dana)
      .send({
        name, type: 'postgresql', owner,
        parameters: { size: 'small', connectionLimit: 42 }, justification: JUSTIFICATION,
      });
    expect(res.status).toBe(201);
    expect(res.body.state).toBe('awaiting-approval');
    const pgName = name.replace(/-/g, '_');
    expect(await adminQuery('SELECT 1 FROM pg_roles WHERE rolname = $1', [pgName])).toEqual([]);

    await request(server).post(`${base}/resources/${res.body.id}/approve`).set('Authorization', alex).send({});
    await waitFor(
      () => request(server).get(`${base}/resources/${res.body.id}`).set('Authorization', dana),
      r => r.body.state === 'ready',
      30_000,
    );
    expect(
      await adminQuery(
        `SELECT r.rolconnlimit AS role, d.datconnlimit AS db FROM pg_roles r, pg_database d
          WHERE r.rolname = $1 AND d.datname = $1`,
        [pgName],
      ),
    ).toEqual([{ role: 42, db: 42 }]);
  });
});
