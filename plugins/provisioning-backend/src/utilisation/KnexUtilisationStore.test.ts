import { TestDatabases } from '@backstage/backend-test-utils';
import { KnexResourceStore } from '../database/KnexResourceStore';
import { dayBefore, KnexUtilisationStore, utcDay } from './KnexUtilisationStore';

jest.setTimeout(60_000);

describe('KnexUtilisationStore', () => {
  const databases = TestDatabases.create();

  it.each(databases.eachSupportedId())('keeps the daily peak per resource and size on %p', async databaseId => {
    const knex = await databases.init(databaseId);
    await KnexResourceStore.migrateUp(knex);
    expect(await knex.schema.hasTable('provisioning_utilisation_daily')).toBe(true);
    const store = KnexUtilisationStore.fromKnex(knex);
    const day = '2026-12-06';
    const sample = (used: number, extra: object = {}) =>
      store.record({
        resourceId: 'r1', day, size: 'medium', at: 1,
        utilisation: { connections: { used, limit: 25 }, storageBytes: 8_000_000 + used, capacityBySize: { small: { connections: 10 } }, ...extra },
      });
    await sample(2);
    await sample(5);
    await sample(1);
    // concurrent samples (two replicas): no peak is lost
    await Promise.all([sample(4), sample(3), sample(0)]);
    await store.record({ resourceId: 'r1', day, size: 'small', at: 2, utilisation: { connections: { used: 9, limit: 10 } } });
    await store.record({ resourceId: 'r2', day, size: 'small', at: 2, utilisation: { memory: { usedBytes: 5_000_000_000, limitBytes: 6_000_000_000 }, keys: 12 } });
    const rows = await store.list({ fromDay: day });
    expect(rows).toEqual([
      {
        resourceId: 'r1', day, size: 'medium', samples: 6, peakConnections: 5, connectionLimit: 25, maxStorageBytes: 8_000_005,
        capacity: { small: { connections: 10 } }, demo: false,
      },
      { resourceId: 'r1', day, size: 'small', samples: 1, peakConnections: 9, connectionLimit: 10, demo: false },
      { resourceId: 'r2', day, size: 'small', samples: 1, peakMemoryBytes: 5_000_000_000, memoryLimitBytes: 6_000_000_000, maxKeys: 12, demo: false },
    ]);
    // demo seeding never overwrites measured rows
    await store.insertMissing([
      { resourceId: 'r1', day, size: 'medium', at: 3, demo: true, peakConnections: 20 },
      { resourceId: 'r1', day: dayBefore(day, 1), size: 'medium', at: 3, demo: true, peakConnections: 3 },
    ]);
    expect(await store.list({ fromDay: dayBefore(day, 1), resourceIds: ['r1'] })).toEqual([
      expect.objectContaining({ day: '2026-12-05', size: 'medium', peakConnections: 3, demo: true }),
      expect.objectContaining({ day, size: 'medium', peakConnections: 5, demo: false }),
      expect.objectContaining({ day, size: 'small' }),
    ]);
    expect(utcDay(Date.parse('2026-12-06T23:59:59.999Z'))).toBe('2026-12-06');
    await KnexResourceStore.migrateDown(knex);
    expect(await knex.schema.hasTable('provisioning_utilisation_daily')).toBe(false);
    await knex.destroy();
  });
});
