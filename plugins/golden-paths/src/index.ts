/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/**
 * Golden paths on day 2 (Paved): the "Golden paths" fleet page and an entity card offering template
 * upgrades, backed by `@paved/backstage-plugin-scaffolder-backend-module-golden-paths`.
 *
 * This entry point is for apps on the legacy frontend system; the new frontend system plugin is the
 * default export of `@paved/backstage-plugin-golden-paths/alpha`.
 *
 * @packageDocumentation
 */
export { goldenPathsPlugin, GoldenPathsPage, EntityGoldenPathCard } from './plugin';
export { rootRouteRef as goldenPathsRouteRef } from './routes';
export { goldenPathsApiRef, GoldenPathsClient } from './api';
export type {
  GoldenPathsApi,
  FleetTemplate,
  FleetService,
  EntityGoldenPath,
  Campaign,
  Upgrade,
  UpgradeStatus,
} from './api';
export { AdoptionContent, AdoptionFunnelBars, adoptionApiRef, AdoptionClient } from './adoption';
export type { AdoptionApi, AdoptionFunnel, AdoptionReport, AdoptionContentProps } from './adoption';
