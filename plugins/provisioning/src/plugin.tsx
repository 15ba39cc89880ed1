import {
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';

import { rootRouteRef } from './routes';

export const page = PageBlueprint.make({
  params: {
    path: '/provisioning',
    routeRef: rootRouteRef,
    loader: () =>
      import('./components/TodoPage').then(m => (
        <m.TodoPage />
      )),
  },
});

export const provisioningPlugin = createFrontendPlugin({
  pluginId: 'provisioning',
  extensions: [page],
  routes: {
    root: rootRouteRef,
  }
});
