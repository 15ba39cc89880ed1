/*
 * A rightsizing recommendation from utilisation measured on the REAL servers: the postgres driver against the
 * PostgreSQL on 127.0.0.1:5432 and the redis driver against the Redis on 127.0.0.1:6379. The drivers are
 * observed once per simulated day (the injected clock moves 7 days), each sample goes through the
 * UtilisationRecorder into the store, and the rule turns the stored week into the recommendation.
 */
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  PostgresDriver,
  readPostgresDriverConfig,
} from '@paved/backstage-plugin-provisioning-backend-module-postgres';
import {
  readRedisDriverConfig,
  RedisDriver,
} from '@paved/backstage-plugin-provisioning-backend-module-redis';
import type {
  DriverContext,
  DriverResource,
  ProvisioningDriver,
} from '@paved/backstage-plugin-provisioning-node';
import type { Resource } from '@paved/backstage-plugin-provisioning-common';
import Redis from 'ioredis';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { postgresConnection, dropPrefixed } from '../__testUtils__/postgres';
import { KnexResourceStore } from '../database/KnexResourceStore';
import type { StoredResource } from '../database/types';
import { KnexUtilisationStore, utcDay } from '../utilisation/KnexUtilisationStore';
import { UtilisationRecorder } from '../utilisation/UtilisationRecorder';
import { recommend } from './recommend';

jest.setTimeout(120_000);

const TEST_REDIS_URL = process.env.PAVED_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const DAY = 86_400_000;
const START = Date.parse('2026-11-30T12:00:00.000Z');
const config = { windowDays: 7, minSampledDays: 5, targetUtilisation: 0.6 };

const ctx = (secrets: Record<string, string> = {}): DriverContext => ({
  logger: mockServices.logger.mock(),
  signal: new AbortController().signal,
  secrets,
});

function resourceOf(r: DriverResource): StoredResource {
  return {
    id: r.id, name: r.name, type: r.type.id, owner: r.owner, parameters: r.parameters, state: 'ready',
    drifted: false, conditions: [], outputs: {}, monthlyCostUsd: r.type.pricing[String(r.parameters.size)] ?? 0,
    billable: true, attempts: 0, createdBy: 'user:default/dana', createdAt: '', updatedAt: '',
  };
}

/** Observes `r` once per day for 7 days on the injected clock; `during(day)` runs load before each observation. */
async function measureWeek(options: {
  driver: ProvisioningDriver;
  resource: DriverResource;
  secrets: Record<string, string>;
  store: KnexUtilisationStore;
  during: (day: number) => Promise<() => Promise<void>>;
}) {
  let now = START;
  const recorder = new UtilisationRecorder({ store: options.store, logger: mockServices.logger.mock(), now: () => now });
  for (let day = 0; day < 7; day += 1) {
    now = START + day * DAY;
    const release = await options.during(day);
    try {
      const observed = await options.driver.observe(options.resource, ctx(options.secrets));
      expect(observed.status).toBe('ready');
      if (observed.status === 'ready' && observed.utilisation) {
        await recorder.record(resourceOf(options.resource), observed.utilisation);
      }
    } finally {
      await release();
    }
  }
  return utcDay(now);
}

