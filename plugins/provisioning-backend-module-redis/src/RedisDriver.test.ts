import { InputError } from '@backstage/errors';
import Redis from 'ioredis';
import { MEMORY_BUDGET_CONDITION, RedisDriver } from './RedisDriver';
import { readRedisDriverConfig } from './config';
import { ConfigReader } from '@backstage/config';
import { TEST_REDIS_URL, testContext, testResource } from './__testUtils__';

jest.setTimeout(30_000);

const config = readRedisDriverConfig(
  new ConfigReader({
    provisioning: { drivers: { redis: { url: TEST_REDIS_URL } } },
  }),
)!;

describe('RedisDriver', () => {
  const driver = RedisDriver.create({ config, logger: testContext().logger });
  const admin = new Redis(TEST_REDIS_URL);
  const names: string[] = [];
  const clients: Redis[] = [];

  afterAll(async () => {
    for (const c of clients) c.disconnect();
    for (const name of names) {
      await admin.call('ACL', 'DELUSER', name);
      await admin.del(`paved:redis-acl:${name}`);
      let cursor = '0';
      do {
        const [next, keys] = await admin.scan(
          cursor,
          'MATCH',
          `${name}*`,
          'COUNT',
          500,
        );
        cursor = next;
        if (keys.length) await admin.unlink(...keys);
      } while (cursor !== '0');
    }
    await admin.quit();
    await driver.close();
  });

  function track(resource: { name: string }) {
    names.push(resource.name);
    return resource.name;
  }

  function connect(url: string) {
    const client = new Redis(url, {
      lazyConnect: true,
      enableReadyCheck: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on('error', () => {});
    clients.push(client);
    return client;
  }

  /** Whether AUTH succeeds for the user and password, on a throwaway connection. */
  async function authenticates(username: string, password: string) {
    const client = connect(TEST_REDIS_URL);
    await client.connect();
    try {
      await client.call('AUTH', username, password);
      return true;
    } catch (e) {
      if (/WRONGPASS/.test(String(e))) return false;
      throw e;
    } finally {
      client.disconnect();
    }
  }

  it('creates a user restricted to its key prefix, idempotently', async () => {
    const resource = testResource();
    const name = track(resource);
    const created = await driver.apply(resource, testContext());
    const url = new URL(TEST_REDIS_URL);
    expect(created.outputs).toEqual({
      host: url.hostname,
      port: url.port || '6379',
      username: name,
      keyPrefix: `${name}:`,
    });
    expect(created.secrets?.url).toBe(
      `redis://${name}:${created.secrets!.password}@${url.hostname}:${
        url.port || '6379'
      }/0`,
    );

    const again = await driver.apply(
      resource,
      testContext(created.secrets as Record<string, string>),
    );
    expect(again.secrets).toEqual(created.secrets);

    const user = connect(created.secrets!.url);
    await user.connect();
    await user.set(`${name}:greeting`, 'hello');
    await expect(user.get(`${name}:greeting`)).resolves.toBe('hello');
    await expect(user.set('someone-else:key', 'x')).rejects.toThrow(/NOPERM/);
    await expect(user.get(`${name}x`)).rejects.toThrow(/NOPERM/);
    await expect(user.keys('*')).rejects.toThrow(/NOPERM/);
    await expect(user.flushdb()).rejects.toThrow(/NOPERM/);
    await expect(user.call('CONFIG', 'GET', 'maxmemory')).rejects.toThrow(
      /NOPERM/,
    );
    await expect(user.select(1)).rejects.toThrow(/NOPERM/);
    await expect(admin.exists('someone-else:key')).resolves.toBe(0);

    await expect(authenticates(name, 'wrong-password')).resolves.toBe(false);
    await expect(authenticates(name, created.secrets!.password)).resolves.toBe(
      true,
    );

    await expect(
      driver.observe(
        resource,
        testContext(created.secrets as Record<string, string>),
      ),
    ).resolves.toEqual({
      status: 'ready',
      outputs: created.outputs,
      // utilisation for rightsizing: the keys under its prefix and their memory against its size's budget
      utilisation: {
        keys: expect.any(Number),
        memory: { usedBytes: expect.any(Number), limitBytes: 64 * 1024 * 1024 },
        capacityBySize: {
          small: { memoryBytes: 64 * 1024 * 1024 },
          medium: { memoryBytes: 256 * 1024 * 1024 },
          large: { memoryBytes: 1024 * 1024 * 1024 },
        },
      },
      conditions: [
        {
          type: MEMORY_BUDGET_CONDITION,
          status: 'True',
          reason: 'WithinMemoryBudget',
          message: expect.stringMatching(
            new RegExp(`^The keys under ${name}:\\* use [\\d.]+ MiB of the 64 MiB maxmemory budget$`),
          ),
          lastTransitionTime: expect.any(String),
        },
      ],
    });
  });

  it('measures the memory of at most utilisationKeyLimit keys and counts them all', async () => {
    const bounded = RedisDriver.create({
      config: { ...config, utilisationKeyLimit: 2 },
      logger: testContext().logger,
    });
    try {
      const resource = testResource({ parameters: { size: 'medium' } });
      const name = track(resource);
      const created = await bounded.apply(resource, testContext());
      for (let i = 0; i < 5; i += 1) await admin.set(`${name}:k${i}`, 'x'.repeat(100));
      const observed = await bounded.observe(resource, testContext(created.secrets as Record<string, string>));
      expect(observed).toMatchObject({
        status: 'ready',
        utilisation: { keys: 5, memory: { limitBytes: 256 * 1024 * 1024, partial: true } },
      });
      expect((observed as any).utilisation.memory.usedBytes).toBeGreaterThanOrEqual(200);
    } finally {
      await bounded.close();
    }
  });

  it('measures a custom maxmemory as the budget and reports a resource above it', async () => {
    const resource = testResource({ parameters: { size: 'small', maxmemory: 1 } });
    const name = track(resource);
    const created = await driver.apply(resource, testContext());
    const secrets = created.secrets as Record<string, string>;
    const within = await driver.observe(resource, testContext(secrets));
    expect(within).toMatchObject({
      status: 'ready',
      utilisation: { memory: { limitBytes: 1024 * 1024 } },
      conditions: [{ type: MEMORY_BUDGET_CONDITION, status: 'True', reason: 'WithinMemoryBudget' }],
    });
    // 1.2 MiB of values under its prefix: above the 1 MiB it asked for
    for (let i = 0; i < 12; i += 1) await admin.set(`${name}:blob${i}`, 'x'.repeat(100 * 1024));
    const over = await driver.observe(resource, testContext(secrets));
    expect(over).toMatchObject({
      status: 'ready',
      conditions: [{ type: MEMORY_BUDGET_CONDITION, status: 'False', reason: 'OverMemoryBudget' }],
    });
    expect((over as any).conditions[0].message).toMatch(
      new RegExp(`^The keys under ${name}:\\* use 1\\.\\d+ MiB of the 1 MiB maxmemory budget\\. Redis has no per-user memory limit`),
    );
  });

  it('sets a new password when none is stored', async () => {
    const resource = testResource();
    track(resource);
    const first = await driver.apply(resource, testContext());
    const second = await driver.apply(resource, testContext());
    expect(second.secrets?.password).not.toBe(first.secrets?.password);
    await expect(
      authenticates(resource.name, first.secrets!.password),
    ).resolves.toBe(false);
    await expect(
      authenticates(resource.name, second.secrets!.password),
    ).resolves.toBe(true);
  });

  it('detects drift and repairs it on create', async () => {
    const resource = testResource();
    const name = track(resource);
    const created = await driver.apply(resource, testContext());
    const ctx = testContext(created.secrets as Record<string, string>);

    await admin.call(
      'ACL',
      'SETUSER',
      name,
      'off',
      'allkeys',
      '+flushdb',
      '>changed-elsewhere',
    );
    const observed = await driver.observe(resource, ctx);
    expect(observed.status).toBe('drifted');
    const reason = (observed as { reason: string }).reason;
    expect(reason).toContain(`user ${name} is disabled`);
    expect(reason).toContain(`declared ~${name}:*`);
    expect(reason).toContain('commands are');
    expect(reason).toContain('the password differs from the stored one');

    await driver.apply(resource, ctx);
    await expect(driver.observe(resource, ctx)).resolves.toMatchObject({
      status: 'ready',
    });

    await admin.call('ACL', 'DELUSER', name);
    await expect(driver.observe(resource, ctx)).resolves.toEqual({
      status: 'missing',
      reason: `ACL user ${name} does not exist`,
    });
    await driver.apply(resource, ctx);
    await expect(driver.observe(resource, ctx)).resolves.toMatchObject({
      status: 'ready',
    });
  });

  it('deletes the user and all its keys (and nothing else), idempotently', async () => {
    const resource = testResource();
    const name = track(resource);
    const created = await driver.apply(resource, testContext());
    const user = connect(created.secrets!.url);
    await user.connect();
    const pipeline = user.pipeline();
    for (let i = 0; i < 1234; i++) pipeline.set(`${name}:k:${i}`, String(i));
    await pipeline.exec();
    // Similar names outside its prefix survive.
    await admin.set(`${name}-other:keep`, '1');
    await admin.set(`${name}keep`, '1');

    await driver.delete(resource, testContext());
    await driver.delete(resource, testContext());

    await expect(admin.call('ACL', 'GETUSER', name)).resolves.toBeNull();
    let cursor = '0';
    let left = 0;
    do {
      const [next, keys] = await admin.scan(
        cursor,
        'MATCH',
        `${name}:*`,
        'COUNT',
        1000,
      );
      cursor = next;
      left += keys.length;
    } while (cursor !== '0');
    expect(left).toBe(0);
    await expect(
      admin.exists(`${name}-other:keep`, `${name}keep`),
    ).resolves.toBe(2);
    await expect(admin.exists(`paved:redis-acl:${name}`)).resolves.toBe(0);
    await expect(
      driver.observe(resource, testContext()),
    ).resolves.toMatchObject({
      status: 'missing',
    });
  });

  it('never takes over or deletes a user it did not create', async () => {
    const resource = testResource();
    const name = track(resource);
    await admin.call('ACL', 'SETUSER', name, 'on', '>theirs', '~*', '+@all');

    await expect(driver.apply(resource, testContext())).rejects.toThrow(
      InputError,
    );
    await expect(driver.delete(resource, testContext())).rejects.toThrow(
      /Refusing/,
    );
    await expect(
      driver.observe(resource, testContext()),
    ).resolves.toMatchObject({
      status: 'failed',
    });
    const user = (await admin.call('ACL', 'GETUSER', name)) as unknown[];
    expect(user[user.indexOf('keys') + 1]).toBe('~*');

    // A second resource with the same name is refused too.
    const other = testResource();
    track(other);
    await driver.apply(other, testContext());
    await expect(
      driver.apply({ ...other, id: testResource().id }, testContext()),
    ).rejects.toThrow(/not managed by this resource/);
  });

  it('applies the ACL rules of the type version and reads them back', async () => {
    const resource = testResource();
    const name = track(resource);
    const commands = async () => {
      const user = (await admin.call('ACL', 'GETUSER', name)) as unknown[];
      return String(user[user.indexOf('commands') + 1]);
    };
    const v1 = { ...resource, typeVersion: '1.0.0', settings: {} };
    const created = await driver.apply(v1, testContext());
    const ctx = testContext(created.secrets as Record<string, string>);
    expect(await commands()).toMatch(/^\+@all/);
    const v2 = { ...resource, typeVersion: '1.1.0', settings: { aclRules: ['+@read', '+ping'] } };
    await driver.apply(v2, ctx);
    const tightened = await commands();
    expect(tightened).toMatch(/\+@read/);
    expect(tightened).not.toMatch(/\+@all/);
    await expect(driver.observe(v2, ctx)).resolves.toMatchObject({ status: 'ready' });
    // the resource's own connection may read but no longer write
    const client = connect(created.secrets!.url);
    await client.connect();
    await expect(client.get(`${name}:k`)).resolves.toBeNull();
    await expect(client.set(`${name}:k`, 'v')).rejects.toThrow(/NOPERM/);
    // one space-separated string works as well; bad rules are refused
    await driver.apply({ ...v2, settings: { aclRules: '+@read +@write' } }, ctx);
    await expect(client.set(`${name}:k`, 'v')).resolves.toBe('OK');
    await expect(
      driver.apply({ ...v2, settings: { aclRules: ['+@read', '~*'] } }, ctx),
    ).rejects.toThrow(/Invalid setting aclRules .*got '~\*'/);
  });

  it.each([
    ['default'],
    ['paved'],
    ['a b'],
    ['a*'],
    ['~*'],
    ['a:b'],
    ['A'],
    ['a'.repeat(41)],
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
      label: 'Redis',
      reserved: expect.arrayContaining(['default', 'paved']),
    });
  });

});
