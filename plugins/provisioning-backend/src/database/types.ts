import type {
  Resource,
  ResourceEvent,
  ResourceState,
} from '@paved/backstage-plugin-provisioning-common';

/** What the reconciler is to do next for a resource. @internal */
export type PendingOperation = 'create' | 'update' | 'delete' | 'repair';

/**
 * A resource as stored, with the reconciler's bookkeeping.
 * @internal
 */
export interface StoredResource extends Resource {
  pendingOperation?: PendingOperation;
  /** Encrypted secrets (opaque string), if any. */
  encryptedSecrets?: string;
  /** Epoch ms when the reconciler should act next; undefined = nothing to do. */
  nextAttemptAt?: number;
  attempts: number;
  claimedBy?: string;
  claimExpiresAt?: number;
}

/** Filter of {@link ResourceStore.listResources}. @internal */
export interface ResourceFilter {
  owners?: string[];
  type?: string;
  states?: ResourceState[];
  entityRef?: string;
  includeDeleted?: boolean;
}

/** Fields a store update may change. @internal */
export type ResourcePatch = Partial<
  Pick<
    StoredResource,
    | 'parameters'
    | 'state'
    | 'drifted'
    | 'conditions'
    | 'outputs'
    | 'monthlyCostUsd'
    | 'attempts'
  >
> & {
  pendingParameters?: Record<string, unknown> | null;
  pendingOperation?: PendingOperation | null;
  reason?: string | null;
  encryptedSecrets?: string | null;
  nextAttemptAt?: number | null;
  /** Release the claim as part of the update. */
  releaseClaim?: boolean;
};

/** Preconditions of an update; it changes nothing when they do not hold. @internal */
export interface UpdateGuard {
  state?: ResourceState | ResourceState[];
  claimedBy?: string;
  drifted?: boolean;
}

/** An event to record with an update. @internal */
export type NewEvent = Omit<ResourceEvent, 'id' | 'resourceId' | 'at'>;

/**
 * Persistence of resources and events.
 * @internal
 */
export interface ResourceStore {
  /**
   * Inserts a resource and its first event; throws ConflictError when the name is taken
   * for the type, or when `quota` live resources of the type already exist for the owner.
   */
  createResource(
    resource: StoredResource,
    event: NewEvent,
    options?: { quota?: number },
  ): Promise<void>;
  getResource(id: string): Promise<StoredResource | undefined>;
  listResources(options: {
    filter: ResourceFilter;
    cursor?: string;
    limit: number;
  }): Promise<{
    items: StoredResource[];
    nextCursor?: string;
    totals: { owner: string; monthlyCostUsd: number; count: number }[];
  }>;
  /** Applies the patch if the guard holds; records the event in the same transaction. */
  updateResource(
    id: string,
    patch: ResourcePatch,
    options?: { guard?: UpdateGuard; event?: NewEvent },
  ): Promise<boolean>;
  addEvent(resourceId: string, event: NewEvent): Promise<void>;
  listEvents(resourceId: string): Promise<ResourceEvent[]>;
  /** Atomically claims a resource whose work is due; false if someone else holds it or nothing is due. */
  claimDue(id: string, worker: string, leaseMs: number): Promise<boolean>;
  /** Atomically claims a ready resource for a drift check not done within `intervalMs`. */
  claimForDriftCheck(
    id: string,
    worker: string,
    leaseMs: number,
    intervalMs: number,
  ): Promise<boolean>;
  renewClaim(id: string, worker: string, leaseMs: number): Promise<boolean>;
  releaseClaim(id: string, worker: string): Promise<void>;
  /** Ids of resources with due work and no valid claim, oldest due first. */
  findDue(limit: number): Promise<string[]>;
  /** Ids of ready resources whose drift check is due. */
  findDriftCheckDue(intervalMs: number, limit: number): Promise<string[]>;
}
