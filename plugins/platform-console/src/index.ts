/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/**
 * The platform console (Paved): the platform team's page at `/platform` with tabs (Cost: showback per team per
 * month, forecast, top resources, drill-down and the FOCUS CSV export) and an entity Cost card, backed by the
 * provisioning backend's cost ledger.
 *
 * This entry point is for apps on the legacy frontend system; the new frontend system plugin is the default
 * export of `@paved/backstage-plugin-platform-console/alpha`.
 *
 * @packageDocumentation
 */
export { platformConsolePlugin, PlatformConsolePage, EntityCostCard } from './plugin';
export { rootRouteRef as platformConsoleRouteRef } from './routes';
export { costsApiRef, CostsClient } from './api';
export type { CostsApi, CostGroupBy, CostItem, CostQueryFilter, CostsResponse, CostSummary } from './api';
export { CostTab } from './components/CostTab';
export { PlatformConsolePageContent, defaultPlatformConsoleTabs } from './components/PlatformConsolePage';
export type { PlatformConsoleTab } from './components/PlatformConsolePage';
