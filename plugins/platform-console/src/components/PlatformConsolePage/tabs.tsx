/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { ReactElement } from 'react';
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
 * The console's tabs, in order. To add one (Inventory, Recommendations, Adoption, Delivery, Scorecards), append
 * `{ path, title, content: <TheirTab /> }` here, or pass `tabs` to `PlatformConsolePage`.
 * @public
 */
export const defaultPlatformConsoleTabs: PlatformConsoleTab[] = [
  { path: 'cost', title: 'Cost', content: <CostTab /> },
];
