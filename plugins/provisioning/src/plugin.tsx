import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import {
  InventoryClient,
  inventoryApiRef,
  ProvisioningClient,
  provisioningApiRef,
} from './api';
import {
  AVAILABLE_NAME_FIELD,
  AvailableNameField,
  ENTITY_TITLE_FIELD,
  EntityTitleField,
  PROVISIONING_COST_ESTIMATE_FIELD,
  ProvisioningCostEstimateField,
  availableNameValidation,
  provisioningCostEstimateValidation,
} from './scaffolder';
import {
  approvalsRouteRef,
  rolloutRouteRef,
  rolloutsRouteRef,
  requestRouteRef,
  resourceRouteRef,
  rootRouteRef,
} from './routes';

/**
 * The provisioning plugin for the legacy frontend system (`@backstage/core-plugin-api`).
 * For the new frontend system use the default export of `@paved/backstage-plugin-provisioning/alpha`.
 * @public
 */
export const provisioningPlugin = createPlugin({
  id: 'provisioning',
  apis: [
    createApiFactory({
      api: inventoryApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new InventoryClient({ discoveryApi, fetchApi }),
    }),
    createApiFactory({
      api: provisioningApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ProvisioningClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
    request: requestRouteRef,
    resource: resourceRouteRef,
    approvals: approvalsRouteRef,
    rollouts: rolloutsRouteRef,
    rollout: rolloutRouteRef,
  },
});

/**
 * The Self-service page (offerings, resources, request form and resource pages). Mount it at `/provisioning`:
 * `<Route path="/provisioning" element={<ProvisioningPage />} />`.
 * @public
 */
export const ProvisioningPage = provisioningPlugin.provide(
  createRoutableExtension({
    name: 'ProvisioningPage',
    component: () =>
      import('./components/Router').then(m => () => (
        <m.ProvisioningRouter withHeader />
      )),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The entity "Resources" tab content for components and systems: the resources the entity depends on and
 * "Request a resource". Use inside an `EntityLayout.Route` (needs `ProvisioningPage` mounted for its links).
 * @public
 */
export const EntityResourcesContent: () => JSX.Element =
  provisioningPlugin.provide(
    createComponentExtension({
      name: 'EntityResourcesContent',
      component: {
        lazy: () =>
          import('./components/EntityResourcesContent').then(
            m => m.EntityResourcesContent,
          ),
      },
    }),
  );

/**
 * Scaffolder field extension `ProvisioningCostEstimate` for the legacy frontend system: place it inside
 * `<ScaffolderFieldExtensions>` of the `ScaffolderPage` route.
 * @public
 */
export const ProvisioningCostEstimateFieldExtension =
  provisioningPlugin.provide(
    createScaffolderFieldExtension({
      name: PROVISIONING_COST_ESTIMATE_FIELD,
      component: ProvisioningCostEstimateField,
      validation: provisioningCostEstimateValidation,
    }),
  );

/** Scaffolder field extension `AvailableName` for the legacy frontend system. @public */
export const AvailableNameFieldExtension = provisioningPlugin.provide(
  createScaffolderFieldExtension({
    name: AVAILABLE_NAME_FIELD,
    component: AvailableNameField,
    validation: availableNameValidation,
  }),
);

/** Scaffolder field extension `EntityTitle` for the legacy frontend system. @public */
export const EntityTitleFieldExtension = provisioningPlugin.provide(
  createScaffolderFieldExtension({
    name: ENTITY_TITLE_FIELD,
    component: EntityTitleField,
  }),
);
