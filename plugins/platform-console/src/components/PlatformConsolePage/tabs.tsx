/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { ReactElement } from 'react';
import { AdoptionContent } from '@paved/backstage-plugin-golden-paths';
import { InventoryContent, RecommendationsContent } from '@paved/backstage-plugin-provisioning';
import { DeliveryMetricsContent, TeamScorecards } from '@paved/backstage-plugin-service-status';
import { CostTab } from '../CostTab';

/** One tab of the platform console. @public */
export interface PlatformConsoleTab {
  /** Path segment under `/platform`, e.g. `cost`. */
  path: string;
  /** Tab label. */
  title: string;
  content: ReactElement;
}

/**
 * The console's tabs, in order: cost (showback), the fleet inventory, rightsizing recommendations (provisioning
 * plugin), golden-path adoption (golden-paths plugin), DORA delivery metrics and scorecards per team
 * (service-status plugin). Each tab's APIs are registered by its own plugin. To add one, append
 * `{ path, title, content: <TheirTab /> }` here, or pass `tabs` to `PlatformConsolePage`.
 * @public
 */
export const defaultPlatformConsoleTabs: PlatformConsoleTab[] = [
  { path: 'cost', title: 'Cost', content: <CostTab /> },
  { path: 'inventory', title: 'Inventory', content: <InventoryContent /> },
  { path: 'rightsizing', title: 'Rightsizing', content: <RecommendationsContent /> },
  { path: 'adoption', title: 'Adoption', content: <AdoptionContent /> },
  { path: 'delivery', title: 'Delivery', content: <DeliveryMetricsContent /> },
  { path: 'scorecards', title: 'Scorecards', content: <TeamScorecards /> },
];
