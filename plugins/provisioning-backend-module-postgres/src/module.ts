import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';

export const provisioningModulePostgres = createBackendModule({
  pluginId: 'provisioning',
  moduleId: 'postgres',
  register(reg) {
    reg.registerInit({
      deps: { logger: coreServices.logger },
      async init({ logger }) {
        logger.info('Hello World!');
      },
    });
  },
});
