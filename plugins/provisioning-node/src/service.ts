import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  CostEstimate,
  Resource,
  ResourceState,
  ResourceType,
} from '@paved/backstage-plugin-provisioning-common';

/**
 * Query of {@link ProvisioningService.listResources}.
 * @public
 */
export interface ListResourcesRequest {
  /** Entity ref(s) of owning groups. */
  owner?: string | string[];
  type?: string;
  /** Exact resource name. */
  name?: string;
  state?: ResourceState | ResourceState[];
  /** Entity ref of the entity the resources belong to. */
  entityRef?: string;
  /** Include `deleted` resources (default false). */
  includeDeleted?: boolean;
  /** Opaque cursor from a previous page. */
  cursor?: string;
  /** Page size, 1-500 (default 50). */
  limit?: number;
}

/**
 * A page of resources.
 * @public
 */
export interface ListResourcesResponse {
  items: Resource[];
  /** Present when there are more items. */
  nextCursor?: string;
  /** Total monthly cost (USD/month) per owner over all matching live resources, not just this page. */
  totals: { owner: string; monthlyCostUsd: number; count: number }[];
}

/**
 * Input of {@link ProvisioningService.createResource}.
 * @public
 */
export interface CreateResourceRequest {
  name: string;
  type: string;
  /** Entity ref of the owning group. */
  owner: string;
  entityRef?: string;
  system?: string;
  parameters: Record<string, unknown>;
}

/**
 * Credentials-aware client of the provisioning backend, for other plugins and modules
 * (catalog entity provider, scaffolder actions). Calls the REST API under `/api/provisioning/v1`
 * on behalf of the given credentials. Errors are `ResponseError`s from `@backstage/errors`
 * carrying the backend's status and message; `getResource` returns `undefined` on 404.
 *
 * @public
 */
export interface ProvisioningService {
  listTypes(options: { credentials: BackstageCredentials }): Promise<ResourceType[]>;
  estimate(
    request: { type: string; parameters: Record<string, unknown> },
    options: { credentials: BackstageCredentials },
  ): Promise<CostEstimate>;
  listResources(
    request: ListResourcesRequest,
    options: { credentials: BackstageCredentials },
  ): Promise<ListResourcesResponse>;
  getResource(
    id: string,
    options: { credentials: BackstageCredentials },
  ): Promise<Resource | undefined>;
  createResource(
    request: CreateResourceRequest,
    options: { credentials: BackstageCredentials },
  ): Promise<Resource>;
  deleteResource(
    id: string,
    options: { credentials: BackstageCredentials },
  ): Promise<Resource>;
}

/**
 * Service ref of {@link ProvisioningService}; the default factory talks HTTP to the provisioning backend.
 * @public
 */
export const provisioningServiceRef = createServiceRef<ProvisioningService>({
  id: 'paved.provisioning.client',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { discovery: coreServices.discovery, auth: coreServices.auth },
      factory: ({ discovery, auth }) => {
        const call = async <T>(
          path: string,
          credentials: BackstageCredentials,
          init?: { method?: string; body?: unknown },
        ): Promise<T> => {
          const baseUrl = await discovery.getBaseUrl('provisioning');
          const { token } = await auth.getPluginRequestToken({
            onBehalfOf: credentials,
            targetPluginId: 'provisioning',
          });
          const res = await fetch(`${baseUrl}/v1${path}`, {
            method: init?.method ?? 'GET',
            headers: {
              Authorization: `Bearer ${token}`,
              ...(init?.body !== undefined
                ? { 'Content-Type': 'application/json' }
                : {}),
            },
            body:
              init?.body !== undefined ? JSON.stringify(init.body) : undefined,
          });
          if (!res.ok) {
            throw await ResponseError.fromResponse(res);
          }
          return (await res.json()) as T;
        };
        return {
          listTypes: async ({ credentials }) =>
            (await call<{ items: ResourceType[] }>('/types', credentials)).items,
          estimate: (request, { credentials }) =>
            call<CostEstimate>('/estimates', credentials, {
              method: 'POST',
              body: request,
            }),
          listResources: (request, { credentials }) => {
            const q = new URLSearchParams();
            const many = (k: string, v?: string | string[]) =>
              [v ?? []].flat().forEach(x => q.append(k, x));
            many('owner', request.owner);
            many('state', request.state);
            if (request.type) q.set('type', request.type);
            if (request.name) q.set('name', request.name);
            if (request.entityRef) q.set('entityRef', request.entityRef);
            if (request.includeDeleted) q.set('includeDeleted', 'true');
            if (request.cursor) q.set('cursor', request.cursor);
            if (request.limit) q.set('limit', String(request.limit));
            return call<ListResourcesResponse>(`/resources?${q}`, credentials);
          },
          getResource: async (id, { credentials }) => {
            try {
              return await call<Resource>(
                `/resources/${encodeURIComponent(id)}`,
                credentials,
              );
            } catch (e) {
              if (e instanceof ResponseError && e.statusCode === 404) {
                return undefined;
              }
              throw e;
            }
          },
          createResource: (request, { credentials }) =>
            call<Resource>('/resources', credentials, {
              method: 'POST',
              body: request,
            }),
          deleteResource: (id, { credentials }) =>
            call<Resource>(`/resources/${encodeURIComponent(id)}`, credentials, {
              method: 'DELETE',
            }),
        };
      },
    }),
});
