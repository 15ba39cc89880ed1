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
import { NotFoundError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { pathToFileURL } from 'node:url';
import { createPavedTemplateRecordAction } from './actions/recordProvenance';
import { registerUpgradeActions } from './actions/registryActions';
import { createPavedTemplateUpgradeAction } from './actions/upgradeTemplate';
import { readGoldenPathsConfig } from './config';
import { createRenderer } from './lib/render';

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
      },
      async init({
        scaffolderActions,
        config,
        reader,
        logger,
        catalog,
        userInfo,
        actionsRegistry,
      }) {
        const goldenPaths = readGoldenPathsConfig(config);
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
        scaffolderActions.addActions(
          createPavedTemplateRecordAction(),
          createPavedTemplateUpgradeAction({
            gitDirectory: goldenPaths.gitDirectory,
            renderer,
            testTimeoutMs: goldenPaths.testTimeoutMs,
            author: goldenPaths.author,
            resolveTemplateUrl: async (templateRef, ctx) =>
              resolveTemplateUrl(templateRef, await ctx.getInitiatorCredentials()),
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
      },
    });
  },
});
