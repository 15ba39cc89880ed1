/*
 * A small real backend process for the crash test (reliability a) and the benchmark: the provisioning
 * plugin, the real postgres driver (optionally pausing after its create, so that the crash test can
 * SIGKILL the process mid-provisioning) and mock auth/catalog. Run with the Backstage node transform:
 *   node --require @backstage/cli/config/nodeTransform.cjs src/__testUtils__/standaloneBackend.ts
 * Configured by the environment variable PAVED_CRASH_BACKEND (JSON, see CrashBackendOptions).
 */
import { createBackend } from '@backstage/backend-defaults';
import {
  BackstageCredentials,
  coreServices,
  createBackendModule,
  createServiceFactory,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  PostgresDriver,
  readPostgresDriverConfig,
} from '@paved/backstage-plugin-provisioning-backend-module-postgres';
import { provisioningDriversExtensionPoint } from '@paved/backstage-plugin-provisioning-node';
import type { JsonObject } from '@backstage/types';
import knexFactory from 'knex';
import { provisioningPlugin } from '../plugin';

export interface CrashBackendOptions {
  port: number;
  /** Knex connection of the plugin's own database (PostgreSQL), or `{ sqliteFile }`. */
  store: JsonObject;
  /** provisioning.drivers.postgres.connection */
  driverConnection: JsonObject;
  /** Pause after the driver's create, in ms. */
  createDelayMs?: number;
  provisioning: JsonObject;
}

const quietLogger: LoggerService = {
  error: () => {},
  warn: () => {},
  info: () => {},
  debug: () => {},
  child: () => quietLogger,
};

const options: CrashBackendOptions = JSON.parse(process.env.PAVED_CRASH_BACKEND!);

const real = PostgresDriver.create({
  config: readPostgresDriverConfig(
    new ConfigReader({
      provisioning: { drivers: { postgres: { connection: options.driverConnection } } },
    }),
  )!,
  logger: quietLogger,
});

const driverModule = createBackendModule({
  pluginId: 'provisioning',
  moduleId: 'crash-test-postgres',
  register(reg) {
    reg.registerInit({
      deps: { ep: provisioningDriversExtensionPoint },
      async init({ ep }) {
        ep.addDriver({
          id: real.id,
          naming: real.naming,
          apply: async (r, ctx) => {
            const result = await real.apply(r, ctx);
            if (options.createDelayMs) {
              process.stdout.write(`CREATED ${r.name}\n`);
              await new Promise(resolve => setTimeout(resolve, options.createDelayMs));
            }
            return result;
          },
          delete: (r, ctx) => real.delete(r, ctx),
          observe: (r, ctx) => real.observe(r, ctx),
        });
      },
    });
  },
});

const backend = createBackend();
backend.add(
  mockServices.rootConfig.factory({
    data: {
      backend: {
        baseUrl: `http://127.0.0.1:${options.port}`,
        listen: { port: options.port, host: '127.0.0.1' },
      },
      provisioning: options.provisioning,
    },
  }),
);
backend.add(
  mockServices.database.factory({
    knex: options.store.sqliteFile
      ? knexFactory({
          client: 'better-sqlite3',
          connection: { filename: String(options.store.sqliteFile) },
          useNullAsDefault: true,
        })
      : knexFactory({ client: 'pg', connection: options.store, pool: { min: 0, max: 10 } }),
  }),
);
backend.add(mockServices.auth.factory());
backend.add(mockServices.httpAuth.factory({ defaultCredentials: undefined }));
backend.add(
  createServiceFactory({
    service: coreServices.userInfo,
    deps: {},
    factory: () => ({
      async getUserInfo(credentials: BackstageCredentials) {
        const ref = (credentials.principal as { userEntityRef: string }).userEntityRef;
        return { userEntityRef: ref, ownershipEntityRefs: [ref, 'group:default/orders-team'] };
      },
    }),
  }),
);
backend.add(mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }));
backend.add(
  catalogServiceMock.factory({
    entities: [
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name: 'orders-team', namespace: 'default' },
        spec: { type: 'team', children: [] },
      },
    ],
  }),
);
backend.add(provisioningPlugin);
backend.add(driverModule);
backend.start().then(() => process.stdout.write('STARTED\n'));
