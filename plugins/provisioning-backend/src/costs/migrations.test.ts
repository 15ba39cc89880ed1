import { TestDatabases } from '@backstage/backend-test-utils';
import { KnexResourceStore } from '../database/KnexResourceStore';

jest.setTimeout(60_000);

describe('cost ledger migration', () => {
  const databases = TestDatabases.create();

  it.each(databases.eachSupportedId())('goes up and down on %p', async databaseId => {
    const knex = await databases.init(databaseId);
    await KnexResourceStore.migrateUp(knex);
    for (const table of ['provisioning_cost_ledger', 'provisioning_cost_monthly', 'provisioning_cost_rollup', 'provisioning_cost_prices', 'provisioning_cost_state']) {
      expect(await knex.schema.hasTable(table)).toBe(true);
    }
    const day = {
      resource_id: 'r', day: '2026-12-01', month: '2026-12', cost_usd: 1, billed_hours: 24, size: 'small',
      monthly_price_usd: 31, resource_name: 'n', resource_type: 't', owner: 'group:default/a',
    };
    await knex('provisioning_cost_ledger').insert(day);
    await expect(knex('provisioning_cost_ledger').insert(day)).rejects.toThrow();
    expect(Boolean((await knex('provisioning_cost_ledger').first('demo')).demo)).toBe(false);
    await knex.migrate.down({
      directory: require('node:path').resolve(__dirname, '../../migrations'),
      tableName: 'provisioning_knex_migrations',
      // this migration, whatever came after it
      name: '202612061200_costs.js',
    });
    expect(await knex.schema.hasTable('provisioning_cost_ledger')).toBe(false);
    expect(await knex.schema.hasTable('provisioning_cost_state')).toBe(false);
    expect(await knex.schema.hasTable('provisioning_resources')).toBe(true);
    await KnexResourceStore.migrateUp(knex);
    expect(await knex.schema.hasTable('provisioning_cost_ledger')).toBe(true);
    await knex.destroy();
  });
});
