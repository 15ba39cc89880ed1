import { TestDatabases } from '@backstage/backend-test-utils';
import { KnexResourceStore } from './KnexResourceStore';

jest.setTimeout(60_000);

describe('migrations', () => {
  const databases = TestDatabases.create();

  it.each(databases.eachSupportedId())('go up and down on %p', async databaseId => {
    const knex = await databases.init(databaseId);
    await KnexResourceStore.migrateUp(knex);
    expect(await knex.schema.hasTable('provisioning_resources')).toBe(true);
    expect(await knex.schema.hasTable('provisioning_events')).toBe(true);
    await knex('provisioning_resources').insert({
      id: 'r1', name: 'n', type: 't', owner: 'group:default/a', parameters: '{}', state: 'requested',
      conditions: '[]', outputs: '{}', created_by: 'user:default/x', created_at: 1, updated_at: 1, live_name: 'n',
    });
    // a second live resource with the same type and name is refused by the unique index
    await expect(
      knex('provisioning_resources').insert({
        id: 'r2', name: 'n', type: 't', owner: 'group:default/a', parameters: '{}', state: 'requested',
        conditions: '[]', outputs: '{}', created_by: 'user:default/x', created_at: 1, updated_at: 1, live_name: 'n',
      }),
    ).rejects.toThrow();
    // deleted ones (live_name null) do not collide
    await knex('provisioning_resources').insert({
      id: 'r3', name: 'n', type: 't', owner: 'group:default/a', parameters: '{}', state: 'deleted',
      conditions: '[]', outputs: '{}', created_by: 'user:default/x', created_at: 1, updated_at: 1, live_name: null,
    });
    await knex('provisioning_events').insert({ id: 'e1', resource_id: 'r1', at: 1, actor: 'a', type: 'created', message: 'm' });
    await KnexResourceStore.migrateDown(knex);
    expect(await knex.schema.hasTable('provisioning_resources')).toBe(false);
    expect(await knex.schema.hasTable('provisioning_events')).toBe(false);
    await KnexResourceStore.migrateUp(knex);
    expect(await knex('provisioning_resources').count({ c: '*' })).toEqual([{ c: expect.anything() }]);
    await knex.destroy();
  });
});
