/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  coreServices,
  createBackendFeatureLoader,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  scaffolderActionsExtensionPoint,
  scaffolderServiceRef,
} from '@backstage/plugin-scaffolder-node';
import { scaffolderWorkspaceProviderExtensionPoint } from '@backstage/plugin-scaffolder-node/alpha';
import { scaffolderProvisioningServiceRef } from './service/provisioningClient';
import { createProvisioningResourceAwaitAction } from './actions/awaitResource';
import { createProvisioningResourceCreateAction } from './actions/createResource';
import { createProvisioningResourcePreviewAction } from './actions/createPreview';
import { createPublishPavedGitAction } from './actions/publishLocalGit';
import { createPavedCatalogRegisterAction } from './actions/registerInCatalog';
import { createProvisioningResourceReleaseAction } from './actions/releaseResources';
import { readPavedScaffolderConfig } from './config';
import { DatabaseTaskResourceStore } from './database/TaskResourceStore';
import { LocalGitRepositories } from './git/LocalGitRepositories';
import { pavedGitUrlReaderServiceFactory } from './git/pavedGitUrlReaderServiceFactory';
import { createPavedGitRouter } from './router';
import { NotAllowedError } from '@backstage/errors';
import { createPavedServiceRetireAction } from './actions/retireService';
import { RetirementStore } from './retire/RetirementStore';
import { createRetirementRouter } from './retire/router';
import { catalogModulePavedGitSourceLocation } from './catalog/PavedGitSourceLocationProcessor';
import { createGitHttpRouter } from './git/http/createGitHttpRouter';
import { GitAccessTokenStore } from './git/http/GitAccessTokenStore';
import { FilesystemWorkspaceProvider } from './service/FilesystemWorkspaceProvider';
import { sweepTaskResources } from './service/sweepTaskResources';

/**
 * Scaffolder module of Paved: the `provisioning:resource:create|await|release` actions,
 * `publish:paved-git` with read-only HTTP access to the published repositories, and
 * `paved:catalog:register`.
 *
 * @public
 */
export const scaffolderModuleProvisioning = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'provisioning',
  register({ registerInit }) {
    registerInit({
      deps: {
        scaffolderActions: scaffolderActionsExtensionPoint,
        workspaceProviders: scaffolderWorkspaceProviderExtensionPoint,
        config: coreServices.rootConfig,
        database: coreServices.database,
        discovery: coreServices.discovery,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        provisioning: scaffolderProvisioningServiceRef,
        catalog: catalogServiceRef,
        scaffolder: scaffolderServiceRef,
        scheduler: coreServices.scheduler,
        auth: coreServices.auth,
        userInfo: coreServices.userInfo,
        logger: coreServices.logger,
      },
      async init({
        scaffolderActions,
        workspaceProviders,
        config,
        database,
        discovery,
        httpRouter,
        httpAuth,
        provisioning,
        catalog,
        scaffolder,
        scheduler,
        auth,
        userInfo,
        logger,
      }) {
        const pavedConfig = readPavedScaffolderConfig(config);
        const store = await DatabaseTaskResourceStore.create({ database });
        const repositories = LocalGitRepositories.create({
          directory: pavedConfig.git.directory,
        });

        // Lets recovered tasks continue with their files (scaffolder.taskRecovery.workspaceProvider).
        workspaceProviders.addProviders({
          'paved-filesystem': FilesystemWorkspaceProvider.create({
            directory: pavedConfig.workspacesDirectory,
          }),
        });

        const retirements = RetirementStore.create({ db: await database.getClient() });
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
          createProvisioningResourcePreviewAction({
            provisioning,
            store,
            appBaseUrl: pavedConfig.appBaseUrl,
          }),
          createPublishPavedGitAction({
            repositories,
            getScaffolderBaseUrl: () => discovery.getBaseUrl('scaffolder'),
            getScaffolderExternalBaseUrl: () => discovery.getExternalBaseUrl('scaffolder'),
            defaultBranch: pavedConfig.git.defaultBranch,
            defaultAuthor: {
              name:
                config.getOptionalString('scaffolder.defaultAuthor.name') ??
                'Scaffolder',
              email:
                config.getOptionalString('scaffolder.defaultAuthor.email') ??
                'scaffolder@backstage.io',
            },
            defaultCommitMessage:
              config.getOptionalString('scaffolder.defaultCommitMessage') ??
              'Initial commit',
          }),
          createPavedCatalogRegisterAction({ catalog }),
          createPavedServiceRetireAction({
            catalog,
            provisioning,
            repositories,
            store: retirements,
            // Only the owning team (or the platform's campaign owners) may retire a service.
            authorize: async (plan, credentials) => {
              const { ownershipEntityRefs } = await userInfo.getUserInfo(credentials as any);
              if (!ownershipEntityRefs.includes(plan.owner)) {
                throw new NotAllowedError(
                  `Only members of ${plan.owner} may retire ${plan.entityRef}`,
                );
              }
            },
          }),
        );

        // Read-only HTTP access to the local repositories for people and tools with credentials.
        // Backstage's own plugins read them in-process through the URL reader
        // (pavedGitUrlReaderServiceFactory), so no route of the git server is unauthenticated.
        httpRouter.use(await createPavedGitRouter({ repositories, httpAuth }));

        // git clone/fetch/push over smart HTTP. The route authenticates itself (git access tokens or
        // Backstage tokens in HTTP Basic) and answers 401 with a Basic challenge, which the git CLI
        // needs to ask for credentials; the default policy would answer 401 without one.
        const gitTokens = GitAccessTokenStore.create({ db: await database.getClient() });
        httpRouter.use(
          await createGitHttpRouter({
            repositories,
            tokens: gitTokens,
            auth,
            httpAuth,
            userInfo,
            catalog,
            discovery,
            logger,
            defaultBranch: pavedConfig.git.defaultBranch,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/paved-git', allow: 'unauthenticated' });
        httpRouter.use(
          await createRetirementRouter({
            httpAuth,
            catalog,
            provisioning,
            repositories,
            store: retirements,
          }),
        );

        // Backstop for failed runs that did not release their resources themselves.
        await scheduler.scheduleTask({
          id: 'paved-provisioning-task-resource-sweep',
          frequency: pavedConfig.cleanup.frequency,
          timeout: { minutes: 5 },
          initialDelay: { seconds: 30 },
          fn: async () => {
            await sweepTaskResources({
              store,
              provisioning,
              scaffolder,
              auth,
              logger,
              graceMs: pavedConfig.cleanup.gracePeriodMs,
            });
          },
        });
      },
    });
  },
});

/**
 * Everything of the embedded golden-path setup in one feature: the scaffolder module above and the
 * URL reader of the embedded git server (`pavedGitUrlReaderServiceFactory`), which the catalog,
 * TechDocs and "Register existing component" need to read the published repositories.
 *
 * @public
 */
export const scaffolderModuleProvisioningFeatures = createBackendFeatureLoader({
  loader() {
    return [
      scaffolderModuleProvisioning,
      pavedGitUrlReaderServiceFactory,
      catalogModulePavedGitSourceLocation,
    ];
  },
});
