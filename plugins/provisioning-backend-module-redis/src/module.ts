import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';

export const provisioningModuleRedis = createBackendModule({
  pluginId: 'provisioning',
  moduleId: 'redis',
  register(reg) {
    reg.registerInit({
      deps: { logger: coreServices.logger },
      async init({ logger }) {
        logger.info('Hello World!');
      },
    });
  },
});
