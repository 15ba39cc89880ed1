import { TestDatabases } from '@backstage/backend-test-utils';
import type { EntityStatusSummary } from '@paved/backstage-plugin-service-status-common';
import { Knex } from 'knex';
import { applyDatabaseMigrations } from './migrations';
import { SnapshotRow, SnapshotStore } from './SnapshotStore';

jest.setTimeout(60_000);

function rows(count: number, from = 0): SnapshotRow[] {
  return Array.from({ length: count }, (_, i) => {
    const n = String(from + i).padStart(5, '0');
    const summary = {
      entityRef: `component:default/svc-${n}`,
      kind: 'Component',
      name: `svc-${n}`,
      namespace: 'default',
      state: 'up',
      reasons: [],
    } as unknown as EntityStatusSummary;
    return { summary };
  });
}

/** When the table's planner statistics were last refreshed (`undefined`: never). */
async function statisticsOf(knex: Knex): Promise<string | undefined> {
  if (knex.client.config.client === 'pg') {
    const { rows: found } = await knex.raw(
      `SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'status_snapshot'`,
    );
    return found[0]?.last_analyze ? String(found[0].last_analyze) : undefined;
  }
  const hasStats = await knex.schema.hasTable('sqlite_stat1');
  if (!hasStats) return undefined;
  const found = await knex('sqlite_stat1').where('tbl', 'status_snapshot');
  return found.length ? JSON.stringify(found) : undefined;
}

describe('SnapshotStore', () => {
  const databases = TestDatabases.create();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('refreshes planner statistics after a large change, not after a small one, and pages by ref', async () => {
      const knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      const store = SnapshotStore.create({ knex });

      // Small first fill: under the threshold, no ANALYZE.
      await store.sync(rows(100), 1);
      expect(await statisticsOf(knex)).toBeUndefined();

      // A fill of 1,000 new rows: statistics are refreshed at once, so the overview is planned for the real size.
      const result = await store.sync(rows(1100), 2);
      expect(result).toEqual({ written: 1000, unchanged: 100, deleted: 0 });
      expect(await statisticsOf(knex)).toBeDefined();

      const page = await store.list({
        kinds: ['component', 'resource'],
        limit: 3,
      });
      expect(page.map(r => r.entityRef)).toEqual([
        'component:default/svc-00000',
        'component:default/svc-00001',
        'component:default/svc-00002',
        'component:default/svc-00003',
      ]);
    });
  });
});
