import { InputError } from '@backstage/errors';
import { Client } from 'pg';
import { PostgresDriver } from './PostgresDriver';
import { DEFAULT_CONNECTION_LIMITS } from './config';
import {
  TEST_POSTGRES_URL,
  connectionConfigFromUrl,
  testContext,
  testResource,
} from './__testUtils__';

jest.setTimeout(60_000);

const connection = connectionConfigFromUrl(TEST_POSTGRES_URL);

function makeDriver() {
  return PostgresDriver.create({
    config: {
      connection,
      publicHost: connection.host,
      publicPort: connection.port,
      connectionLimits: { ...DEFAULT_CONNECTION_LIMITS },
      defaultConnectionLimit: 10,
    },
    logger: testContext().logger,
  });
}

describe('PostgresDriver', () => {
  const driver = makeDriver();
  const admin = new Client({ ...connection });
  const cleanup: string[] = [];

  beforeAll(async () => {
    await admin.connect();
  });

  afterAll(async () => {
    for (const name of cleanup) {
      const ident = admin.escapeIdentifier(name);
      await admin.query(`DROP DATABASE IF EXISTS ${ident} WITH (FORCE)`);
      await admin.query(`DROP ROLE IF EXISTS ${ident}`);
    }
    await admin.end();
    await driver.close();
  });

  function track(resourceName: string) {
    const pgName = resourceName.replace(/-/g, '_');
    cleanup.push(pgName);
    return pgName;
  }

  async function connectAs(url: string) {
    const client = new Client({ connectionString: url });
    client.on('error', () => {});
    await client.connect();
    return client;
  }

  it('creates a role and a database idempotently, usable with the returned credentials', async () => {
    const resource = testResource();
    const pgName = track(resource.name);

    const first = await driver.apply(resource, testContext());
    expect(first.outputs).toEqual({
      host: connection.host,
      port: String(connection.port),
      database: pgName,
      username: pgName,
    });
    expect(first.secrets?.password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(first.secrets?.url).toBe(
      `postgresql://${pgName}:${first.secrets!.password}@${connection.host}:${
        connection.port
      }/${pgName}`,
    );

    // Again, with the stored secret: same password, nothing created twice.
    const second = await driver.apply(
      resource,
      testContext(first.secrets as Record<string, string>),
    );
    expect(second.secrets).toEqual(first.secrets);
    const { rows: dbs } = await admin.query(
      'SELECT datconnlimit, pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1',
      [pgName],
    );
    expect(dbs).toEqual([{ datconnlimit: 10, owner: pgName }]);

    // The password is stored as a SCRAM verifier, never sent in plain text.
    const { rows: auth } = await admin.query(
      'SELECT rolpassword FROM pg_authid WHERE rolname = $1',
      [pgName],
    );
    expect(auth[0].rolpassword).toMatch(/^SCRAM-SHA-256\$4096:/);

    const user = await connectAs(first.secrets!.url);
    try {
      await user.query('CREATE TABLE orders (id int primary key)');
      await user.query('INSERT INTO orders VALUES (1)');
      const { rows } = await user.query(
        'SELECT count(*)::int AS n FROM orders',
      );
      expect(rows[0].n).toBe(1);
    } finally {
      await user.end();
    }

    await expect(driver.observe(resource, testContext())).resolves.toEqual({
      status: 'ready',
      outputs: first.outputs,
      // utilisation for rightsizing: connections open to it now against its size's limit, and its size
      utilisation: {
        connections: { used: expect.any(Number), limit: 10 },
        storageBytes: expect.any(Number),
        capacityBySize: { small: { connections: 10 }, medium: { connections: 25 }, large: { connections: 50 } },
      },
    });
    // a connection open to the database is counted
    const open = new Client({ connectionString: first.secrets!.url });
    await open.connect();
    try {
      const observed = await driver.observe(resource, testContext());
      expect(observed).toMatchObject({ utilisation: { connections: { limit: 10 } } });
      expect((observed as any).utilisation.connections.used).toBeGreaterThanOrEqual(1);
      expect((observed as any).utilisation.storageBytes).toBeGreaterThan(1_000_000);
    } finally {
      await open.end();
    }
  });

  it('resets the password of an existing role when no secret is stored', async () => {
    const resource = testResource();
    track(resource.name);
    const first = await driver.apply(resource, testContext());
    const second = await driver.apply(resource, testContext());
    expect(second.secrets?.password).not.toBe(first.secrets?.password);
  });

  it('keeps PUBLIC and other roles out of the database', async () => {
    const resource = testResource();
    const pgName = track(resource.name);
    const other = track(`paved-t-other-${pgName.slice(-8)}`);
    await driver.apply(resource, testContext());
    await admin.query(`CREATE ROLE ${admin.escapeIdentifier(other)} LOGIN`);

    const { rows } = await admin.query(
      `SELECT has_database_privilege('public', $1, 'CONNECT') AS pub,
              has_database_privilege($2, $1, 'CONNECT') AS other`,
      [pgName, other],
    );
    expect(rows[0]).toEqual({ pub: false, other: false });

    const url = new URL(TEST_POSTGRES_URL);
    url.username = other;
    url.password = '';
    url.pathname = `/${pgName}`;
    await expect(connectAs(url.toString())).rejects.toThrow(
      /permission denied for database/,
    );
  });

  it('updates the connection limit and detects drift', async () => {
    const resource = testResource();
    const pgName = track(resource.name);
    const created = await driver.apply(resource, testContext());
    const ctx = testContext(created.secrets as Record<string, string>);

    const larger = { ...resource, parameters: { size: 'large' } };
    await expect(driver.observe(larger, ctx)).resolves.toMatchObject({
      status: 'drifted',
      reason: expect.stringContaining('connection limit is 10, declared 50'),
      // what exists, as parameters (accepting the drift adopts them)
      observedParameters: { size: 'small' },
    });
    const updated = await driver.apply(larger, ctx);
    expect(updated.secrets).toEqual(created.secrets);
    await expect(driver.observe(larger, ctx)).resolves.toMatchObject({
      status: 'ready',
    });
    const { rows } = await admin.query(
      `SELECT d.datconnlimit AS db, r.rolconnlimit AS role FROM pg_database d, pg_roles r
        WHERE d.datname = $1 AND r.rolname = $1`,
      [pgName],
    );
    expect(rows[0]).toEqual({ db: 50, role: 50 });

    // Changed behind Paved's back.
    const ident = admin.escapeIdentifier(pgName);
    await admin.query(`ALTER DATABASE ${ident} CONNECTION LIMIT 7`);
    await admin.query(`GRANT CONNECT ON DATABASE ${ident} TO PUBLIC`);
    const drifted = await driver.observe(larger, ctx);
    expect(drifted.status).toBe('drifted');
    expect(drifted).toMatchObject({
      reason: expect.stringContaining('connection limit is 7, declared 50'),
    });
    expect(drifted).toMatchObject({
      reason: expect.stringContaining('PUBLIC can connect'),
    });

    // Password changed behind Paved's back.
    await admin.query(`ALTER ROLE ${ident} PASSWORD 'changed-elsewhere'`);
    await expect(driver.observe(larger, ctx)).resolves.toMatchObject({
      status: 'drifted',
      reason: expect.stringContaining(
        `the password of role ${pgName} differs from the stored one`,
      ),
    });

    // Dropped behind Paved's back, then repaired by create.
    await admin.query(`DROP DATABASE ${ident} WITH (FORCE)`);
    await expect(driver.observe(larger, ctx)).resolves.toEqual({
      status: 'missing',
      reason: `database ${pgName} does not exist`,
    });
    await driver.apply(larger, ctx);
    await expect(driver.observe(larger, ctx)).resolves.toMatchObject({
      status: 'ready',
    });
  });

  it('applies the settings of the type version: connection limits, statement_timeout, role attributes, extensions', async () => {
    const resource = testResource();
    const pgName = track(resource.name);
    const read = async () => {
      const { rows } = await admin.query(
        `SELECT r.rolconnlimit AS role, d.datconnlimit AS db, r.rolinherit AS inherit,
                (SELECT setconfig FROM pg_db_role_setting s WHERE s.setrole = r.oid AND s.setdatabase = 0) AS config
           FROM pg_roles r, pg_database d WHERE r.rolname = $1 AND d.datname = $1`,
        [pgName],
      );
      return rows[0];
    };
    const v1 = { ...resource, typeVersion: '1.0.0', settings: {} };
    const created = await driver.apply(v1, testContext());
    const ctx = testContext(created.secrets as Record<string, string>);
    expect(await read()).toEqual({ role: 10, db: 10, inherit: true, config: null });

    const v2 = {
      ...resource,
      typeVersion: '1.1.0',
      settings: {
        connectionLimits: { small: 12 },
        statementTimeout: '45s',
        roleAttributes: ['noinherit'],
        allowedExtensions: ['citext'],
      },
    };
    await driver.apply(v2, ctx);
    expect(await read()).toEqual({ role: 12, db: 12, inherit: false, config: ['statement_timeout=45s'] });
    // observe compares with the version's connection limit
    await expect(driver.observe(v2, ctx)).resolves.toMatchObject({ status: 'ready' });
    await expect(driver.observe(v1, ctx)).resolves.toMatchObject({
      status: 'drifted',
      reason: expect.stringContaining('connection limit is 12, declared 10'),
    });
    const inDb = new Client({ ...connection, database: pgName });
    await inDb.connect();
    const ext = await inDb.query(`SELECT extname FROM pg_extension WHERE extname = 'citext'`);
    await inDb.end();
    expect(ext.rows).toEqual([{ extname: 'citext' }]);
    // the session of the resource's own role really gets the timeout
    const own = await connectAs(created.secrets!.url);
    expect((await own.query('SHOW statement_timeout')).rows[0].statement_timeout).toBe('45s');
    await own.end();

    // back to 1.0.0 (a rollback): the version's settings, and the defaults for what it does not name
    await driver.apply(v1, ctx);
    expect(await read()).toEqual({ role: 10, db: 10, inherit: true, config: null });
  });

  it('refuses invalid version settings', async () => {
    for (const [settings, message] of [
      [{ statementTimeout: "1s'; DROP ROLE x; --" }, /statementTimeout/],
      [{ roleAttributes: ['SUPERUSER'] }, /'SUPERUSER' is not allowed/],
      [{ allowedExtensions: ['bad"name'] }, /not an extension name/],
      [{ connectionLimits: { small: 0 } }, /small must be an integer between 1 and 10000/],
    ] as const) {
      await expect(
        driver.apply({ ...testResource(), typeVersion: '9.9.9', settings }, testContext()),
      ).rejects.toThrow(message);
    }
  });

  it('creates the extensions a request asks for (an approved escape hatch) in its database', async () => {
    const resource = { ...testResource(), parameters: { size: 'small', extensions: ['citext'] } };
    const pgName = track(resource.name);
    await driver.apply(resource, testContext());
    const inDb = new Client({ ...connection, database: pgName });
    await inDb.connect();
    const ext = await inDb.query(`SELECT extname FROM pg_extension WHERE extname = 'citext'`);
    await inDb.end();
    expect(ext.rows).toEqual([{ extname: 'citext' }]);
    await expect(
      driver.apply({ ...resource, parameters: { size: 'small', extensions: ['bad"name'] } }, testContext()),
    ).rejects.toThrow('Invalid parameter extensions');
  });

  it('applies a custom connection limit (an approved escape hatch) over the size default', async () => {
    const resource = { ...testResource(), parameters: { size: 'small', connectionLimit: 137 } };
    const pgName = track(resource.name);
    const created = await driver.apply(resource, testContext());
    const ctx = testContext(created.secrets as Record<string, string>);
    const read = async () =>
      (
        await admin.query(
          `SELECT d.datconnlimit AS db, r.rolconnlimit AS role FROM pg_database d, pg_roles r
            WHERE d.datname = $1 AND r.rolname = $1`,
          [pgName],
        )
      ).rows[0];
    expect(await read()).toEqual({ db: 137, role: 137 });
    await expect(driver.observe(resource, ctx)).resolves.toMatchObject({ status: 'ready' });

    // back to the golden path: the size's limit
    const golden = { ...resource, parameters: { size: 'small' } };
    await expect(driver.observe(golden, ctx)).resolves.toMatchObject({
      status: 'drifted',
      reason: expect.stringContaining('connection limit is 137, declared 10'),
    });
    await driver.apply(golden, ctx);
    expect(await read()).toEqual({ db: 10, role: 10 });

    await expect(
      driver.apply({ ...resource, parameters: { size: 'small', connectionLimit: 0 } }, ctx),
    ).rejects.toThrow('Invalid parameter connectionLimit');
  });

  it('deletes idempotently, terminating open sessions', async () => {
    const resource = testResource();
    const pgName = track(resource.name);
    const created = await driver.apply(resource, testContext());
    const session = await connectAs(created.secrets!.url);
    const closed = new Promise<void>(resolve =>
      session.on('end', () => resolve()),
    );

    await driver.delete(resource, testContext());
    await closed;
    await driver.delete(resource, testContext());

    const { rows } = await admin.query(
      `SELECT (SELECT count(*)::int FROM pg_database WHERE datname = $1) AS dbs,
              (SELECT count(*)::int FROM pg_roles WHERE rolname = $1) AS roles`,
      [pgName],
    );
    expect(rows[0]).toEqual({ dbs: 0, roles: 0 });
    await expect(driver.observe(resource, testContext())).resolves.toEqual({
      status: 'missing',
      reason: `role ${pgName} and database ${pgName} do not exist`,
    });
  });

  it('never adopts, changes or drops a role it does not manage', async () => {
    const resource = testResource();
    const pgName = track(resource.name);
    await admin.query(`CREATE ROLE ${admin.escapeIdentifier(pgName)} LOGIN`);

    await expect(driver.apply(resource, testContext())).rejects.toThrow(
      InputError,
    );
    await expect(driver.delete(resource, testContext())).rejects.toThrow(
      /Refusing to drop role/,
    );
    await expect(
      driver.observe(resource, testContext()),
    ).resolves.toMatchObject({ status: 'failed' });
    const { rows } = await admin.query(
      'SELECT count(*)::int AS n FROM pg_roles WHERE rolname = $1',
      [pgName],
    );
    expect(rows[0].n).toBe(1);
    // A second resource with the same name (e.g. of another type) is refused too.
    const created = testResource();
    track(created.name);
    await driver.apply(created, testContext());
    await expect(
      driver.apply({ ...created, id: testResource().id }, testContext()),
    ).rejects.toThrow(/not managed by this resource/);
  });

  it.each([
    ['x; drop database postgres'],
    ['a"b'],
    ["a'b"],
    ['Orders'],
    ['a'.repeat(41)],
    ['postgres'],
    ['template1'],
    ['pg-catalog'],
    [''],
  ])('rejects the hostile or reserved name %j (and deletes it as never created)', async name => {
    const resource = testResource({ name });
    await expect(driver.apply(resource, testContext())).rejects.toThrow(
      InputError,
    );
    await expect(driver.observe(resource, testContext())).rejects.toThrow(
      InputError,
    );
    // idempotent delete: a name the driver refuses was never created, so there is nothing to delete
    await expect(driver.delete(resource, testContext())).resolves.toBeUndefined();
  });

  it('declares its naming rules through the driver contract', () => {
    expect(driver.naming).toMatchObject({
      label: 'PostgreSQL',
      maxLength: 63,
      reservedPrefixes: ['pg-'],
      reserved: expect.arrayContaining(['postgres', 'template0', 'template1', 'public']),
    });
  });


  it('refuses resource types with sizes that have no connection limit', () => {
    const type = testResource().type;
    const withSizes = (sizes: unknown[]) => ({
      ...type,
      parameters: {
        type: 'object',
        properties: { size: { type: 'string', enum: sizes } },
      },
    });
    expect(() =>
      driver.validateType(withSizes(['small', 'large'])),
    ).not.toThrow();
    expect(() => driver.validateType(type)).not.toThrow();
    expect(() => driver.validateType(withSizes(['small', 'xl']))).toThrow(
      /no connection limit for size\(s\) xl of resource type postgresql/,
    );
  });

  it('rejects unknown sizes, bad versions and ids that are not UUIDs', async () => {
    await expect(
      driver.apply(
        testResource({ parameters: { size: 'huge' } }),
        testContext(),
      ),
    ).rejects.toThrow(/known sizes: small, medium, large/);
    await expect(
      driver.apply(
        testResource({ parameters: { size: 'small', version: "16'; --" } }),
        testContext(),
      ),
    ).rejects.toThrow(InputError);
    await expect(
      driver.apply(testResource({ id: "1' OR '1'='1" }), testContext()),
    ).rejects.toThrow(InputError);
  });
});
