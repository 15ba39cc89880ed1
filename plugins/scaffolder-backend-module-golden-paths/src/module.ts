/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createPavedTemplateRecordAction } from './actions/recordProvenance';

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
      },
      async init({ scaffolderActions }) {
        scaffolderActions.addActions(createPavedTemplateRecordAction());
      },
    });
  },
});
