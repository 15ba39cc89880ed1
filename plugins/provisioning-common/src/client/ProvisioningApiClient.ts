import { ResponseError } from '@backstage/errors';
import type { components, operations } from '../generated/openapi';
import type {
  ApprovalsResponse,
  DependentsResponse,
  ListResourcesQuery,
} from './contract';

/** A resource as the API returns it (generated from the OpenAPI spec). @public */
export type ApiResource = components['schemas']['Resource'];
/** A resource type as the API returns it (generated from the OpenAPI spec). @public */
export type ApiResourceType = components['schemas']['ResourceType'];
/** A resource event as the API returns it (generated from the OpenAPI spec). @public */
export type ApiResourceEvent = components['schemas']['ResourceEvent'];
/** The result of `POST /estimates` (generated from the OpenAPI spec). @public */
export type ApiCostEstimate = components['schemas']['CostEstimate'];
/** Secret connection details (generated from the OpenAPI spec). @public */
export type ApiResourceCredentials =
  components['schemas']['ResourceCredentials'];
/** Body of `POST /resources` (generated from the OpenAPI spec). @public */
export type ApiCreateResourceRequest = NonNullable<
  operations['CreateResource']['requestBody']
>['content']['application/json'];
/** Body of `POST /estimates` (generated from the OpenAPI spec). @public */
export type ApiEstimateRequest = NonNullable<
  operations['CreateEstimate']['requestBody']
>['content']['application/json'];
/** Body of `PATCH /resources/{id}` (generated from the OpenAPI spec). @public */
export type ApiUpdateResourceRequest = NonNullable<
  operations['UpdateResource']['requestBody']
>['content']['application/json'];
/** A rollout of a type version, with its waves (generated from the OpenAPI spec). @public */
export type ApiRollout = components['schemas']['Rollout'];
/** Body of `POST /rollouts` (generated from the OpenAPI spec). @public */
export type ApiCreateRolloutRequest = NonNullable<
  operations['CreateRollout']['requestBody']
>['content']['application/json'];
/** Response of `GET /resources` (generated from the OpenAPI spec). @public */
export type ApiListResourcesResponse =
  operations['ListResources']['responses']['200']['content']['application/json'];

/**
 * Options of one call of {@link ProvisioningApiClient}.
 * @public
 */
export interface ProvisioningRequestOptions {
  /**
   * A Backstage token sent as `Authorization: Bearer`. Backends pass a plugin token from
   * `auth.getPluginRequestToken({ onBehalfOf, targetPluginId: 'provisioning' })`; frontends leave it out, as their
   * `fetchApi` adds the user's token.
   */
  token?: string;
  /** Aborts the request. */
  signal?: AbortSignal;
}

/**
 * Options of {@link ProvisioningApiClient}: the same shapes as the frontend's `discoveryApi`/`fetchApi` and the
 * backend's `coreServices.discovery`, so one client serves both.
 * @public
 */
export interface ProvisioningApiClientOptions {
  /** Resolves the base URL of the `provisioning` plugin, e.g. `http://localhost:7007/api/provisioning`. */
  discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
  /** The fetch to use; defaults to the global `fetch`. In a frontend pass `fetchApi` (it adds the user's token). */
  fetchApi?: { fetch: typeof fetch };
}

/**
 * Typed client of the provisioning REST API (`/api/provisioning/v1`), built on the types generated from the backend's
 * `src/schema/openapi.yaml`. Used by the frontend plugin's `ProvisioningApi` and by the scaffolder actions.
 *
 * @remarks
 * Every method throws a `ResponseError` (from `@backstage/errors`) when the backend answers with an error status:
 * 400 invalid input (e.g. a naming rule), 403 not allowed, 404 unknown id, 409 conflict.
 *
 * @public
 */
export class ProvisioningApiClient {
  readonly #discoveryApi: ProvisioningApiClientOptions['discoveryApi'];
  readonly #fetchApi: { fetch: typeof fetch };