describe('rightsizing from utilisation measured on the real servers', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let store: KnexUtilisationStore;

  beforeAll(async () => {
    const knex = await databases.init('SQLITE_3');
    await KnexResourceStore.migrateUp(knex);
    store = KnexUtilisationStore.fromKnex(knex);
  });

  it('PostgreSQL: a medium database whose peak is 3 of 25 connections over 7 days should be small', async () => {
    const prefix = `paved-rs-${randomBytes(3).toString('hex')}`;
    const driver = PostgresDriver.create({
      config: readPostgresDriverConfig(
        new ConfigReader({ provisioning: { drivers: { postgres: { connection: postgresConnection() } } } }),
      )!,
      logger: mockServices.logger.mock(),
    });
    const resource: DriverResource = {
      id: randomUUID(),
      name: `${prefix}-db`,
      owner: 'group:default/orders-team',
      parameters: { size: 'medium' },
      type: {
        id: 'postgresql', title: 'PostgreSQL', description: '', driver: 'postgres', entityType: 'database',
        parameters: { type: 'object' }, pricing: { small: 15, medium: 60, large: 240 },
        policy: { approvalRequiredForSizes: ['large'] }, repairDrift: false,
      },
    };
    try {
      const created = await driver.apply(resource, ctx());
      const secrets = (created as { secrets: Record<string, string> }).secrets;
      // connections open per day: the peak, 3, is on day 4
      const load = [1, 0, 2, 1, 3, 1, 2];
      const today = await measureWeek({
        driver, resource, secrets, store,
        during: async day => {
          const clients = Array.from({ length: load[day] }, () => new Client({ connectionString: secrets.url }));
          for (const c of clients) await c.connect();
          return async () => {
            for (const c of clients) await c.end();
          };
        },
      });
      const days = await store.list({ fromDay: '2026-11-30', resourceIds: [resource.id] });
      expect(days).toHaveLength(7);
      expect(days.map(d => d.peakConnections)).toEqual(load);
      expect(days[0]).toMatchObject({ size: 'medium', connectionLimit: 25, capacity: { small: { connections: 10 } } });
      expect(days[0].maxStorageBytes).toBeGreaterThan(1_000_000);
      const rec = recommend({ resource: resourceOf(resource) as Resource, type: resource.type, days, today, config });
      expect(rec).toMatchObject({
        kind: 'oversized', recommendedSize: 'small', monthlySavingUsd: 45,
        message: 'medium -> small saves $45.00/month: peak 3 of 25 connections over 7 days',
      });
    } finally {
      await driver.delete(resource, ctx()).catch(() => undefined);
      await driver.close();
      await dropPrefixed(prefix);
    }
  });

  it('Redis: a medium key prefix using a few KiB of its 256 MiB over 7 days should be small', async () => {
    const driver = RedisDriver.create({
      config: readRedisDriverConfig(new ConfigReader({ provisioning: { drivers: { redis: { url: TEST_REDIS_URL } } } }))!,
      logger: mockServices.logger.mock(),
    });
    const admin = new Redis(TEST_REDIS_URL);
    const resource: DriverResource = {
      id: randomUUID(),
      name: `paved-rs-${randomBytes(4).toString('hex')}`,
      owner: 'group:default/orders-team',
      parameters: { size: 'medium' },
      type: {
        id: 'redis', title: 'Redis', description: '', driver: 'redis', entityType: 'cache',
        parameters: { type: 'object' }, pricing: { small: 5, medium: 20, large: 80 },
        policy: { approvalRequiredForSizes: [] }, repairDrift: false,
      },
    };
    try {
      const created = await driver.apply(resource, ctx());
      const secrets = (created as { secrets: Record<string, string> }).secrets;
      const user = new Redis(secrets.url);
      const today = await measureWeek({
        driver, resource, secrets, store,
        during: async day => {
          // the cache grows by 20 keys of 100 bytes a day
          for (let i = 0; i < 20; i += 1) await user.set(`${resource.name}:k${day}-${i}`, 'x'.repeat(100));
          return async () => undefined;
        },
      });
      user.disconnect();
      const days = await store.list({ fromDay: '2026-11-30', resourceIds: [resource.id] });
      expect(days.map(d => d.maxKeys)).toEqual([20, 40, 60, 80, 100, 120, 140]);
      expect(days[6].peakMemoryBytes).toBeGreaterThan(140 * 100);
      expect(days[6]).toMatchObject({ memoryLimitBytes: 256 * 1024 * 1024 });
      const rec = recommend({ resource: resourceOf(resource) as Resource, type: resource.type, days, today, config });
      expect(rec).toMatchObject({ kind: 'oversized', recommendedSize: 'small', monthlySavingUsd: 15 });
      expect(rec!.message).toMatch(
        /^medium -> small saves \$15\.00\/month: peak [\d.]+ KiB of 256 MiB memory \(140 keys\) over 7 days$/,
      );
    } finally {
      await driver.delete(resource, ctx()).catch(() => undefined);
      await driver.close();
      admin.disconnect();
    }
  });
});
