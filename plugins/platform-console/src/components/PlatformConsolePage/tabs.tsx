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

type TabTitleKey = `tabs.${'cost' | 'inventory' | 'rightsizing' | 'adoption' | 'delivery' | 'scorecards'}`;

/**
 * The translation key (in `platformConsoleTranslationRef`) of each default tab's title: the page shows these
 * tabs' titles through the translation API; tabs the app adds keep their own `title`.
 * @internal
 */
export const defaultTabTitleKeys = new Map<PlatformConsoleTab, TabTitleKey>();

function defaultTab(path: string, title: string, titleKey: TabTitleKey, content: ReactElement): PlatformConsoleTab {
  const tab = { path, title, content };
  defaultTabTitleKeys.set(tab, titleKey);
  return tab;
}

/**
 * The console's tabs, in order: cost (showback), the fleet inventory, rightsizing recommendations (provisioning
 * plugin), golden-path adoption (golden-paths plugin), DORA delivery metrics and scorecards per team
 * (service-status plugin). Each tab's APIs are registered by its own plugin. To add one, append
 * `{ path, title, content: <TheirTab /> }` here, or pass `tabs` to `PlatformConsolePage`.
 * @public
 */
export const defaultPlatformConsoleTabs: PlatformConsoleTab[] = [
  defaultTab('cost', 'Cost', 'tabs.cost', <CostTab />),
  defaultTab('inventory', 'Inventory', 'tabs.inventory', <InventoryContent />),
  defaultTab('rightsizing', 'Rightsizing', 'tabs.rightsizing', <RecommendationsContent />),
  defaultTab('adoption', 'Adoption', 'tabs.adoption', <AdoptionContent />),
  defaultTab('delivery', 'Delivery', 'tabs.delivery', <DeliveryMetricsContent />),
  defaultTab('scorecards', 'Scorecards', 'tabs.scorecards', <TeamScorecards />),
];
