import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import TrafficIcon from '@material-ui/icons/Traffic';
import { serviceStatusApiRef, ServiceStatusClient } from './api';
import {
  scorecardApiRef,
  ScorecardClient,
} from './components/Scorecard/ScorecardApi';
import { rootRouteRef } from './routes';

/**
 * The service status API client.
 */
const serviceStatusApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: serviceStatusApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ServiceStatusClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * The scorecard client (the community Tech Insights backend's check runs).
 */
const scorecardApi = ApiBlueprint.make({
  name: 'scorecards',
  params: defineParams =>
    defineParams({
      api: scorecardApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ScorecardClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * The scorecard card on the overview tab of Components.
 */
const entityScorecardCard = EntityCardBlueprint.make({
  name: 'scorecard',
  params: {
    filter: { kind: 'component' },
    loader: () =>
      import('./components/Scorecard').then(m => <m.EntityScorecardCard />),
  },
});

/**
 * The "Service status" page at `/service-status` (also a sidebar item).
 */
const serviceStatusPage = PageBlueprint.make({
  params: {
    path: '/service-status',
    title: 'Service status',
    icon: <TrafficIcon />,
    routeRef: convertLegacyRouteRef(rootRouteRef),
    loader: () =>
      import('./components/ServiceStatusPage').then(m => (
        <m.ServiceStatusPageContent />
      )),
  },
});

/**
 * The entity "Status" tab for Components and Resources.
 */
const entityServiceStatusContent = EntityContentBlueprint.make({
  name: 'status',
  params: {
    path: 'status',
    title: 'Status',
    group: 'observability',
    filter: { kind: { $in: ['component', 'resource'] } },
    loader: () =>
      import('./components/EntityStatusContent').then(m => (
        <m.EntityStatusContent />
      )),
  },
});

/**
 * The status card on the overview tab of Components (an `info` card: next to "About").
 */
const entityServiceStatusCard = EntityCardBlueprint.make({
  name: 'status',
  params: {
    type: 'info',
    filter: { kind: 'component' },
    loader: () =>
      import('./components/EntityStatusCard').then(m => <m.EntityStatusCard />),
  },
});

/**
 * The service status plugin for the new frontend system: the API, the "Service status" page,
 * the entity "Status" tab and the entity overview card.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'service-status',
  title: 'Service status',
  icon: <TrafficIcon />,
  info: { packageJson: () => import('../package.json') },
  routes: {
    root: convertLegacyRouteRef(rootRouteRef),
  },
  extensions: [
    serviceStatusApi,
    serviceStatusPage,
    entityServiceStatusContent,
    entityServiceStatusCard,
    scorecardApi,
    entityScorecardCard,
  ],
});

export { serviceStatusTranslationRef } from './translation';
export { DeliveryMetricsContent } from './components/DeliveryMetrics';
export { EntityScorecardCard, TeamScorecards } from './components/Scorecard';
