import { createApiRef } from '@backstage/core-plugin-api';
import {
  CostEstimate,
  DependentsResponse,
  ListResourcesQuery,
  Resource,
  ResourceCredentials,
  ResourceEvent,
  ResourceType,
  Rollout,
  RolloutStatus,
} from '@paved/backstage-plugin-provisioning-common';

export type { ListResourcesQuery };

/**
 * Monthly cost of the resources of one owner, as returned with a page of resources.
 * @public
 */
export interface ResourceOwnerTotal {
  /** Owning group entity ref. */
  owner: string;
  /** Sum of the owner's billable resources, in USD/month. */
  monthlyCostUsd: number;
  /** Number of the owner's billable resources. */
  count: number;
}

/**
 * One page of {@link ProvisioningApi.listResources}.
 * @public
 */
export interface ListResourcesResponse {
  /** The resources of this page, newest first. */
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
  /** DNS label, within the type's `naming` rules. */
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
  /** Time to live (ISO 8601 duration or e.g. `2h`), for types that allow one. */
  ttl?: string;
  /** Why advanced values outside the golden path are needed (required with such values). */
  justification?: string;
}

/**
 * The provisioning backend's REST API (`/api/provisioning/v1`) as the frontend uses it. The default implementation,
 * {@link ProvisioningClient}, is the typed `ProvisioningApiClient` of `@paved/backstage-plugin-provisioning-common`.
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
  /** Monthly cost (USD/month) and approval outcome; 400 when `name` breaks a naming rule. */
  estimate(request: {
    type: string;
    name?: string;
    parameters: Record<string, unknown>;
    justification?: string;
  }): Promise<CostEstimate>;
  /** One page of resources and the totals per owner. */
  listResources(query?: ListResourcesQuery): Promise<ListResourcesResponse>;
  /** One resource by id. */
  getResource(id: string): Promise<Resource>;
  /** Requests a new resource; it starts in `requested` or `awaiting-approval`. */
  createResource(request: CreateResourceRequest): Promise<Resource>;
  /** Changes a resource's parameters; it moves to `updating`, or keeps serving with a pending change to approve. */
  updateResource(
    id: string,
    request: { parameters: Record<string, unknown>; justification?: string },
  ): Promise<Resource>;
  /** Sets the time to live to `ttl` from now (owner), at most the type's maximum. */
  extendResource(id: string, request: { ttl: string }): Promise<Resource>;
  /** Deletes a resource (any state but `deleted`); `force` (approvers) removes the record without the driver. */
  deleteResource(id: string, options?: { force?: boolean }): Promise<Resource>;
  /** The lifecycle events of a resource, oldest first. */
  listEvents(id: string): Promise<{ items: ResourceEvent[] }>;
  /** Catalog entities whose `dependsOn` names the resource. */
  listDependents(id: string): Promise<DependentsResponse>;
  /** Retries a failed resource. */
  retryResource(id: string): Promise<Resource>;
  /** What waits for approval (approvers only). */
  listApprovals(): Promise<{ items: Resource[] }>;
  /** Approves a create or a pending change. */
  approveResource(id: string, request?: { reason?: string }): Promise<Resource>;
  /** Rejects a create or a pending change; a reason is required. */
  rejectResource(id: string, request: { reason: string }): Promise<Resource>;
  /** The owner withdraws a pending change or a create awaiting approval. */
  withdrawResource(id: string): Promise<Resource>;
  /** Secret connection details; members of the owning group only (403 otherwise). */
  getCredentials(id: string): Promise<ResourceCredentials>;
  /**
   * Asks the backend to publish `{ echo: nonce }` to this user on the signal channel `provisioning:resource`;
   * receiving it proves the page's signal subscription is live, so it can stop polling. Optional: without it
   * (an older or custom implementation) the pages poll as they do without signals.
   */
  echoSignal?(nonce: string): Promise<unknown>;
  /** Rollouts of type versions, newest first (without their items). */
  listRollouts(query?: { type?: string; status?: RolloutStatus }): Promise<{ items: Rollout[] }>;
  /** One rollout with its waves and their resources. */
  getRollout(id: string): Promise<Rollout>;
  /** Starts a rollout of a type version (platform team; 409 when nothing is behind or one is in progress). */
  createRollout(request: CreateRolloutRequest): Promise<Rollout>;
  /** Pauses, resumes or aborts a rollout (platform team; 409 in the wrong status). */
  steerRollout(id: string, action: 'pause' | 'resume' | 'abort'): Promise<Rollout>;
}

/**
 * Body of {@link ProvisioningApi.createRollout}.
 * @public
 */
export interface CreateRolloutRequest {
  /** Resource type id. */
  type: string;
  /** Version to roll out; default the type's current version. */
  targetVersion?: string;
  /** `percent` (default): waves by share; `owner`: one wave per owning group. */
  strategy?: 'percent' | 'owner';
  /** Sizes in percent of every wave but the last (which takes the rest); default [5, 25]. */
  waves?: number[];
  /** Only these owners' resources. */
  owners?: string[];
  /** How long each wave must stay healthy before the next, in seconds. */
  soakSeconds?: number;
}

/**
 * API reference of {@link ProvisioningApi}.
 * @public
 */
export const provisioningApiRef = createApiRef<ProvisioningApi>({
  id: 'plugin.provisioning.api',
});
