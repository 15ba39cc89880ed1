/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { provisioningServiceRef } from '@paved/backstage-plugin-provisioning-node';
import { createProvisioningResourceAwaitAction } from './actions/awaitResource';
import { createProvisioningResourceCreateAction } from './actions/createResource';
import { createProvisioningResourceReleaseAction } from './actions/releaseResources';
import { readPavedScaffolderConfig } from './config';
import { DatabaseTaskResourceStore } from './database/TaskResourceStore';

/**
 * Scaffolder module of Paved: the `provisioning:resource:*` actions.
 * @public
 */
export const scaffolderModuleProvisioning = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'provisioning',
  register({ registerInit }) {
    registerInit({
      deps: {
        scaffolderActions: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        database: coreServices.database,
        provisioning: provisioningServiceRef,
      },
      async init({ scaffolderActions, config, database, provisioning }) {
        const pavedConfig = readPavedScaffolderConfig(config);
        const store = await DatabaseTaskResourceStore.create({ database });
        scaffolderActions.addActions(
          createProvisioningResourceCreateAction({
            provisioning,
            store,
            appBaseUrl: pavedConfig.appBaseUrl,
          }),
          createProvisioningResourceAwaitAction({
            provisioning,
            appBaseUrl: pavedConfig.appBaseUrl,
          }),
          createProvisioningResourceReleaseAction({ provisioning, store }),
        );
      },
    });
  },
});
