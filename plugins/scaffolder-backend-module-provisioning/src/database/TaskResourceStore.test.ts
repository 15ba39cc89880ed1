/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseTaskResourceStore } from './TaskResourceStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create();

describe.each(databases.eachSupportedId())('DatabaseTaskResourceStore on %p', databaseId => {
  let shared: Promise<{ knex: any; store: DatabaseTaskResourceStore }>;
  // One database per engine for the whole file (creating PostgreSQL databases is slow).
  function createStore() {
    shared ??= (async () => {
      const knex = await databases.init(databaseId);
      const store = await DatabaseTaskResourceStore.create({
        database: { getClient: async () => knex },
      });
      return { knex, store };
    })();
    return shared;
  }

  it('records intents idempotently and tracks their status', async () => {
    const { store } = await createStore();
    const intent = {
      taskId: 't1',
      type: 'postgresql',
      name: 'invoice-db',
      owner: 'group:default/orders-team',
      keepOnFailure: true,
    };
    const first = await store.recordIntent(intent);
    expect(first.existed).toBe(false);
    expect(first.record).toMatchObject({
      ...intent,
      status: 'creating',
      resourceId: undefined,
    });
    expect(first.record.createdAt).toBeInstanceOf(Date);
    expect(Math.abs(first.record.createdAt.getTime() - Date.now())).toBeLessThan(60_000);

    const second = await store.recordIntent({ ...intent, keepOnFailure: false });
    expect(second.existed).toBe(true);
    expect(second.record.keepOnFailure).toBe(true);

    await store.markCreated({ taskId: 't1', type: 'postgresql', name: 'invoice-db', resourceId: 'r1' });
    await store.recordIntent({ ...intent, taskId: 't2', name: 'other-db' });
    expect(await store.listForTask('t1')).toEqual([
      expect.objectContaining({ resourceId: 'r1', status: 'created' }),
    ]);

    expect(
      (await store.listUnsettledTaskIds({ olderThan: new Date(Date.now() + 1000), limit: 10 })).sort(),
    ).toEqual(['t1', 't2']);
    expect(
      await store.listUnsettledTaskIds({ olderThan: new Date(Date.now() - 60_000), limit: 10 }),
    ).toEqual([]);

    await store.setStatus({ taskId: 't1', type: 'postgresql', name: 'invoice-db', status: 'released' });
    await store.markTaskCompleted('t2');
    expect(
      await store.listUnsettledTaskIds({ olderThan: new Date(Date.now() + 1000), limit: 10 }),
    ).toEqual([]);
    expect((await store.listForTask('t2'))[0].status).toBe('completed');
  });

  it('migrates down and up again', async () => {
    const { knex } = await createStore();
    expect(await knex.schema.hasTable('paved_scaffolder_task_resources')).toBe(true);
    // The newest migration first: git access tokens and retirements.
    for (const table of ['paved_git_access_tokens', 'paved_service_retirements']) {
      expect(await knex.schema.hasTable(table)).toBe(true);
    }
    await knex.migrate.down({
      directory: `${__dirname}/../../migrations`,
      tableName: 'paved_scaffolder_provisioning_knex_migrations',
    });
    for (const table of ['paved_git_access_tokens', 'paved_service_retirements']) {
      expect(await knex.schema.hasTable(table)).toBe(false);
    }
    expect(await knex.schema.hasTable('paved_scaffolder_task_resources')).toBe(true);
    await knex.migrate.down({
      directory: `${__dirname}/../../migrations`,
      tableName: 'paved_scaffolder_provisioning_knex_migrations',
    });
    expect(await knex.schema.hasTable('paved_scaffolder_task_resources')).toBe(false);
    await knex.migrate.latest({
      directory: `${__dirname}/../../migrations`,
      tableName: 'paved_scaffolder_provisioning_knex_migrations',
    });
    expect(await knex.schema.hasTable('paved_scaffolder_task_resources')).toBe(true);
  });
});
