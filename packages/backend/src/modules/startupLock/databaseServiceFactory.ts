/*
 * coreServices.database with a start-up lock: on PostgreSQL, the first plugin database client of a
 * backend process waits for (and takes) a session advisory lock that the process releases once every
 * plugin has started. Replicas started together on one server therefore run Backstage's plugin
 * migrations one after the other instead of racing (MigrationLocked in the catalog, duplicate
 * `..._knex_migrations` tables in auth, `pg_type_typname_nsp_index` in the scaffolder).
 */
import {
  coreServices,
  createServiceFactory,
  DatabaseService,
} from '@backstage/backend-plugin-api';
import { DatabaseManager } from '@backstage/backend-defaults/database';
import {
  Config,
  ConfigReader,
  readDurationFromConfig,
} from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import { ClientConfig } from 'pg';
import { PgStartupLock } from './PgStartupLock';

/** Default of `backend.database.startupLock.timeout`: 10 minutes. */
export const DEFAULT_STARTUP_LOCK_TIMEOUT_MS = 10 * 60 * 1000;

/** The start-up lock settings read from `backend.database`. */
export interface StartupLockConfig {
  enabled: boolean;
  /** Lock name: one per database prefix, so deployments with other prefixes do not wait. */
  name: string;
  timeoutMs: number;
  connection: ClientConfig;
}

/**
 * Reads the start-up lock settings; `undefined` when the database is not PostgreSQL or the lock
 * is disabled.
 */
export function readStartupLockConfig(
  databaseConfig: Config,
): StartupLockConfig | undefined {
  if (databaseConfig.getOptionalString('client') !== 'pg') {
    return undefined;
  }
  const lockConfig = databaseConfig.getOptionalConfig('startupLock');
  if (lockConfig?.getOptionalBoolean('enabled') === false) {
    return undefined;
  }
  const timeoutMs = lockConfig?.has('timeout')
    ? durationToMilliseconds(
        readDurationFromConfig(lockConfig, { key: 'timeout' }),
      )
    : DEFAULT_STARTUP_LOCK_TIMEOUT_MS;
  const prefix =
    databaseConfig.getOptionalString('prefix') || 'backstage_plugin_';
  const raw = databaseConfig.getOptional('connection');
  let connection: ClientConfig;
  if (typeof raw === 'string') {
    connection = { connectionString: raw };
  } else if (raw && typeof raw === 'object') {
    const c = raw as Record<string, unknown>;
    connection = {
      host: c.host as string | undefined,
      port: c.port !== undefined ? Number(c.port) : undefined,
      user: c.user as string | undefined,
      password: c.password as string | undefined,
      database: (c.database as string | undefined) ?? 'postgres',
      ssl: c.ssl as ClientConfig['ssl'],
      connectionString: c.connectionString as string | undefined,
    };
  } else {
    connection = { database: 'postgres' };
  }
  return {
    enabled: true,
    name: `paved-backend-startup:${prefix}`,
    timeoutMs,
    connection,
  };
}

/**
 * The backend's `coreServices.database`: Backstage's {@link DatabaseManager}, with every plugin's
 * first `getClient()` behind the start-up lock on PostgreSQL.
 */
export const databaseServiceFactory = createServiceFactory({
  service: coreServices.database,
  deps: {
    config: coreServices.rootConfig,
    lifecycle: coreServices.lifecycle,
    logger: coreServices.logger,
    pluginMetadata: coreServices.pluginMetadata,
    rootLifecycle: coreServices.rootLifecycle,
    rootLogger: coreServices.rootLogger,
  },
  async createRootContext({ config, rootLifecycle, rootLogger }) {
    const manager = config.getOptional('backend.database')
      ? DatabaseManager.fromConfig(config, { rootLifecycle, rootLogger })
      : DatabaseManager.fromConfig(
          new ConfigReader({
            backend: {
              database: { client: 'better-sqlite3', connection: ':memory:' },
            },
          }),
          { rootLifecycle, rootLogger },
        );
    const lockConfig = config.has('backend.database')
      ? readStartupLockConfig(config.getConfig('backend.database'))
      : undefined;
    const lock = lockConfig
      ? PgStartupLock.create({
          connection: lockConfig.connection,
          name: lockConfig.name,
          timeoutMs: lockConfig.timeoutMs,
          logger: rootLogger.child({ service: 'startup-lock' }),
        })
      : undefined;
    if (lock) {
      // Runs after every plugin has initialised; a failed start-up exits the process, which
      // closes the lock's connection and so frees the lock too.
      rootLifecycle.addStartupHook(() => lock.release());
      rootLifecycle.addShutdownHook(() => lock.release());
    }
    return { manager, lock };
  },
  async factory({ pluginMetadata, lifecycle, logger }, { manager, lock }) {
    const service = manager.forPlugin(pluginMetadata.getId(), {
      lifecycle,
      logger,
    });
    if (!lock) {
      return service;
    }
    const wrapped: DatabaseService = {
      migrations: service.migrations,
      async getClient() {
        await lock.acquire();
        return service.getClient();
      },
    };
    return wrapped;
  },
});
