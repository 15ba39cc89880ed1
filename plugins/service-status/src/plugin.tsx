import {
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';

import { rootRouteRef } from './routes';

export const page = PageBlueprint.make({
  params: {
    path: '/service-status',
    routeRef: rootRouteRef,
    loader: () =>
      import('./components/TodoPage').then(m => (
        <m.TodoPage />
      )),
  },
});

export const serviceStatusPlugin = createFrontendPlugin({
  pluginId: 'service-status',
  extensions: [page],
  routes: {
    root: rootRouteRef,
  }
});
