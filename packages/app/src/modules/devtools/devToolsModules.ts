import { createFrontendModule } from '@backstage/frontend-plugin-api';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import appVisualizerPlugin from '@backstage/plugin-app-visualizer';

/** The group whose members see the developer tools (Visualizer, template editor). */
export const PLATFORM_TEAM_REF = 'group:default/platform-team';

/**
 * Scaffolder's permission for managing templates (`templateManagementPermission` of
 * `@backstage/plugin-scaffolder-common/alpha`); the template editor's content already requires it.
 */
export const TEMPLATE_MANAGEMENT_PERMISSION = 'scaffolder.template.management';

/** The DevTools permission of `@backstage/plugin-devtools-common` (`devToolsAdministerPermission`). */
export const DEVTOOLS_PERMISSION = 'devtools.administer';

/**
 * Developer tools for the platform team only, decided by the permission policy: the scaffolder's Template Editor,
 * Actions and Templating Extensions tabs exist only for people allowed `scaffolder.template.management`, the
 * Visualizer page only for people allowed `devtools.administer` (extension `if` predicates, evaluated after
 * sign-in). The sidebar also hides the Visualizer from everyone outside {@link PLATFORM_TEAM_REF}.
 */
const scaffolderDevTools = createFrontendModule({
  pluginId: 'scaffolder',
  extensions: [
    scaffolderPlugin.getExtension('sub-page:scaffolder/editor').override({
      if: { permissions: { $contains: TEMPLATE_MANAGEMENT_PERMISSION } },
    }),
    scaffolderPlugin.getExtension('sub-page:scaffolder/actions').override({
      if: { permissions: { $contains: TEMPLATE_MANAGEMENT_PERMISSION } },
    }),
    scaffolderPlugin
      .getExtension('sub-page:scaffolder/templating-extensions')
      .override({
        if: { permissions: { $contains: TEMPLATE_MANAGEMENT_PERMISSION } },
      }),
  ],
});

const visualizerDevTools = createFrontendModule({
  pluginId: 'app-visualizer',
  extensions: [
    appVisualizerPlugin.getExtension('page:app-visualizer').override({
      if: { permissions: { $contains: DEVTOOLS_PERMISSION } },
    }),
  ],
});

export const devToolsModules = [scaffolderDevTools, visualizerDevTools];
