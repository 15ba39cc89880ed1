import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  CostEstimate,
  Resource,
  ResourceCredentials,
  ResourceEvent,
  ResourceType,
} from '@paved/backstage-plugin-provisioning-common';
import {
  CreateResourceRequest,
  ListResourcesQuery,
  ListResourcesResponse,
  ProvisioningApi,
} from './ProvisioningApi';

/**
 * Default {@link ProvisioningApi} implementation: calls the provisioning backend through `fetchApi`
 * (which adds the user's token) at the base URL `discoveryApi` returns for `provisioning`.
 *
 * @public
 */
export class ProvisioningClient implements ProvisioningApi {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
  }

  listTypes(): Promise<{ items: ResourceType[] }> {
    return this.#request('GET', '/types');
  }

  estimate(request: {
    type: string;
    parameters: Record<string, unknown>;
  }): Promise<CostEstimate> {
    return this.#request('POST', '/estimates', request);
  }

  listResources(
    query: ListResourcesQuery = {},
  ): Promise<ListResourcesResponse> {
    const params = new URLSearchParams();
    for (const owner of query.owner ?? []) {
      params.append('owner', owner);
    }
    if (query.type) params.set('type', query.type);
    if (query.state) params.set('state', query.state);
    if (query.entityRef) params.set('entityRef', query.entityRef);
    if (query.includeDeleted) params.set('includeDeleted', 'true');
    if (query.cursor) params.set('cursor', query.cursor);
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    const qs = params.toString();
    return this.#request('GET', `/resources${qs ? `?${qs}` : ''}`);
  }

  getResource(id: string): Promise<Resource> {
    return this.#request('GET', `/resources/${encodeURIComponent(id)}`);
  }

  createResource(request: CreateResourceRequest): Promise<Resource> {
    return this.#request('POST', '/resources', request);
  }

  updateResource(
    id: string,
    request: { parameters: Record<string, unknown> },
  ): Promise<Resource> {
    return this.#request(
      'PATCH',
      `/resources/${encodeURIComponent(id)}`,
      request,
    );
  }

  deleteResource(id: string): Promise<Resource> {
    return this.#request('DELETE', `/resources/${encodeURIComponent(id)}`);
  }

  listEvents(id: string): Promise<{ items: ResourceEvent[] }> {
    return this.#request('GET', `/resources/${encodeURIComponent(id)}/events`);
  }

  retryResource(id: string): Promise<Resource> {
    return this.#request('POST', `/resources/${encodeURIComponent(id)}/retry`);
  }

  approveResource(
    id: string,
    request: { reason?: string } = {},
  ): Promise<Resource> {
    return this.#request(
      'POST',
      `/resources/${encodeURIComponent(id)}/approve`,
      request,
    );
  }

  rejectResource(id: string, request: { reason: string }): Promise<Resource> {
    return this.#request(
      'POST',
      `/resources/${encodeURIComponent(id)}/reject`,
      request,
    );
  }

  getCredentials(id: string): Promise<ResourceCredentials> {
    return this.#request(
      'GET',
      `/resources/${encodeURIComponent(id)}/credentials`,
    );
  }

  async #request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const baseUrl = await this.#discoveryApi.getBaseUrl('provisioning');
    const response = await this.#fetchApi.fetch(`${baseUrl}/v1${path}`, {
      method,
      headers:
        body === undefined ? undefined : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
