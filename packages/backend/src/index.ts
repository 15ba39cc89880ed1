/*
 * The Paved backend: Backstage's own plugins plus the Paved plugin suite.
 *
 * Process contract (what an orchestrator sees):
 * - a failed start-up (any plugin failing to initialise) logs the reason and exits with code 1;
 * - `--migrate-only` (or PAVED_MIGRATE_ONLY=1), used by `./portal migrate`: start every plugin once,
 *   which runs all database migrations, then stop and exit 0; it listens on a random local port
 *   and runs no scaffolder tasks;
 * - on PostgreSQL, replicas starting together take turns (see modules/startupLock).
 */
import { createBackend } from '@backstage/backend-defaults';
import { databaseServiceFactory } from './modules/startupLock';

const migrateOnly =
  process.argv.includes('--migrate-only') ||
  process.env.PAVED_MIGRATE_ONLY === '1';
if (migrateOnly) {
  // Environment overrides win over every config file.
  // A string, not an object: it then replaces both `listen: { port }` and `listen: ':7007'`.
  process.env.APP_CONFIG_backend_listen ??= '127.0.0.1:0';
  process.env.APP_CONFIG_scaffolder_concurrentTasksLimit ??= '0';
}

const backend = createBackend();

backend.add(databaseServiceFactory);

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// scaffolder
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);
// Running tasks' workspaces in the database, so another replica can resume a task with its files
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-workspace-database'),
);
// GitHub / GitLab publishing and catalog discovery, idle until configured (app-config.production.yaml)
backend.add(import('./modules/gitHosts'));

// techdocs
backend.add(import('@backstage/plugin-techdocs-backend'));

// auth: guest sign-in for development (see app-config.yaml)
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
// Development sign-in as a demo user (auth.providers.paved-dev); never in a production process.
if (process.env.NODE_ENV !== 'production') {
  backend.add(import('./modules/devSignIn'));
}

// catalog
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// permissions
backend.add(import('@backstage/plugin-permission-backend'));
// Paved policy: provisioning rules (owners manage, platform team approves), allow-all otherwise
backend.add(import('./modules/permissionPolicy'));

// search
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('./modules/searchEngine')); // Lunr or PostgreSQL; a missing index is an empty result
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@backstage/plugin-search-backend-module-techdocs'));

backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.add(import('@paved/backstage-plugin-provisioning-backend'));
backend.add(
  import('@paved/backstage-plugin-catalog-backend-module-provisioning'),
);
backend.add(
  import('@paved/backstage-plugin-scaffolder-backend-module-provisioning'),
);
backend.add(
  import('@paved/backstage-plugin-scaffolder-backend-module-golden-paths'),
);
backend.add(import('@paved/backstage-plugin-service-status-backend'));
// Scorecards: the community Tech Insights engine, checks from config (jsonfc), Paved facts.
backend.add(import('@backstage-community/plugin-tech-insights-backend'));
backend.add(
  import('@backstage-community/plugin-tech-insights-backend-module-jsonfc'),
);
backend.add(
  import('@paved/backstage-plugin-tech-insights-backend-module-paved'),
);
backend.add(
  import('@paved/backstage-plugin-provisioning-backend-module-postgres'),
);
backend.add(
  import('@paved/backstage-plugin-provisioning-backend-module-redis'),
);
backend.add(
  import('@paved/backstage-plugin-provisioning-backend-module-kubernetes'),
);

backend.start().then(
  async () => {
    if (migrateOnly) {
      await backend.stop();
      // eslint-disable-next-line no-console
      console.log('Migrations complete: every plugin started once; exiting.');
      process.exit(0);
    }
  },
  (error: unknown) => {
    // BackendStartupError names each plugin and module that failed and why.
    // eslint-disable-next-line no-console
    console.error(
      `Backend start-up failed, exiting: ${
        error instanceof Error ? error.stack ?? error.message : String(error)
      }`,
    );
    process.exit(1);
  },
);
