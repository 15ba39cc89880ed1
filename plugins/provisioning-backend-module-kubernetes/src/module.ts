import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';

export const provisioningModuleKubernetes = createBackendModule({
  pluginId: 'provisioning',
  moduleId: 'kubernetes',
  register(reg) {
    reg.registerInit({
      deps: { logger: coreServices.logger },
      async init({ logger }) {
        logger.info('Hello World!');
      },
    });
  },
});
