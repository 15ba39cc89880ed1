/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createApiRef } from '@backstage/core-plugin-api';

/** Status of a service's upgrade to one template version. @public */
export type UpgradeStatus = 'queued' | 'open' | 'conflicted' | 'failed' | 'merged' | 'up-to-date';

/** One upgrade of a service. @public */
export interface Upgrade {
  repo: string;
  template: string;
  toVersion: string;
  fromVersion?: string;
  branch?: string;
  status: UpgradeStatus;
  conflicts: Array<{ path: string; reason: string }>;
  commit?: string;
  taskId?: string;
  campaignId?: string;
  message?: string;
  updatedAt: string;
}

/** A service made from a versioned template. @public */
export interface FleetService {
  entityRef: string;
  name: string;
  title?: string;
  owner: string;
  version: string;
  behind: boolean;
  upgrade?: Upgrade;
}

/** A versioned template with its fleet. @public */
export interface FleetTemplate {
  ref: string;
  title: string;
  current: string;
  versions: Array<{ version: string; changes: string[]; services: number }>;
  services: FleetService[];
  counts: {
    services: number;
    behind: number;
    open: number;
    conflicted: number;
    merged: number;
    failed: number;
    queued: number;
  };
}

/** One entity's golden path: its template, version, what newer versions change, its upgrade. @public */
export interface EntityGoldenPath {
  entityRef: string;
  template?: string;
  templateTitle?: string;
  version?: string;
  current?: string;
  behind?: boolean;
  changes?: Array<{ version: string; changes: string[] }>;
  upgrade?: Upgrade;
  upgradeTemplateRef?: string;
}

/** Progress of a campaign. @public */
export interface Campaign {
  id: string;
  template: string;
  toVersion: string;
  createdBy: string;
  total: number;
  createdAt: string;
  counts: Partial<Record<UpgradeStatus, number>>;
  done: number;
  finished: boolean;
}

/** Client of the golden paths fleet API (`/api/scaffolder/golden-paths/v1`). @public */
export interface GoldenPathsApi {
  listTemplates(): Promise<FleetTemplate[]>;
  getEntity(entityRef: string): Promise<EntityGoldenPath>;
  startCampaign(template: string): Promise<Campaign>;
  getCampaign(id: string): Promise<Campaign>;
  merge(repo: string, version: string): Promise<Upgrade>;
}

/** @public */
export const goldenPathsApiRef = createApiRef<GoldenPathsApi>({
  id: 'plugin.golden-paths.api',
});
