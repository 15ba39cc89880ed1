import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { provisioningDriversExtensionPoint } from '@paved/backstage-plugin-provisioning-node';
import { readPostgresDriverConfig } from './config';
import { PostgresDriver } from './PostgresDriver';

/**
 * Adds the built-in `postgres` driver to the provisioning backend when
 * `provisioning.drivers.postgres.connection` is configured.
 * @public
 */
export const provisioningModulePostgres = createBackendModule({
  pluginId: 'provisioning',
  moduleId: 'postgres',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
        drivers: provisioningDriversExtensionPoint,
      },
      async init({ config, logger, lifecycle, drivers }) {
        const driverConfig = readPostgresDriverConfig(config);
        if (!driverConfig) {
          logger.info(
            'provisioning.drivers.postgres.connection is not configured; the postgres driver is not registered',
          );
          return;
        }
        const driver = PostgresDriver.create({ config: driverConfig, logger });
        drivers.addDriver(driver);
        lifecycle.addShutdownHook(() => driver.close());
        logger.info(
          `Registered the postgres driver for ${driverConfig.connection.host}:${driverConfig.connection.port}`,
        );
      },
    });
  },
});
