import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { provisioningDriversExtensionPoint } from '@paved/backstage-plugin-provisioning-node';
import { readRedisDriverConfig } from './config';
import { RedisDriver } from './RedisDriver';

/**
 * Adds the built-in `redis` driver to the provisioning backend when `provisioning.drivers.redis.url`
 * is configured.
 * @public
 */
export const provisioningModuleRedis = createBackendModule({
  pluginId: 'provisioning',
  moduleId: 'redis',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
        drivers: provisioningDriversExtensionPoint,
      },
      async init({ config, logger, lifecycle, drivers }) {
        const driverConfig = readRedisDriverConfig(config);
        if (!driverConfig) {
          logger.info(
            'provisioning.drivers.redis.url is not configured; the redis driver is not registered',
          );
          return;
        }
        const driver = RedisDriver.create({ config: driverConfig, logger });
        drivers.addDriver(driver);
        lifecycle.addShutdownHook(() => driver.close());
        logger.info(
          `Registered the redis driver for ${driverConfig.publicHost}:${driverConfig.publicPort}`,
        );
      },
    });
  },
});
