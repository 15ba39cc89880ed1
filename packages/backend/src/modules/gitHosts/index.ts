/*
 * Real git hosts: Backstage's GitHub and GitLab integrations, their scaffolder publishing actions
 * (publish:github, publish:gitlab, ...) and catalog discovery. Idle until configured
 * (app-config.production.yaml reads them from GITHUB_* / GITLAB_* environment variables):
 * - the scaffolder modules are always loaded; their actions need an integration token only when run;
 * - a discovery provider is loaded only when each of its `catalog.providers.<host>` entries names what
 *   it scans (GitHub `organization`, GitLab `group`): an unset variable drops the key, so nothing
 *   configured means no provider, instead of a failed start-up or a scan of all of gitlab.com.
 */
import {
  coreServices,
  createBackendFeatureLoader,
  RootConfigService,
} from '@backstage/backend-plugin-api';

/** Discovery providers and the key each of their entries must set. */
const DISCOVERY = {
  github: 'organization',
  gitlab: 'group',
} as const;

/** Whether `catalog.providers.<provider>` has entries, all of which set the required key. */
export function discoveryConfigured(
  config: RootConfigService,
  provider: keyof typeof DISCOVERY,
): { enabled: boolean; incomplete: string[] } {
  const providers = config.getOptionalConfig(`catalog.providers.${provider}`);
  const ids = providers?.keys() ?? [];
  const incomplete = ids.filter(
    id => !providers!.getOptionalConfig(id)?.has(DISCOVERY[provider]),
  );
  return { enabled: ids.length > 0 && incomplete.length === 0, incomplete };
}

export const gitHostModules = createBackendFeatureLoader({
  deps: { config: coreServices.rootConfig, logger: coreServices.rootLogger },
  *loader({ config, logger }) {
    yield import('@backstage/plugin-scaffolder-backend-module-github');
    yield import('@backstage/plugin-scaffolder-backend-module-gitlab');
    for (const provider of ['github', 'gitlab'] as const) {
      const { enabled, incomplete } = discoveryConfigured(config, provider);
      if (incomplete.length > 0) {
        logger.info(
          `Catalog discovery from ${provider} is off: catalog.providers.${provider}.${incomplete.join(
            ', ',
          )} sets no ${DISCOVERY[provider]}`,
        );
      }
      if (enabled && provider === 'github') {
        yield import('@backstage/plugin-catalog-backend-module-github');
      }
      if (enabled && provider === 'gitlab') {
        yield import('@backstage/plugin-catalog-backend-module-gitlab');
      }
    }
  },
});

export default gitHostModules;