  constructor(options: ProvisioningApiClientOptions) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi ?? { fetch: (...a) => fetch(...a) };
  }

  /** `GET /types`: the offerings. */
  listTypes(
    options?: ProvisioningRequestOptions,
  ): Promise<
    operations['ListTypes']['responses']['200']['content']['application/json']
  > {
    return this.#request('GET', '/types', { options });
  }

  /** `POST /estimates`: monthly cost (USD/month) and approval outcome; 400 when `name` breaks a naming rule. */
  estimate(
    request: ApiEstimateRequest & { name?: string },
    options?: ProvisioningRequestOptions,
  ): Promise<ApiCostEstimate> {
    return this.#request('POST', '/estimates', { body: request, options });
  }

  /** `GET /resources`: one page of resources and the totals per owner (billable resources only). */
  listResources(
    query: ListResourcesQuery = {},
    options?: ProvisioningRequestOptions,
  ): Promise<ApiListResourcesResponse> {
    const params = new URLSearchParams();
    for (const owner of query.owner ?? []) params.append('owner', owner);
    for (const state of [query.state ?? []].flat()) {
      params.append('state', state);
    }
    if (query.name) params.set('name', query.name);
    if (query.type) params.set('type', query.type);
    if (query.entityRef) params.set('entityRef', query.entityRef);
    if (query.includeDeleted) params.set('includeDeleted', 'true');
    if (query.cursor) params.set('cursor', query.cursor);
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    if (query.deviations !== undefined) params.set('deviations', String(query.deviations));
    const qs = params.toString();
    return this.#request('GET', `/resources${qs ? `?${qs}` : ''}`, {
      options,
    });
  }

  /** `GET /resources/{id}`. */
  getResource(
    id: string,
    options?: ProvisioningRequestOptions,
  ): Promise<ApiResource> {
    return this.#request('GET', `/resources/${enc(id)}`, { options });
  }

  /**
   * `POST /resources`. With `idempotencyKey` (1..200 characters) the same key and body return the same resource
   * (200 instead of 201) and the same key with another body is a 409.
   */
  createResource(
    request: ApiCreateResourceRequest,
    options?: ProvisioningRequestOptions & { idempotencyKey?: string },
  ): Promise<ApiResource> {
    return this.#request('POST', '/resources', {
      body: request,
      options,
      headers: options?.idempotencyKey
        ? { 'Idempotency-Key': options.idempotencyKey }
        : undefined,
    });
  }

  /** `PATCH /resources/{id}`: changes parameters (merged over the current ones). */
  updateResource(
    id: string,
    request: ApiUpdateResourceRequest,
    options?: ProvisioningRequestOptions,
  ): Promise<ApiResource> {
    return this.#request('PATCH', `/resources/${enc(id)}`, {
      body: request,
      options,
    });
  }

  /**
   * `DELETE /resources/{id}`; works in every state but `deleted`. `force: true` (approvers only) removes the record
   * without calling the driver.
   */
  deleteResource(
    id: string,
    options?: ProvisioningRequestOptions & { force?: boolean },
  ): Promise<ApiResource> {
    return this.#request(
      'DELETE',
      `/resources/${enc(id)}${options?.force ? '?force=true' : ''}`,
      { options },
    );
  }

  /** `GET /resources/{id}/events`: oldest first. */
  listEvents(
    id: string,
    options?: ProvisioningRequestOptions,
  ): Promise<{ items: ApiResourceEvent[] }> {
    return this.#request('GET', `/resources/${enc(id)}/events`, { options });
  }

  /** `GET /resources/{id}/dependents`: catalog entities whose `dependsOn` names this resource's entity. */
  listDependents(
    id: string,
    options?: ProvisioningRequestOptions,
  ): Promise<DependentsResponse> {
    return this.#request('GET', `/resources/${enc(id)}/dependents`, {
      options,
    });
  }

  /** `POST /resources/{id}/retry`: retries the failed operation. */
  retryResource(
    id: string,
    options?: ProvisioningRequestOptions,
  ): Promise<ApiResource> {
    return this.#request('POST', `/resources/${enc(id)}/retry`, { options });
  }

  /** `GET /approvals` (approvers only, 403 otherwise): creates awaiting approval and resources with a pending change. */
  listApprovals(
    options?: ProvisioningRequestOptions,
  ): Promise<ApprovalsResponse> {
    return this.#request('GET', '/approvals', { options });
  }

  /** `POST /resources/{id}/approve`. */
  approveResource(
    id: string,
    request: { reason?: string } = {},
    options?: ProvisioningRequestOptions,
  ): Promise<ApiResource> {
    return this.#request('POST', `/resources/${enc(id)}/approve`, {
      body: request,
      options,
    });
  }

  /** `POST /resources/{id}/reject`; the reason is required. */
  rejectResource(
    id: string,
    request: { reason: string },
    options?: ProvisioningRequestOptions,
  ): Promise<ApiResource> {
    return this.#request('POST', `/resources/${enc(id)}/reject`, {
      body: request,
      options,
    });
  }

  /**
   * `POST /resources/{id}/extend` (owner): sets the time to live to `ttl` (ISO 8601 or e.g. `2h`) from now, at most
   * the type's maximum (400 beyond).
   */
  extendResource(
    id: string,
    request: { ttl: string },
    options?: ProvisioningRequestOptions,
  ): Promise<ApiResource> {
    return this.#request('POST', `/resources/${enc(id)}/extend`, {
      body: request,
      options,
    });
  }

  /** `POST /resources/{id}/withdraw` (owner): drops a pending change, or withdraws a create awaiting approval. */
  withdrawResource(
    id: string,
    options?: ProvisioningRequestOptions,
  ): Promise<ApiResource> {
    return this.#request('POST', `/resources/${enc(id)}/withdraw`, {
      options,
    });
  }

  /** `GET /resources/{id}/credentials`: members of the owning group only (403 otherwise). */
  getCredentials(
    id: string,
    options?: ProvisioningRequestOptions,
  ): Promise<ApiResourceCredentials> {
    return this.#request('GET', `/resources/${enc(id)}/credentials`, {
      options,
    });
  }

  /**
   * `POST /signal-echo` (users only): asks the backend to publish `{ echo: nonce }` on the signal channel
   * `provisioning:resource` to the calling user alone. Receiving it proves the caller's signal subscription is live.
   * `nonce`: 8-64 characters of `[A-Za-z0-9-]`. 503 when the backend has no signals service.
   */
  echoSignal(
    nonce: string,
    options?: ProvisioningRequestOptions,
  ): Promise<{ nonce: string }> {
    return this.#request('POST', '/signal-echo', {
      body: { nonce },
      options,
    });
  }
  // --- rollouts (issue 14 item 2) ---

  /** `GET /rollouts`: rollouts, newest first, without their items; optionally of one type or status. */
  listRollouts(
    query: { type?: string; status?: ApiRollout['status'] } = {},
    options?: ProvisioningRequestOptions,
  ): Promise<{ items: ApiRollout[] }> {
    const params = new URLSearchParams();
    if (query.type) params.set('type', query.type);
    if (query.status) params.set('status', query.status);
    const qs = params.toString();
    return this.#request('GET', `/rollouts${qs ? `?${qs}` : ''}`, { options });
  }

  /** `GET /rollouts/{id}`: a rollout with its waves and their resources. */
  getRollout(id: string, options?: ProvisioningRequestOptions): Promise<ApiRollout> {
    return this.#request('GET', `/rollouts/${enc(id)}`, { options });
  }

  /** `POST /rollouts`: the platform team starts a rollout of a type version (403 for others, 409 when nothing is behind). */
  createRollout(
    request: ApiCreateRolloutRequest,
    options?: ProvisioningRequestOptions,
  ): Promise<ApiRollout> {
    return this.#request('POST', '/rollouts', { body: request, options });
  }

  /** `POST /rollouts/{id}/pause|resume|abort` (platform team; 409 in the wrong status). */
  steerRollout(
    id: string,
    action: 'pause' | 'resume' | 'abort',
    options?: ProvisioningRequestOptions,
  ): Promise<ApiRollout> {
    return this.#request('POST', `/rollouts/${enc(id)}/${action}`, { options });
  }

  async #request<T>(
    method: string,
    path: string,
    init: {
      body?: unknown;
      options?: ProvisioningRequestOptions;
      headers?: Record<string, string>;
    },
  ): Promise<T> {
    const baseUrl = await this.#discoveryApi.getBaseUrl('provisioning');
    const headers: Record<string, string> = { ...init.headers };
    if (init.body !== undefined) headers['Content-Type'] = 'application/json';
    if (init.options?.token) {
      headers.Authorization = `Bearer ${init.options.token}`;
    }
    const response = await this.#fetchApi.fetch(`${baseUrl}/v1${path}`, {
      method,
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: init.options?.signal,
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}

function enc(id: string) {
  return encodeURIComponent(id);
}
