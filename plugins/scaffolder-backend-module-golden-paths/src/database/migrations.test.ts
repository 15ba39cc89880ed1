/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { resolve } from 'node:path';

jest.setTimeout(60_000);
const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const config = {
  directory: resolve(__dirname, '../../migrations'),
  tableName: 'paved_scaffolder_golden_paths_knex_migrations',
};

describe.each(databases.eachSupportedId())('migrations on %s', databaseId => {
  it('creates the upgrade and campaign tables and removes them again', async () => {
    const knex = await databases.init(databaseId);
    await knex.migrate.latest(config);
    await knex('paved_template_upgrades').insert({
      repo: 'invoice-api',
      to_version: '2.0.0',
      template: 'template:default/typescript-service',
      status: 'open',
      updated_at: new Date(),
    });
    await expect(
      knex('paved_template_upgrades').insert({
        repo: 'invoice-api',
        to_version: '2.0.0',
        template: 'template:default/typescript-service',
        status: 'open',
        updated_at: new Date(),
      }),
    ).rejects.toThrow();
    expect(await knex.schema.hasTable('paved_template_campaigns')).toBe(true);
    await knex.migrate.down(config);
    expect(await knex.schema.hasTable('paved_template_upgrades')).toBe(false);
    expect(await knex.schema.hasTable('paved_template_campaigns')).toBe(false);
  });
});
