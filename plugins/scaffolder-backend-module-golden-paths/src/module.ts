/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  BackstageCredentials,
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { parseLocationRef } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  scaffolderActionsExtensionPoint,
  scaffolderServiceRef,
} from '@backstage/plugin-scaffolder-node';
import { pathToFileURL } from 'node:url';
import { createPavedTemplateRecordAction } from './actions/recordProvenance';
import { registerUpgradeActions } from './actions/registryActions';
import { createPavedTemplateUpgradeAction } from './actions/upgradeTemplate';
import { createPavedTemplateAdoptAction } from './actions/adoptTemplate';
import { readGoldenPathsConfig } from './config';
import { UpgradeStore } from './database/UpgradeStore';
import { createRenderer } from './lib/render';
import { Fleet } from './service/FleetService';
import { createGoldenPathsRouter } from './service/router';
import {
  AdoptionService,
  createAdoptionRouter,
  createHttpAdoptionSources,
  ScaffolderRunReader,
} from './adoption';

/**
 * Scaffolder module of Paved for golden paths on day 2: `paved:template:record` (provenance of a
 * generated repository) and `paved:template:upgrade` (3-way merge upgrade to a newer version).
 *
 * @public
 */
export const scaffolderModuleGoldenPaths = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'golden-paths',
  register({ registerInit }) {
    registerInit({
      deps: {
        scaffolderActions: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        reader: coreServices.urlReader,
        logger: coreServices.logger,
        catalog: catalogServiceRef,
        userInfo: coreServices.userInfo,
        actionsRegistry: actionsRegistryServiceRef,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        scaffolder: scaffolderServiceRef,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
      },
      async init({
        scaffolderActions,
        config,
        reader,
        logger,
        catalog,
        userInfo,
        actionsRegistry,
        database,
        httpRouter,
        httpAuth,
        scaffolder,
        auth,
        discovery,
      }) {
        const goldenPaths = readGoldenPathsConfig(config);
        const store = await UpgradeStore.create({ database });
        const renderer = createRenderer({
          reader,
          integrations: ScmIntegrations.fromConfig(config),
          logger,
        });
        // The template's own location in the catalog: a file on this machine or a URL the reader reads.
        const resolveTemplateUrl = async (
          templateRef: string,
          credentials: BackstageCredentials,
        ) => {
          const entity = await catalog.getEntityByRef(templateRef, { credentials });
          const location =
            entity?.metadata.annotations?.['backstage.io/managed-by-location'];
          if (!location) {
            throw new NotFoundError(`Template ${templateRef} is not in the catalog`);
          }
          const { type, target } = parseLocationRef(location);
          return type === 'file' ? pathToFileURL(target).toString() : target;
        };
        // Owners of the component, or the campaign owners (platform team), may open its upgrade.
        const authorize = async (repoName: string, credentials: BackstageCredentials) => {
          const entityRef = `component:default/${repoName}`;
          const component = await catalog.getEntityByRef(entityRef, { credentials });
          if (!component) {
            throw new NotFoundError(`${entityRef} is not in the catalog`);
          }
          const owner = String(component.spec?.owner ?? '');
          const ownerRef = owner.includes(':') ? owner : `group:default/${owner}`;
          const { ownershipEntityRefs } = await userInfo.getUserInfo(credentials);
          const allowed = [ownerRef, ...goldenPaths.campaignOwners];
          if (!allowed.some(ref => ownershipEntityRefs.includes(ref))) {
            throw new NotAllowedError(
              `Only the owners of ${entityRef} (${ownerRef}) or ${goldenPaths.campaignOwners.join(', ')} may open its upgrade`,
            );
          }
        };
        scaffolderActions.addActions(
          createPavedTemplateRecordAction(),
          createPavedTemplateUpgradeAction({
            gitDirectory: goldenPaths.gitDirectory,
            renderer,
            testTimeoutMs: goldenPaths.testTimeoutMs,
            author: goldenPaths.author,
            store,
            authorize,
            resolveTemplateUrl: async (templateRef, ctx) =>
              resolveTemplateUrl(templateRef, await ctx.getInitiatorCredentials()),
          }),
        );
        scaffolderActions.addActions(
          createPavedTemplateAdoptAction({
            gitDirectory: goldenPaths.gitDirectory,
            reader,
            renderer,
            author: goldenPaths.author,
            getScaffolderBaseUrl: () => discovery.getBaseUrl('scaffolder'),
            resolveTemplateUrl: async (templateRef, ctx) =>
              resolveTemplateUrl(templateRef, await ctx.getInitiatorCredentials()),
            // Only members of the owning team may put a repository on a golden path for it.
            authorize: async (owner, credentials) => {
              const ownerRef = owner.includes(':') ? owner : `group:default/${owner}`;
              const { ownershipEntityRefs } = await userInfo.getUserInfo(credentials);
              if (!ownershipEntityRefs.includes(ownerRef)) {
                throw new NotAllowedError(`Only members of ${ownerRef} may onboard a service for it`);
              }
            },
          }),
        );
        registerUpgradeActions({
          actionsRegistry,
          catalog,
          userInfo,
          gitDirectory: goldenPaths.gitDirectory,
          renderer,
          resolveTemplateUrl,
          testTimeoutMs: goldenPaths.testTimeoutMs,
          author: goldenPaths.author,
        });

        const fleet = new Fleet({
          catalog,
          scaffolder,
          userInfo,
          store,
          renderer,
          logger,
          gitDirectory: goldenPaths.gitDirectory,
          resolveTemplateUrl,
          campaignOwners: goldenPaths.campaignOwners,
          upgradeTemplateRef: goldenPaths.upgradeTemplateRef,
          author: goldenPaths.author,
        });
        httpRouter.use(await createGoldenPathsRouter({ fleet, httpAuth }));
        // Adoption: read from the scaffolder's own task records (this module's database is the
        // scaffolder's), the catalog, and the service status and provisioning APIs.
        httpRouter.use(
          await createAdoptionRouter({
            httpAuth,
            adoption: AdoptionService.create({
              runs: ScaffolderRunReader.create({ knex: await database.getClient() }),
              catalog,
              sources: createHttpAdoptionSources({ discovery, auth }),
              logger: logger.child({ feature: 'adoption' }),
              excludeTemplates: [goldenPaths.upgradeTemplateRef],
            }),
          }),
        );
      },
    });
  },
});
