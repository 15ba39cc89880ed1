/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { parseEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { Campaign, EntityGoldenPath, FleetTemplate, GoldenPathsApi, Upgrade } from './GoldenPathsApi';

/** The default {@link GoldenPathsApi}: calls the scaffolder module's fleet routes. @public */
export class GoldenPathsClient implements GoldenPathsApi {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
  }

  async #call<T>(path: string, init?: RequestInit): Promise<T> {
    const base = await this.#discoveryApi.getBaseUrl('scaffolder');
    const res = await this.#fetchApi.fetch(`${base}/golden-paths/v1${path}`, {
      ...init,
      headers: init?.body ? { 'Content-Type': 'application/json' } : undefined,
    });
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return (await res.json()) as T;
  }

  async listTemplates(): Promise<FleetTemplate[]> {
    return (await this.#call<{ items: FleetTemplate[] }>('/templates')).items;
  }

  getEntity(entityRef: string): Promise<EntityGoldenPath> {
    const { kind, namespace, name } = parseEntityRef(entityRef);
    const path = [kind, namespace, name].map(encodeURIComponent).join('/');
    return this.#call(`/entities/${path}`);
  }

  startCampaign(template: string): Promise<Campaign> {
    return this.#call('/campaigns', { method: 'POST', body: JSON.stringify({ template }) });
  }

  getCampaign(id: string): Promise<Campaign> {
    return this.#call(`/campaigns/${encodeURIComponent(id)}`);
  }

  merge(repo: string, version: string): Promise<Upgrade> {
    return this.#call<Upgrade>(
      `/upgrades/${encodeURIComponent(repo)}/${encodeURIComponent(version)}/merge`,
      { method: 'POST' },
    );
  }
}
