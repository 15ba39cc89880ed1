import { TestDatabases } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import { KnexResourceStore } from './KnexResourceStore';

jest.setTimeout(60_000);

/** The plugin's migrations, as `KnexResourceStore.migrateUp` runs them. */
const MIGRATIONS = {
  directory: resolvePackagePath('@paved/backstage-plugin-provisioning-backend', 'migrations'),
  tableName: 'provisioning_knex_migrations',
};

/** Runs every migration before `file` (a file name in `migrations/`), and not `file` itself. */
async function migrateUpTo(knex: Knex, file: string) {
  const next = async () => {
    const [, pending] = await knex.migrate.list(MIGRATIONS);
    return (pending[0] as { file?: string; name?: string })?.file ?? (pending[0] as { name?: string })?.name;
  };
  while ((await next()) !== file) await knex.migrate.up(MIGRATIONS);
}

describe('migrations', () => {
  const databases = TestDatabases.create();

  it.each(databases.eachSupportedId())('go up and down on %p', async databaseId => {
    const knex = await databases.init(databaseId);
    await KnexResourceStore.migrateUp(knex);
    expect(await knex.schema.hasTable('provisioning_resources')).toBe(true);
    expect(await knex.schema.hasTable('provisioning_events')).toBe(true);
    expect(await knex.schema.hasTable('provisioning_idempotency_keys')).toBe(true);
    expect(await knex.schema.hasTable('provisioning_rollouts')).toBe(true);
    expect(await knex.schema.hasTable('provisioning_rollout_items')).toBe(true);
    for (const column of ['billable', 'pending_change', 'working_since', 'ttl_ms', 'expires_at', 'ttl_reminders_sent', 'applied_version', 'target_version']) {
      expect(await knex.schema.hasColumn('provisioning_resources', column)).toBe(true);
    }
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
    // existing resources do not expire
    expect(await knex('provisioning_resources').where({ id: 'r1' }).first('ttl_ms', 'expires_at', 'ttl_reminders_sent')).toEqual({
      ttl_ms: null, expires_at: null, ttl_reminders_sent: 0,
    });
    await KnexResourceStore.migrateDown(knex);
    expect(await knex.schema.hasTable('provisioning_rollouts')).toBe(false);
    expect(await knex.schema.hasTable('provisioning_resources')).toBe(false);
    expect(await knex.schema.hasTable('provisioning_events')).toBe(false);
    expect(await knex.schema.hasTable('provisioning_idempotency_keys')).toBe(false);
    await KnexResourceStore.migrateUp(knex);
    expect(await knex('provisioning_resources').count({ c: '*' })).toEqual([{ c: expect.anything() }]);
    await knex.destroy();
  });

  it.each(databases.eachSupportedId())('adds and removes the deviations column (escape hatches) on %p', async databaseId => {
    const knex = await databases.init(databaseId);
    await knex.migrate.latest(MIGRATIONS);
    expect(await knex.schema.hasColumn('provisioning_resources', 'deviations')).toBe(true);
    await knex('provisioning_resources').insert({
      id: 'd1', name: 'd', type: 't', owner: 'group:default/a', parameters: '{}', state: 'requested',
      conditions: '[]', outputs: '{}', created_by: 'user:default/x', created_at: 1, updated_at: 1, live_name: 'd',
    });
    expect(await knex('provisioning_resources').where({ id: 'd1' }).first('deviations')).toEqual({ deviations: null });
    await knex.migrate.down({ ...MIGRATIONS, name: '202612061100_deviations.js' });
    expect(await knex.schema.hasColumn('provisioning_resources', 'deviations')).toBe(false);
    expect(await knex('provisioning_resources').where({ id: 'd1' }).first('id')).toEqual({ id: 'd1' });
    await knex.destroy();
  });

  it.each(databases.eachSupportedId())('never announces events recorded before the announcements outbox on %p', async databaseId => {
    const knex = await databases.init(databaseId);
    await migrateUpTo(knex, '202612061400_announcements.js');
    expect(await knex.schema.hasColumn('provisioning_events', 'announcement')).toBe(false);
    await knex('provisioning_resources').insert({
      id: 'old1', name: 'old1', type: 't', owner: 'group:default/a', parameters: '{}', state: 'ready',
      conditions: '[]', outputs: '{}', created_by: 'user:default/x', created_at: 1, updated_at: 1, live_name: 'old1',
    });
    await knex('provisioning_events').insert([
      { id: 'e1', resource_id: 'old1', at: 1, actor: 'a', type: 'created', to_state: 'requested', message: 'm' },
      { id: 'e2', resource_id: 'old1', at: 2, actor: 'a', type: 'transition', from_state: 'provisioning', to_state: 'ready', message: 'Ready' },
    ]);
    await knex.migrate.up(MIGRATIONS);
    for (const column of ['announcement', 'announced_at', 'announce_claim', 'announce_claimed_until']) {
      expect(await knex.schema.hasColumn('provisioning_events', column)).toBe(true);
    }
    expect(await knex('provisioning_events').orderBy('id').select('id', 'announcement', 'announced_at')).toEqual([
      { id: 'e1', announcement: null, announced_at: null },
      { id: 'e2', announcement: null, announced_at: null },
    ]);
    const store = await KnexResourceStore.create({
      database: { getClient: async () => knex } as any,
      skipMigrations: true,
    });
    const now = Date.now() + 86_400_000;
    expect(await store.claimUnannounced({ now, recordedBefore: now, leaseMs: 60_000, limit: 500 })).toEqual([]);
    await knex.migrate.down(MIGRATIONS);
    expect(await knex.schema.hasColumn('provisioning_events', 'announcement')).toBe(false);
    expect(await knex.schema.hasColumn('provisioning_events', 'announced_at')).toBe(false);
    expect((await knex('provisioning_events').orderBy('id').select('id')).map(r => r.id)).toEqual(['e1', 'e2']);
    await knex.destroy();
  });

  it.each(databases.eachSupportedId())('migrates lifecycle data to the second generation on %p', async databaseId => {
    const knex = await databases.init(databaseId);
    await knex.migrate.up(MIGRATIONS); // the first migration only
    const row = (id: string, state: string, extra: object) => ({
      id, name: id, type: 't', owner: 'group:default/a', parameters: '{"size":"small"}', state,
      conditions: '[]', outputs: '{}', created_by: 'user:default/x', created_at: 1, updated_at: 1000, live_name: id,
      ...extra,
    });
    await knex('provisioning_resources').insert([
      row('ready1', 'ready', {}),
      row('failedcreate', 'failed', { pending_operation: 'create' }),
      row('failedupdate', 'failed', { pending_operation: 'update' }),
      row('resize', 'awaiting-approval', { pending_operation: 'update', pending_parameters: '{"size":"large"}' }),
    ]);
    await knex.migrate.latest(MIGRATIONS);
    const rows = await knex('provisioning_resources').orderBy('id').select('id', 'state', 'billable', 'pending_change', 'pending_operation');
    const byId = Object.fromEntries(rows.map(r => [r.id, r]));
    expect(Boolean(byId.ready1.billable)).toBe(true);
    expect(Boolean(byId.failedcreate.billable)).toBe(false);
    expect(Boolean(byId.failedupdate.billable)).toBe(true);
    expect(byId.resize).toMatchObject({ state: 'ready', pending_operation: null });
    expect(Boolean(byId.resize.billable)).toBe(true);
    expect(JSON.parse(byId.resize.pending_change)).toMatchObject({
      parameters: { size: 'large' },
      changes: [{ key: 'size', from: 'small', to: 'large' }],
    });
    await knex.destroy();
  });

  it.each(databases.eachSupportedId())('records existing resources at version 1.0.0 on %p', async databaseId => {
    const knex = await databases.init(databaseId);
    await migrateUpTo(knex, '202612061000_rollouts.js');
    expect(await knex.schema.hasColumn('provisioning_resources', 'applied_version')).toBe(false);
    const row = (id: string, state: string) => ({
      id, name: id, type: 't', owner: 'group:default/a', parameters: '{}', state,
      conditions: '[]', outputs: '{}', created_by: 'user:default/x', created_at: 1, updated_at: 1, live_name: id,
    });
    await knex('provisioning_resources').insert([row('ready1', 'ready'), row('new1', 'requested'), row('wait1', 'awaiting-approval')]);
    await knex.migrate.up(MIGRATIONS);
    const rows = await knex('provisioning_resources').orderBy('id').select('id', 'applied_version', 'target_version');
    expect(rows).toEqual([
      { id: 'new1', applied_version: null, target_version: '1.0.0' },
      { id: 'ready1', applied_version: '1.0.0', target_version: null },
      { id: 'wait1', applied_version: null, target_version: '1.0.0' },
    ]);
    await knex('provisioning_rollouts').insert({
      id: 'ro1', type: 't', target_version: '1.1.0', status: 'running', strategy: 'percent', wave_percents: '[5,25]',
      soak_ms: 0, wave_count: 1, created_by: 'u', created_at: 1, updated_at: 1,
    });
    await knex('provisioning_rollout_items').insert({
      rollout_id: 'ro1', resource_id: 'ready1', wave: 0, name: 'ready1', owner: 'o', previous_version: '1.0.0',
      status: 'pending', updated_at: 1,
    });
    await expect(
      knex('provisioning_rollout_items').insert({
        rollout_id: 'ro1', resource_id: 'ready1', wave: 0, name: 'ready1', owner: 'o', previous_version: '1.0.0',
        status: 'pending', updated_at: 1,
      }),
    ).rejects.toThrow();
    await knex.migrate.down(MIGRATIONS);
    expect(await knex.schema.hasTable('provisioning_rollouts')).toBe(false);
    expect(await knex.schema.hasColumn('provisioning_resources', 'applied_version')).toBe(false);
    await knex.destroy();
  });
});
