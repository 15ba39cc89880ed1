import type { components, operations } from '../generated/openapi';

/**
 * Query of {@link ProvisioningApiClient.listResources}, in friendly types (numbers and booleans rather than the
 * strings of the query string).
 * @public
 */
export interface ListResourcesQuery {
  /** Owning group entity refs; a resource matches when its owner is any of them. */
  owner?: string[];
  /** Exact resource name. */
  name?: string;
  /** Resource type id. */
  type?: string;
  /** Lifecycle state(s). */
  state?:
    | components['schemas']['ResourceState']
    | components['schemas']['ResourceState'][];
  /** Entity ref of the entity the resources belong to (component or system). */
  entityRef?: string;
  /** Include resources in the `deleted` state. Default false. */
  includeDeleted?: boolean;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string;
  /** Page size (number of items). */
  limit?: number;
  /** true: only resources with deviations from the golden path (escape hatches); false: only those without. */
  deviations?: boolean;
}

/**
 * A catalog entity whose `dependsOn` names a resource's catalog entity (`GET /resources/{id}/dependents`).
 * @public
 */
export type ResourceDependent = components['schemas']['Dependent'];

/** Response of `GET /resources/{id}/dependents` (generated from the OpenAPI spec). @public */
export type DependentsResponse =
  operations['ListResourceDependents']['responses']['200']['content']['application/json'];

/**
 * Response of `GET /approvals`: creates awaiting approval and resources with a pending change (generated from the
 * OpenAPI spec).
 * @public
 */
export type ApprovalsResponse =
  operations['ListApprovals']['responses']['200']['content']['application/json'];
