import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  DeliveryMetricsQuery,
  DeliveryMetricsResponse,
  EntityHistory,
  EntityStatus,
  Incident,
  ListDeploymentsQuery,
  ListDeploymentsResponse,
  ListIncidentsQuery,
  ListIncidentsResponse,
  ListStatusesQuery,
  ListStatusesResponse,
  OpenIncidentRequest,
  ResolveIncidentRequest,
  UpdateIncidentRequest,
} from '@paved/backstage-plugin-service-status-common';
import type { ServiceStatusApi } from './ServiceStatusApi';

type QueryValue = string | number | boolean | undefined | readonly string[];

function toQueryString(query: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) {
      continue;
    }
    if (Array.isArray(value)) {
      for (const item of value) {
        params.append(key, item);
      }
    } else {
      params.append(key, String(value));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * The default {@link ServiceStatusApi} implementation: calls the service status backend
 * through the app's `fetchApi` (which adds the user's token).
 *
 * @public
 */
export class ServiceStatusClient implements ServiceStatusApi {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;

  /**
   * @param options - `discoveryApi` finds the backend's base URL; `fetchApi` adds the user's token.
   */
  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
  }

  /** {@inheritDoc ServiceStatusApi.getEntityStatus} */
  async getEntityStatus(entityRef: string): Promise<EntityStatus> {
    return this.#request(`/status${toQueryString({ entityRef })}`);
  }

  /** {@inheritDoc ServiceStatusApi.getEntityHistory} */
  async getEntityHistory(
    entityRef: string,
    options: { hours?: number } = {},
  ): Promise<EntityHistory> {
    return this.#request(
      `/history${toQueryString({ entityRef, hours: options.hours })}`,
    );
  }

  /** {@inheritDoc ServiceStatusApi.listStatuses} */
  async listStatuses(
    query: ListStatusesQuery = {},
  ): Promise<ListStatusesResponse> {
    return this.#request(
      `/statuses${toQueryString({
        owner: query.owner,
        system: query.system,
        kind: query.kind,
        state: query.state,
        cursor: query.cursor,
        limit: query.limit,
      })}`,
    );
  }

  /** {@inheritDoc ServiceStatusApi.listDeployments} */
  async listDeployments(
    query: ListDeploymentsQuery,
  ): Promise<ListDeploymentsResponse> {
    return this.#request(
      `/deployments${toQueryString({
        entityRef: query.entityRef,
        environment: query.environment,
        cursor: query.cursor,
        limit: query.limit,
      })}`,
    );
  }

  /** {@inheritDoc ServiceStatusApi.listIncidents} */
  async listIncidents(
    query: ListIncidentsQuery = {},
  ): Promise<ListIncidentsResponse> {
    return this.#request(
      `/incidents${toQueryString({
        entityRef: query.entityRef,
        state: query.state,
        cursor: query.cursor,
        limit: query.limit,
      })}`,
    );
  }

  /** {@inheritDoc ServiceStatusApi.openIncident} */
  async openIncident(request: OpenIncidentRequest): Promise<Incident> {
    return this.#request('/incidents', { method: 'POST', body: request });
  }

  /** {@inheritDoc ServiceStatusApi.updateIncident} */
  async updateIncident(
    id: string,
    request: UpdateIncidentRequest,
  ): Promise<Incident> {
    return this.#request(`/incidents/${encodeURIComponent(id)}`, {
      method: 'PATCH',
      body: request,
    });
  }

  /** {@inheritDoc ServiceStatusApi.resolveIncident} */
  async resolveIncident(
    id: string,
    request: ResolveIncidentRequest = {},
  ): Promise<Incident> {
    return this.#request(`/incidents/${encodeURIComponent(id)}/resolve`, {
      method: 'POST',
      body: request,
    });
  }

  /** {@inheritDoc ServiceStatusApi.getDeliveryMetrics} */
  async getDeliveryMetrics(
    query: DeliveryMetricsQuery = {},
  ): Promise<DeliveryMetricsResponse> {
    return this.#request(
      `/delivery-metrics${toQueryString({
        groupBy: query.groupBy,
        weeks: query.weeks,
        environment: query.environment,
        owner: query.owner,
        entityRef: query.entityRef,
      })}`,
    );
  }

  async #request<T>(
    path: string,
    options: { method?: string; body?: unknown } = {},
  ): Promise<T> {
    const baseUrl = await this.#discoveryApi.getBaseUrl('service-status');
    const response = await this.#fetchApi.fetch(`${baseUrl}/v1${path}`, {
      method: options.method ?? 'GET',
      headers:
        options.body === undefined
          ? undefined
          : { 'Content-Type': 'application/json' },
      body:
        options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
