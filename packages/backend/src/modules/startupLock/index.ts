/*
 * Start-up lock for backend replicas on one PostgreSQL server (see databaseServiceFactory.ts).
 */
export {
  databaseServiceFactory,
  readStartupLockConfig,
  DEFAULT_STARTUP_LOCK_TIMEOUT_MS,
} from './databaseServiceFactory';
export type { StartupLockConfig } from './databaseServiceFactory';
export { PgStartupLock } from './PgStartupLock';
export type { PgStartupLockOptions } from './PgStartupLock';
