/**
 * The built-in PostgreSQL driver of the Paved provisioning backend: a login role and a database per resource.
 *
 * @packageDocumentation
 */

export { provisioningModulePostgres as default } from './module';
export { PostgresDriver, type PostgresDriverOptions } from './PostgresDriver';
export {
  readPostgresDriverConfig,
  DEFAULT_CONNECTION_LIMITS,
  type PostgresDriverConfig,
} from './config';
export { toPostgresName } from './identifiers';
