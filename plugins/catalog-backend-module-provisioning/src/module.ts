import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { provisioningServiceRef } from '@paved/backstage-plugin-provisioning-node';
import { readProvisioningProviderConfig } from './config';
import { ProvisionedDependsOnProcessor } from './provider/DependsOnProcessor';
import { ProvisioningEntityProvider } from './provider/ProvisioningEntityProvider';

/**
 * Catalog module that adds the {@link ProvisioningEntityProvider}: provisioned resources become
 * `kind: Resource` entities, refreshed on `catalog.providers.provisioning.schedule` (default every 10 s)
 * and on the events topic `paved.provisioning.resource-changed` (a delta for the changed resource), and the
 * {@link ProvisionedDependsOnProcessor}, which drops `dependsOn` entries naming deleted provisioned resources.
 * @public
 */
export const catalogModuleProvisioningEntityProvider = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'provisioning-entity-provider',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        auth: coreServices.auth,
        events: eventsServiceRef,
        provisioning: provisioningServiceRef,
      },
      async init({
        catalog,
        config,
        logger,
        scheduler,
        auth,
        events,
        provisioning,
      }) {
        const { schedule, appBaseUrl } = readProvisioningProviderConfig(config);
        catalog.addProcessor(
          new ProvisionedDependsOnProcessor({ provisioning, auth, logger }),
        );
        catalog.addEntityProvider(
          ProvisioningEntityProvider.create({
            provisioning,
            auth,
            logger,
            appBaseUrl,
            events,
            taskRunner: scheduler.createScheduledTaskRunner(schedule),
          }),
        );
      },
    });
  },
});
