/*
 * The Paved backend: Backstage's own plugins plus the Paved plugin suite.
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// scaffolder
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);

// techdocs
backend.add(import('@backstage/plugin-techdocs-backend'));

// auth: guest sign-in for development (see app-config.yaml)
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

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
backend.add(import('@paved/backstage-plugin-catalog-backend-module-provisioning'));
backend.add(import('@paved/backstage-plugin-scaffolder-backend-module-provisioning'));
backend.add(import('@paved/backstage-plugin-service-status-backend'));
backend.add(import('@paved/backstage-plugin-provisioning-backend-module-postgres'));
backend.add(import('@paved/backstage-plugin-provisioning-backend-module-redis'));
backend.add(import('@paved/backstage-plugin-provisioning-backend-module-kubernetes'));
backend.start();
