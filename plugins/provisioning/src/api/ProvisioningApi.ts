import { createApiRef } from '@backstage/core-plugin-api';
import {
  CostEstimate,
  Resource,
  ResourceCredentials,
  ResourceEvent,
  ResourceState,
  ResourceType,
} from '@paved/backstage-plugin-provisioning-common';

/**
 * Query of {@link ProvisioningApi.listResources}.
 * @public
 */
export interface ListResourcesQuery {
  /** Owning group entity refs; a resource matches when its owner is any of them. */
  owner?: string[];
  /** Resource type id. */
  type?: string;
  /** Lifecycle state. */
  state?: ResourceState;
  /** Entity ref of the entity the resources belong to (component or system). */
  entityRef?: string;
  /** Include resources in the `deleted` state. Default false. */
  includeDeleted?: boolean;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string;
  /** Page size (number of items). */
  limit?: number;
}

/**
 * Monthly cost of the resources of one owner, as returned with a page of resources.
 * @public
 */
export interface ResourceOwnerTotal {
  /** Owning group entity ref. */
  owner: string;
  /** Sum of the owner's live resources, in USD/month. */
  monthlyCostUsd: number;
  /** Number of the owner's live resources. */
  count: number;
}

/**
 * One page of {@link ProvisioningApi.listResources}.
 * @public
 */
export interface ListResourcesResponse {
  items: Resource[];
  /** Cursor of the next page; absent on the last page. */
  nextCursor?: string;
  /** Totals per owner over everything that matches the query (not only this page). */
  totals: ResourceOwnerTotal[];
}

/**
 * Body of {@link ProvisioningApi.createResource}.
 * @public
 */
export interface CreateResourceRequest {
  /** DNS label, see `RESOURCE_NAME_PATTERN`. */
  name: string;
  /** Resource type id. */
  type: string;
  /** Owning group entity ref. */
  owner: string;
  /** Entity ref of the entity the resource belongs to. */
  entityRef?: string;
  /** Entity ref of the system. */
  system?: string;
  /** Parameters, validated against the type's JSON Schema. */
  parameters: Record<string, unknown>;
}

/**
 * Client of the provisioning backend's REST API (`/api/provisioning/v1`).
 *
 * @remarks
 * Every method throws a `ResponseError` (from `@backstage/errors`) when the backend answers with an error status,
 * e.g. 400 for invalid input, 403 when the user may not do it, 404 for unknown ids and 409 for conflicts.
 *
 * @public
 */
export interface ProvisioningApi {
  /** The offerings: every resource type. */
  listTypes(): Promise<{ items: ResourceType[] }>;
  /** Monthly cost (USD/month) and approval outcome of a request with these parameters. */
  estimate(request: {
    type: string;
    parameters: Record<string, unknown>;
  }): Promise<CostEstimate>;
  /** One page of resources and the totals per owner. */
  listResources(query?: ListResourcesQuery): Promise<ListResourcesResponse>;
  /** One resource by id. */
  getResource(id: string): Promise<Resource>;
  /** Requests a new resource; it starts in `requested` or `awaiting-approval`. */
  createResource(request: CreateResourceRequest): Promise<Resource>;
  /** Changes a resource's parameters; it moves to `updating` or `awaiting-approval`. */
  updateResource(
    id: string,
    request: { parameters: Record<string, unknown> },
  ): Promise<Resource>;
  /** Deletes a resource; it moves to `deleting`. */
  deleteResource(id: string): Promise<Resource>;
  /** The lifecycle events of a resource, oldest first. */
  listEvents(id: string): Promise<{ items: ResourceEvent[] }>;
  /** Retries a failed resource. */
  retryResource(id: string): Promise<Resource>;
  /** Approves a request awaiting approval. */
  approveResource(id: string, request?: { reason?: string }): Promise<Resource>;
  /** Rejects a request awaiting approval; a reason is required. */
  rejectResource(id: string, request: { reason: string }): Promise<Resource>;
  /** Secret connection details; members of the owning group only (403 otherwise). */
  getCredentials(id: string): Promise<ResourceCredentials>;
}

/**
 * API reference of {@link ProvisioningApi}.
 * @public
 */
export const provisioningApiRef = createApiRef<ProvisioningApi>({
  id: 'plugin.provisioning.api',
});
