/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { CostGroupBy, CostQueryFilter, CostsApi, CostsResponse, CostSummary } from './CostsApi';

function query(params: Record<string, string | boolean | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== '' && v !== false) q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The default {@link CostsApi}: calls `/api/provisioning/v1/costs…`. @public */
export class CostsClient implements CostsApi {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
  }

  async #url(path: string, params: Record<string, string | boolean | undefined>) {
    const base = await this.#discoveryApi.getBaseUrl('provisioning');
    return `${base}/v1/costs${path}${query(params)}`;
  }

  async #get(url: string): Promise<Response> {
    const res = await this.#fetchApi.fetch(url);
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return res;
  }

  async getCosts(options: CostQueryFilter & { groupBy: CostGroupBy; from?: string; to?: string }): Promise<CostsResponse> {
    return (await this.#get(await this.#url('', { ...options }))).json();
  }

  async getSummary(filter: CostQueryFilter): Promise<CostSummary> {
    return (await this.#get(await this.#url('/summary', { ...filter }))).json();
  }

  exportUrl(filter: CostQueryFilter & { from?: string; to?: string }): Promise<string> {
    return this.#url('/export.csv', { ...filter });
  }

  async exportCsv(filter: CostQueryFilter & { from?: string; to?: string }): Promise<string> {
    return (await this.#get(await this.exportUrl(filter))).text();
  }
}
