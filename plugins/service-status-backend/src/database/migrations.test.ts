import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { migrationsDirectory } from './migrations';

jest.setTimeout(60_000);

const TABLES = [
  'status_samples',
  'status_hourly',
  'status_current',
  'status_deployments',
  'status_incidents',
  'status_incident_updates',
];
const SNAPSHOT = 'status_snapshot';

describe('migrations', () => {
  const databases = TestDatabases.create();

  async function tables(knex: Knex) {
    const present: string[] = [];
    for (const table of [...TABLES, SNAPSHOT]) {
      if (await knex.schema.hasTable(table)) {
        present.push(table);
      }
    }
    return present;
  }

  it.each(databases.eachSupportedId())(
    'migrates up and down on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const directory = migrationsDirectory();

      await knex.migrate.latest({ directory });
      expect(await tables(knex)).toEqual([...TABLES, SNAPSHOT]);

      // the snapshot table works, including a long JSON summary
      await knex('status_snapshot').insert({
        entity_ref: 'component:default/a',
        kind: 'component',
        owner: 'group:default/t',
        system: null,
        state: 'down',
        summary: JSON.stringify({ reasons: ['x'.repeat(5000)] }),
        since: 1_700_000_000_000,
        updated_at: 1_700_000_000_000,
        digest: 'x'.repeat(43),
      });
      const [snap] = await knex('status_snapshot').select('summary', 'since');
      expect(JSON.parse(snap.summary).reasons[0]).toHaveLength(5000);
      expect(Number(snap.since)).toBe(1_700_000_000_000);

      // the schema works: a sample, an incident with a timeline entry (FK), cascade delete
      await knex('status_samples').insert({
        entity_ref: 'component:default/a',
        at: 1_700_000_000_000,
        state: 'up',
        latency_ms: 12,
      });
      await knex('status_incidents').insert({
        id: 'i1',
        entity_ref: 'component:default/a',
        title: 't',
        severity: 'sev2',
        state: 'investigating',
        created_by: 'user:default/x',
        created_at: 1,
        updated_at: 1,
      });
      await knex('status_incident_updates').insert({
        id: 'u1',
        incident_id: 'i1',
        at: 1,
        author: 'user:default/x',
        message: 'm',
        state: 'investigating',
        severity: 'sev2',
      });
      const [{ at }] = await knex('status_samples').select('at');
      expect(Number(at)).toBe(1_700_000_000_000);

      // the deployment commit time (DORA lead time) comes and goes with its migration
      expect(
        await knex.schema.hasColumn('status_deployments', 'committed_at'),
      ).toBe(true);
      await knex.migrate.down({ directory });
      expect(
        await knex.schema.hasColumn('status_deployments', 'committed_at'),
      ).toBe(false);

      // the digest column (writes only changed snapshot rows) comes and goes with its migration
      expect(await knex.schema.hasColumn(SNAPSHOT, 'digest')).toBe(true);
      await knex.migrate.down({ directory });
      expect(await knex.schema.hasColumn(SNAPSHOT, 'digest')).toBe(false);
      const [kept] = await knex(SNAPSHOT).select('entity_ref');
      expect(kept.entity_ref).toBe('component:default/a');
      await knex.migrate.down({ directory });
      expect(await tables(knex)).toEqual(TABLES);
      await knex.migrate.down({ directory });
      expect(await tables(knex)).toEqual([]);

      await knex.migrate.latest({ directory });
      expect(await tables(knex)).toEqual([...TABLES, SNAPSHOT]);
      await knex.destroy();
    },
  );
});
