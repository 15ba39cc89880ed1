/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createApiRef } from '@backstage/core-plugin-api';

/** A dimension costs are grouped by. @public */
export type CostGroupBy = 'owner' | 'component' | 'system' | 'domain' | 'resource';

/** Filters of a cost query (entity refs). @public */
export interface CostQueryFilter {
  owner?: string;
  system?: string;
  component?: string;
  domain?: string;
  /** With `component`: also the resources it depends on. */
  includeDependencies?: boolean;
}

/** Cost of one key per month (USD). @public */
export interface CostItem {
  key: string;
  title?: string;
  monthlyCostUsd: Array<{ month: string; usd: number }>;
  totalUsd: number;
}

/** Answer of `GET /api/provisioning/v1/costs`. @public */
export interface CostsResponse {
  months: string[];
  items: CostItem[];
  /** True when demo history (not real spend) is included. */
  demo: boolean;
}

/** Answer of `GET /api/provisioning/v1/costs/summary`. @public */
export interface CostSummary {
  month: string;
  soFarUsd: number;
  forecastUsd: number;
  accruedAt: string;
  demo: boolean;
  topResources: Array<{
    resourceId: string;
    title: string;
    owner: string;
    component?: string;
    system?: string;
    usd: number;
    demo: boolean;
  }>;
}

/** Client of the provisioning cost endpoints. @public */
export interface CostsApi {
  getCosts(options: CostQueryFilter & { groupBy: CostGroupBy; from?: string; to?: string }): Promise<CostsResponse>;
  getSummary(filter: CostQueryFilter): Promise<CostSummary>;
  /** URL of the FOCUS CSV export (to download with the user's session). */
  exportUrl(filter: CostQueryFilter & { from?: string; to?: string }): Promise<string>;
  /** Downloads the FOCUS CSV export as text. */
  exportCsv(filter: CostQueryFilter & { from?: string; to?: string }): Promise<string>;
}

/** @public */
export const costsApiRef = createApiRef<CostsApi>({ id: 'plugin.platform-console.costs' });
