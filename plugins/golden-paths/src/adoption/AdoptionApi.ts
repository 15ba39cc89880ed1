/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createApiRef, DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';

/**
 * A golden-path funnel: runs started -> completed -> component in the catalog -> deployed ->
 * healthy now; `conversion` holds each stage over the previous one (0..1).
 * @public
 */
export interface AdoptionFunnel {
  started: number;
  completed: number;
  inCatalog: number;
  deployed: number;
  healthy: number;
  conversion: {
    completed?: number;
    inCatalog?: number;
    deployed?: number;
    healthy?: number;
    overall?: number;
  };
  /** Median hours from the template run to the component's first reported deployment. */
  medianHoursToFirstDeployment?: number;
}

/** Golden-path adoption (`GET /api/scaffolder/golden-paths/v1/adoption`). @public */
export interface AdoptionReport {
  from: string;
  to: string;
  weeks: number;
  funnel: AdoptionFunnel;
  templates: Array<{ templateRef: string; funnel: AdoptionFunnel }>;
  teams: Array<{ team: string; funnel: AdoptionFunnel }>;
  goldenPathShare: {
    components: number;
    fromGoldenPath: number;
    share?: number;
    byTemplate: Array<{ template: string; components: number }>;
  };
  selfService: { total: number; weeks: Array<{ weekStart: string; requests: number }> };
  warnings: string[];
}

/** Reads golden-path adoption from the golden paths scaffolder module. @public */
export interface AdoptionApi {
  /** The report over the last `weeks` whole weeks (default 12), optionally for one template. */
  getAdoption(options?: { weeks?: number; template?: string }): Promise<AdoptionReport>;
}

/** API reference for {@link AdoptionApi}. @public */
export const adoptionApiRef = createApiRef<AdoptionApi>({
  id: 'plugin.golden-paths.adoption',
});

/** The default {@link AdoptionApi}: `fetchApi` adds the user's token. @public */
export class AdoptionClient implements AdoptionApi {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
  }

  async getAdoption(options: { weeks?: number; template?: string } = {}): Promise<AdoptionReport> {
    const query = new URLSearchParams();
    if (options.weeks !== undefined) query.set('weeks', String(options.weeks));
    if (options.template) query.set('template', options.template);
    const base = await this.#discoveryApi.getBaseUrl('scaffolder');
    const qs = query.toString();
    const res = await this.#fetchApi.fetch(`${base}/golden-paths/v1/adoption${qs ? `?${qs}` : ''}`);
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return (await res.json()) as AdoptionReport;
  }
}
