import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { serviceStatusApiRef, ServiceStatusClient } from './api';
import {
  scorecardApiRef,
  ScorecardClient,
} from './components/Scorecard/ScorecardApi';
import type { EntityStatusCardProps } from './components/EntityStatusCard';
import type { ServiceStatusOverviewProps } from './components/ServiceStatusPage';
import { rootRouteRef } from './routes';

/**
 * The service status plugin for apps on the legacy frontend system.
 * Apps on the new frontend system use the default export of `@paved/backstage-plugin-service-status/alpha`.
 *
 * @public
 */
export const serviceStatusPlugin = createPlugin({
  id: 'service-status',
  routes: {
    root: rootRouteRef,
  },
  apis: [
    createApiFactory({
      api: serviceStatusApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ServiceStatusClient({ discoveryApi, fetchApi }),
    }),
    createApiFactory({
      api: scorecardApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ScorecardClient({ discoveryApi, fetchApi }),
    }),
  ],
});

/**
 * The "Service status" page: every service with its state, owner and system, filters, sorting
 * and auto-refresh. Mount it on a route, e.g. `<Route path="/service-status" element={<ServiceStatusPage />} />`.
 *
 * @public
 */
export const ServiceStatusPage: (
  props: ServiceStatusOverviewProps,
) => JSX.Element | null = serviceStatusPlugin.provide(
  createRoutableExtension({
    name: 'ServiceStatusPage',
    component: () =>
      import('./components/ServiceStatusPage').then(m => m.ServiceStatusPage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * Status card for the entity overview page (Components and Resources).
 *
 * @public
 */
export const EntityServiceStatusCard: (
  props: EntityStatusCardProps,
) => JSX.Element | null = serviceStatusPlugin.provide(
  createComponentExtension({
    name: 'EntityServiceStatusCard',
    component: {
      lazy: () =>
        import('./components/EntityStatusCard').then(m => m.EntityStatusCard),
    },
  }),
);

/**
 * Content of the entity "Status" tab (Components and Resources), e.g.
 * `<EntityLayout.Route path="/status" title="Status"><EntityServiceStatusContent /></EntityLayout.Route>`.
 *
 * @public
 */
export const EntityServiceStatusContent: () => JSX.Element | null =
  serviceStatusPlugin.provide(
    createComponentExtension({
      name: 'EntityServiceStatusContent',
      component: {
        lazy: () =>
          import('./components/EntityStatusContent').then(
            m => m.EntityStatusContent,
          ),
      },
    }),
  );
