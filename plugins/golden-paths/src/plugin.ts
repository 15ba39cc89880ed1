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
import { goldenPathsApiRef, GoldenPathsClient } from './api';
import { adoptionApiRef, AdoptionClient } from './adoption/AdoptionApi';
import { rootRouteRef } from './routes';

/**
 * The golden paths plugin for apps on the legacy frontend system. Apps on the new frontend system
 * use the default export of `@paved/backstage-plugin-golden-paths/alpha`.
 * @public
 */
export const goldenPathsPlugin = createPlugin({
  id: 'golden-paths',
  routes: { root: rootRouteRef },
  apis: [
    createApiFactory({
      api: goldenPathsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) => new GoldenPathsClient({ discoveryApi, fetchApi }),
    }),
    createApiFactory({
      api: adoptionApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) => new AdoptionClient({ discoveryApi, fetchApi }),
    }),
  ],
});

/**
 * The "Golden paths" page: per template its versions, services on each, upgrades and campaigns.
 * Mount it on a route, e.g. `<Route path="/golden-paths" element={<GoldenPathsPage />} />`.
 * @public
 */
export const GoldenPathsPage: () => JSX.Element | null = goldenPathsPlugin.provide(
  createRoutableExtension({
    name: 'GoldenPathsPage',
    component: () => import('./components/GoldenPathsPage').then(m => m.GoldenPathsPage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * Entity card: the golden path and version a service was made from, and its upgrade.
 * @public
 */
export const EntityGoldenPathCard: () => JSX.Element | null = goldenPathsPlugin.provide(
  createComponentExtension({
    name: 'EntityGoldenPathCard',
    component: {
      lazy: () => import('./components/EntityGoldenPathCard').then(m => m.EntityGoldenPathCard),
    },
  }),
);
