/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { costsApiRef, CostsClient } from './api';
import { rootRouteRef } from './routes';

/**
 * The platform console plugin for apps on the legacy frontend system. Apps on the new frontend system use
 * the default export of `@paved/backstage-plugin-platform-console/alpha`.
 * @public
 */
export const platformConsolePlugin = createPlugin({
  id: 'platform-console',
  routes: { root: rootRouteRef },
  apis: [
    createApiFactory({
      api: costsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) => new CostsClient({ discoveryApi, fetchApi }),
    }),
  ],
});

/**
 * The "Platform console" page; mount it e.g. `<Route path="/platform" element={<PlatformConsolePage />} />`.
 * @public
 */
export const PlatformConsolePage = platformConsolePlugin.provide(
  createRoutableExtension({
    name: 'PlatformConsolePage',
    component: () => import('./components/PlatformConsolePage').then(m => m.PlatformConsolePage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * Entity card: the cost of a component (with what it depends on) or a system.
 * @public
 */
export const EntityCostCard = platformConsolePlugin.provide(
  createComponentExtension({
    name: 'EntityCostCard',
    component: { lazy: () => import('./components/EntityCostCard').then(m => m.EntityCostCard) },
  }),
);
