/**
 * The provisioning plugin for the new frontend system.
 *
 * @packageDocumentation
 */
import { convertLegacyRouteRefs } from '@backstage/core-compat-api';
import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import CloudQueueIcon from '@material-ui/icons/CloudQueue';
import {
  InventoryClient,
  inventoryApiRef,
  ProvisioningClient,
  provisioningApiRef,
} from './api';
import {
  approvalsRouteRef,
  requestRouteRef,
  resourceRouteRef,
  rolloutRouteRef,
  rolloutsRouteRef,
  rootRouteRef,
} from './routes';

export { provisioningTranslationRef } from './translation';

const routes = convertLegacyRouteRefs({
  root: rootRouteRef,
  request: requestRouteRef,
  resource: resourceRouteRef,
  approvals: approvalsRouteRef,
  rollouts: rolloutsRouteRef,
  rollout: rolloutRouteRef,
});

/** @alpha */
export const provisioningApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: provisioningApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ProvisioningClient({ discoveryApi, fetchApi }),
    }),
});

/** The inventory and rightsizing API client (issue 13). @alpha */
export const inventoryApi = ApiBlueprint.make({
  name: 'inventory',
  params: defineParams =>
    defineParams({
      api: inventoryApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new InventoryClient({ discoveryApi, fetchApi }),
    }),
});

/** The Self-service page at `/provisioning`, with a nav item. @alpha */
export const provisioningPage = PageBlueprint.make({
  params: {
    path: '/provisioning',
    title: 'Self-service',
    icon: <CloudQueueIcon fontSize="inherit" />,
    routeRef: routes.root,
    loader: () =>
      import('./components/Router').then(m => <m.ProvisioningRouter />),
  },
});

/** The entity "Resources" tab on components and systems. @alpha */
export const provisioningEntityContent = EntityContentBlueprint.make({
  name: 'resources',
  params: {
    path: 'resources',
    title: 'Resources',
    filter: { kind: { $in: ['component', 'system'] } },
    loader: () =>
      import('./components/EntityResourcesContent').then(m => (
        <m.EntityResourcesContent />
      )),
  },
});

/**
 * Scaffolder form field `ProvisioningCostEstimate`: the live monthly cost and approval outcome of what a template
 * run provisions. Attaches to the scaffolder's `api:scaffolder/form-fields`. @alpha
 */
export const provisioningCostEstimateFormField = FormFieldBlueprint.make({
  name: 'cost-estimate',
  params: {
    field: () =>
      import('./scaffolder/formFields').then(m => m.costEstimateFormField),
  },
});

/** Scaffolder form field `AvailableName`: a name checked against the catalog and the resources. @alpha */
export const provisioningAvailableNameFormField = FormFieldBlueprint.make({
  name: 'available-name',
  params: {
    field: () =>
      import('./scaffolder/formFields').then(m => m.availableNameFormField),
  },
});

/** Scaffolder form field `EntityTitle`: the title of a picked entity, for the review step. @alpha */
export const provisioningEntityTitleFormField = FormFieldBlueprint.make({
  name: 'entity-title',
  params: {
    field: () =>
      import('./scaffolder/formFields').then(m => m.entityTitleFormField),
  },
});

/**
 * The provisioning plugin (new frontend system): the Self-service page, its nav item, the API client and the
 * entity Resources tab, and the scaffolder form fields `ProvisioningCostEstimate`, `AvailableName` and
 * `EntityTitle`.
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'provisioning',
  title: 'Self-service',
  icon: <CloudQueueIcon fontSize="inherit" />,
  info: { packageJson: () => import('../package.json') },
  routes,
  extensions: [
    provisioningApi,
    provisioningPage,
    provisioningEntityContent,
    provisioningCostEstimateFormField,
    provisioningAvailableNameFormField,
    provisioningEntityTitleFormField,
    inventoryApi,
  ],
});
