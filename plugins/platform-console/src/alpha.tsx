/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import DashboardIcon from '@material-ui/icons/Dashboard';
import { costsApiRef, CostsClient } from './api';
import { rootRouteRef } from './routes';

export { platformConsoleTranslationRef } from './translation';

/** The costs API client. */
const costsApi = ApiBlueprint.make({
  name: 'costs',
  params: defineParams =>
    defineParams({
      api: costsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) => new CostsClient({ discoveryApi, fetchApi }),
    }),
});

/** The "Platform console" page at `/platform` (also a sidebar item). */
const platformConsolePage = PageBlueprint.make({
  params: {
    path: '/platform',
    title: 'Platform console',
    icon: <DashboardIcon />,
    routeRef: convertLegacyRouteRef(rootRouteRef),
    loader: () =>
      import('./components/PlatformConsolePage').then(m => <m.PlatformConsolePageContent />),
  },
});

/** The Cost card on components and systems. @alpha */
export const entityCostCard = EntityCardBlueprint.make({
  name: 'cost',
  params: {
    filter: { kind: { $in: ['component', 'system'] } },
    loader: () => import('./components/EntityCostCard').then(m => <m.EntityCostCard />),
  },
});

/**
 * The platform console plugin for the new frontend system: the costs API, the "Platform console" page
 * (`/platform`, with tabs) and the entity Cost card.
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'platform-console',
  title: 'Platform console',
  icon: <DashboardIcon />,
  info: { packageJson: () => import('../package.json') },
  routes: { root: convertLegacyRouteRef(rootRouteRef) },
  extensions: [costsApi, platformConsolePage, entityCostCard],
});
