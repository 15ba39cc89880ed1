import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  RedisDriver,
  readRedisDriverConfig,
} from '@paved/backstage-plugin-provisioning-backend-module-redis';
import type { ResourceTypeDefinition } from '@paved/backstage-plugin-provisioning-common';
import Redis from 'ioredis';
import { adminQuery, countingPostgresDriver, reliabilityPrefix } from '../__testUtils__/postgres';
import { rolloutHarness, versionedType } from '../__testUtils__/rolloutHarness';
import type { RolloutGate } from './gate';

jest.setTimeout(180_000);

const REDIS_URL = process.env.PAVED_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const postgresql: ResourceTypeDefinition = versionedType('postgresql', 'postgres', {
  versions: [
    { version: '1.0.0', settings: { connectionLimits: { small: 10 } } },
    {
      version: '1.1.0',
      settings: { connectionLimits: { small: 15 }, statementTimeout: '30s', roleAttributes: ['NOINHERIT'] },
    },
  ],
});
const redis: ResourceTypeDefinition = versionedType('redis', 'redis', {
  entityType: 'cache',
  versions: [
    { version: '1.0.0', settings: {} },
    { version: '1.1.0', settings: { aclRules: ['+@read', '+ping', '-@dangerous'] } },
  ],
});

/** What PostgreSQL says about the role and database of a resource. */
async function pgSettings(name: string) {
  const ident = name.replace(/-/g, '_');
  const [role] = await adminQuery<{ rolconnlimit: number; rolinherit: boolean }>(
    'SELECT rolconnlimit, rolinherit FROM pg_roles WHERE rolname = $1',
    [ident],
  );
  const [db] = await adminQuery<{ datconnlimit: number }>('SELECT datconnlimit FROM pg_database WHERE datname = $1', [
    ident,
  ]);
  const settings = await adminQuery<{ setconfig: string[] }>(
    `SELECT s.setconfig FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole
      WHERE r.rolname = $1 AND s.setdatabase = 0`,
    [ident],
  );
  return {
    roleLimit: role?.rolconnlimit,
    databaseLimit: db?.datconnlimit,
    inherit: role?.rolinherit,
    config: settings.flatMap(s => s.setconfig),
  };
}

describe('rollouts against the real PostgreSQL and Redis servers', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const prefix = reliabilityPrefix();
  const admin = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  const redisDriver = RedisDriver.create({
    config: readRedisDriverConfig(new ConfigReader({ provisioning: { drivers: { redis: { url: REDIS_URL } } } }))!,
    logger: mockServices.logger.mock(),
  });
  const { driver: pgDriver, creates } = countingPostgresDriver();

  afterAll(async () => {
    const users = ((await admin.call('ACL', 'USERS')) as string[]).filter(u => u.startsWith(prefix));
    for (const u of users) await admin.call('ACL', 'DELUSER', u);
    const markers = await admin.keys(`*${prefix}*`);
    if (markers.length) await admin.del(...markers);
    admin.disconnect();
    await redisDriver.close();
    await pgDriver.close();
  });

  async function aclOf(name: string): Promise<string> {
    const reply = (await admin.call('ACL', 'GETUSER', name)) as unknown[];
    const i = reply.indexOf('commands');
    return String(reply[i + 1]);
  }

  async function drive(h: Awaited<ReturnType<typeof rolloutHarness>>, id: string) {
    for (let i = 0; i < 60; i += 1) {
      await h.rolloutRunner.tick();
      await h.settle();
      const r = await h.rollouts.getRollout(id);
      if (r!.status !== 'running') return r!;
    }
    throw new Error('rollout did not finish');
  }

  it('changes the connection limit, statement_timeout, role attributes and ACL rules, read back from the servers', async () => {
    const knex = await databases.init('SQLITE_3');
    const h = await rolloutHarness({ knex, driver: pgDriver, drivers: [redisDriver], types: [postgresql, redis] });
    const pgNames = [0, 1, 2].map(i => `${prefix}-pg-${i}`);
    const redisNames = [0, 1].map(i => `${prefix}-rd-${i}`);
    for (const n of pgNames) await h.addReady(n, 'postgresql');
    for (const n of redisNames) await h.addReady(n, 'redis');
    await h.settle();
    for (const n of pgNames) {
      expect(await pgSettings(n)).toEqual({ roleLimit: 10, databaseLimit: 10, inherit: true, config: [] });
    }
    for (const n of redisNames) expect(await aclOf(n)).toMatch(/\+@all/);

    const pg = await h.service.create({ type: 'postgresql', waves: [34] }, h.caller);
    expect(pg.waves.map(w => w.total)).toEqual([2, 1]);
    expect((await drive(h, pg.id)).status).toBe('succeeded');
    for (const n of pgNames) {
      expect(await pgSettings(n)).toEqual({
        roleLimit: 15,
        databaseLimit: 15,
        inherit: false,
        config: ['statement_timeout=30s'],
      });
    }
    // created once and updated once each: nothing applied twice
    expect([...creates.values()]).toEqual([2, 2, 2]);

    const rd = await h.service.create({ type: 'redis' }, h.caller);
    expect((await drive(h, rd.id)).status).toBe('succeeded');
    for (const n of redisNames) {
      const acl = await aclOf(n);
      expect(acl).toMatch(/\+@read/);
      expect(acl).toMatch(/\+ping/);
      expect(acl).not.toMatch(/\+@all/);
      expect(acl).not.toMatch(/\+set\b|\+@write/);
    }
    // drift checks see the new settings as declared
    const { items } = await h.store.listResources({ filter: {}, limit: 100 });
    expect(items.every(r => r.state === 'ready' && r.appliedVersion === '1.1.0' && !r.drifted)).toBe(true);
    await h.stop();
    await knex.destroy();
  });

  it('rolls a resource that fails its gate back to its previous settings on the server', async () => {
    const knex = await databases.init('SQLITE_3');
    const unhealthy = new Set<string>();
    const gate: RolloutGate = {
      async check({ resources }) {
        const bad = resources.find(r => unhealthy.has(r.name));
        return bad ? { passed: false, resourceId: bad.id, reason: `${bad.name}: orders-api degraded` } : { passed: true };
      },
    };
    const h = await rolloutHarness({ knex, driver: pgDriver, types: [postgresql], gate });
    const names = [0, 1, 2, 3].map(i => `${prefix}-gate-${i}`);
    for (const n of names) await h.addReady(n, 'postgresql');
    await h.settle();
    const started = await h.service.create({ type: 'postgresql', waves: [25] }, h.caller);
    const canary = (await h.service.get(started.id)).waves[0].items[0].name;
    unhealthy.add(canary);
    const done = await drive(h, started.id);
    expect(done.status).toBe('failed');
    expect(done.reason).toBe(`Wave 1 failed its health gate: ${canary}: orders-api degraded`);
    await h.settle();
    expect(await pgSettings(canary)).toEqual({ roleLimit: 10, databaseLimit: 10, inherit: true, config: [] });
    for (const n of names.filter(x => x !== canary)) {
      expect(await pgSettings(n)).toEqual({ roleLimit: 10, databaseLimit: 10, inherit: true, config: [] });
    }
    const [r] = (await h.store.listResources({ filter: { name: canary }, limit: 1 })).items;
    expect(r).toMatchObject({ state: 'ready', appliedVersion: '1.0.0' });
    await h.stop();
    await knex.destroy();
  });
});
