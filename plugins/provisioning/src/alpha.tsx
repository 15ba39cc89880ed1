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
import CloudQueueIcon from '@material-ui/icons/CloudQueue';
import { ProvisioningClient, provisioningApiRef } from './api';
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
 * The provisioning plugin (new frontend system): the Self-service page, its nav item, the API client and the
 * entity Resources tab.
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'provisioning',
  title: 'Self-service',
  icon: <CloudQueueIcon fontSize="inherit" />,
  info: { packageJson: () => import('../package.json') },
  routes,
  extensions: [provisioningApi, provisioningPage, provisioningEntityContent],
});
