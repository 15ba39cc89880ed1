import { createApiRef } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  InventoryFilter,
  InventoryResponse as CommonInventoryResponse,
  RecommendationsResponse as CommonRecommendationsResponse,
  Resource,
} from '@paved/backstage-plugin-provisioning-common';

/** Response of {@link InventoryApi.getInventory}: the generated wire type of `GET /v1/inventory`. @public */
export type InventoryResponse = CommonInventoryResponse;

/** Response of {@link InventoryApi.listRecommendations}: the generated wire type of `GET /v1/recommendations`. @public */
export type RecommendationsResponse = CommonRecommendationsResponse;

/**
 * The fleet inventory and rightsizing endpoints of the provisioning backend (`/api/provisioning/v1`):
 * `GET /inventory`, `GET /recommendations`, `POST /resources/{id}/repair` and `POST /resources/{id}/accept-drift`.
 * Methods throw `ResponseError` on an error status (403: not the platform team, 409: not drifted / nothing to adopt).
 * @public
 */
export interface InventoryApi {
  getInventory(query?: {
    filter?: InventoryFilter;
    owner?: string[];
    offset?: number;
    limit?: number;
  }): Promise<InventoryResponse>;
  listRecommendations(query?: { owner?: string[]; resourceId?: string }): Promise<RecommendationsResponse>;
  repairResource(id: string): Promise<Resource>;
  acceptDrift(id: string): Promise<Resource>;
}

/** @public */
export const inventoryApiRef = createApiRef<InventoryApi>({ id: 'plugin.provisioning.inventory' });

/** Default {@link InventoryApi}: calls the backend through `fetchApi` at the base URL `discoveryApi` returns. @public */
export class InventoryClient implements InventoryApi {
  readonly #discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
  readonly #fetchApi: { fetch: typeof fetch };

  constructor(options: {
    discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
    fetchApi: { fetch: typeof fetch };
  }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
  }

  async #call<T>(method: 'GET' | 'POST', path: string, query?: URLSearchParams): Promise<T> {
    const base = await this.#discoveryApi.getBaseUrl('provisioning');
    const qs = query?.toString();
    const response = await this.#fetchApi.fetch(`${base}/v1${path}${qs ? `?${qs}` : ''}`, { method });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }

  getInventory(query: { filter?: InventoryFilter; owner?: string[]; offset?: number; limit?: number } = {}) {
    const qs = new URLSearchParams();
    if (query.filter) qs.set('filter', query.filter);
    for (const o of query.owner ?? []) qs.append('owner', o);
    if (query.offset !== undefined) qs.set('offset', String(query.offset));
    if (query.limit !== undefined) qs.set('limit', String(query.limit));
    return this.#call<InventoryResponse>('GET', '/inventory', qs);
  }

  listRecommendations(query: { owner?: string[]; resourceId?: string } = {}) {
    const qs = new URLSearchParams();
    for (const o of query.owner ?? []) qs.append('owner', o);
    if (query.resourceId) qs.set('resourceId', query.resourceId);
    return this.#call<RecommendationsResponse>('GET', '/recommendations', qs);
  }

  repairResource(id: string) {
    return this.#call<Resource>('POST', `/resources/${encodeURIComponent(id)}/repair`);
  }

  acceptDrift(id: string) {
    return this.#call<Resource>('POST', `/resources/${encodeURIComponent(id)}/accept-drift`);
  }
}
