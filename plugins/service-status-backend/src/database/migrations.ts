import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

/**
 * Applies the package's knex migrations (up to the latest).
 * @internal
 */
export async function applyDatabaseMigrations(knex: Knex): Promise<void> {
  const directory = resolvePackagePath(
    '@paved/backstage-plugin-service-status-backend',
    'migrations',
  );
  await knex.migrate.latest({ directory });
}

/** @internal */
export function migrationsDirectory(): string {
  return resolvePackagePath(
    '@paved/backstage-plugin-service-status-backend',
    'migrations',
  );
}
