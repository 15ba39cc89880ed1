import type {
  Deviation,
  PendingChange,
  Resource,
  ResourceEvent,
  ResourceState,
} from '@paved/backstage-plugin-provisioning-common';
import type { PendingOperation } from '../lifecycle';

export type { PendingOperation };

/**
 * A resource as stored, with the reconciler's bookkeeping.
 * @internal
 */
export interface StoredResource extends Resource {
  /** Always known in the store. */
  billable: boolean;
  pendingOperation?: PendingOperation;
  /** Encrypted secrets (opaque string), if any. */
  encryptedSecrets?: string;
  /** Epoch ms when the reconciler should act next; undefined = nothing to do. */
  nextAttemptAt?: number;
  attempts: number;
  claimedBy?: string;
  claimExpiresAt?: number;
  /** Epoch ms when the current operation started (bounds drivers answering `pending`). */
  workingSince?: number;
  /** The time to live in ms (the public `ttl` is its ISO 8601 form); undefined = does not expire. */
  ttlMs?: number;
  /** How many of the configured reminders were sent (or skipped) for the current `expiresAt`. */
  ttlRemindersSent?: number;
}

/** Filter of {@link ResourceStore.listResources}. @internal */
export interface ResourceFilter {
  owners?: string[];
  type?: string;
  states?: ResourceState[];
  entityRef?: string;
  /** Exact resource name. */
  name?: string;
  includeDeleted?: boolean;
  /** Only resources with a pending change (updates awaiting approval). */
  withPendingChange?: boolean;
  /** true: only resources with deviations from the golden path; false: only those without. */
  withDeviations?: boolean;
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
    | 'billable'
  >
> & {
  pendingChange?: PendingChange | null;
  workingSince?: number | null;
  pendingOperation?: PendingOperation | null;
  reason?: string | null;
  encryptedSecrets?: string | null;
  nextAttemptAt?: number | null;
  /** Release the claim as part of the update. */
  releaseClaim?: boolean;
  ttlMs?: number | null;
  /** Epoch ms of expiry; null = never. */
  expiresAtMs?: number | null;
  ttlRemindersSent?: number;
  /** The type version last applied; null clears it. */
  appliedVersion?: string | null;
  /** The type version the pending operation applies; null = none. */
  targetVersion?: string | null;
  /** Deviations from the golden path; null or [] = none. */
  deviations?: Deviation[] | null;
};

/** Preconditions of an update; it changes nothing when they do not hold. @internal */
export interface UpdateGuard {
  state?: ResourceState | ResourceState[];
  claimedBy?: string;
  drifted?: boolean;
  /** Only when the resource expires at or before this epoch ms (the TTL sweep against a concurrent extend). */
  expiresAtOrBefore?: number;
  /** Only when the applied version is not this one (a rollout never applies a version twice). */
  appliedVersionNot?: string;
  /** Only when no version is being applied (`target_version` null). */
  noTargetVersion?: boolean;
}

/**
 * What announcing a lifecycle event needs beyond the event row (resource id, actor, message): stored with the
 * event in the same transaction (the outbox), so that the announcement sweep can make it when the replica that
 * wrote it died before announcing.
 * @internal
 */
export interface EventAnnouncement {
  /** Auditor event id, e.g. `resource-approve`. */
  auditEventId: string;
  /** The resource's name, type and owner when the event was recorded. */
  name: string;
  type: string;
  owner: string;
  fromState?: ResourceState;
  toState?: ResourceState;
  /** Send the owner group a Backstage notification. */
  notifyOwner?: boolean;
  /** Send the approvers group a Backstage notification. */
  notifyApprovers?: boolean;
}

/** An event to record with an update. @internal */
export type NewEvent = Omit<ResourceEvent, 'id' | 'resourceId' | 'at'> & {
  /** The event's id; default a random UUID. */
  id?: string;
  /** What to announce for it (outbox); the event is then announced by the caller or, failing that, by the sweep. */
  announcement?: EventAnnouncement;
};

/** A recorded event whose announcement was not made yet, claimed by the announcement sweep. @internal */
export interface UnannouncedEvent {
  /** The event's id. */
  id: string;
  resourceId: string;
  /** Epoch ms when the event was recorded. */
  at: number;
  actor: string;
  message: string;
  announcement: EventAnnouncement;
}

/** A recorded `Idempotency-Key` of `POST /resources`. @internal */
export interface IdempotencyRecord {
  /** sha256 (hex) of the request body. */
  requestHash: string;
  resourceId: string;
}

/**
 * Persistence of resources and events (CRUD).
 * @internal
 */
export interface ResourceRecords {
  /**
   * Inserts a resource and its first event; throws ConflictError when the name is taken
   * for the type, or when `quota` live resources of the type already exist for the owner.
   * With `idempotency`, records the key in the same transaction; when the key is already recorded
   * (a concurrent request) nothing is inserted and the recorded resource id is returned.
   */
  createResource(
    resource: StoredResource,
    event: NewEvent,
    options?: {
      quota?: number;
      idempotency?: { principal: string; key: string; requestHash: string };
    },
  ): Promise<{ id: string; existing: boolean }>;
  getResource(id: string): Promise<StoredResource | undefined>;
  /** The resources with these ids that exist (any order). */
  getResources(ids: string[]): Promise<StoredResource[]>;
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
  /** Applies several guarded updates (each with its event) in one transaction; whether each guard held. */
  updateResources(
    updates: Array<{ id: string; patch: ResourcePatch; guard?: UpdateGuard; event?: NewEvent }>,
  ): Promise<boolean[]>;
  addEvent(resourceId: string, event: NewEvent): Promise<void>;
  listEvents(resourceId: string): Promise<ResourceEvent[]>;
  /** Live resources (not deleted) per type and applied version (resources never applied yet are left out). */
  countAppliedVersions(): Promise<Array<{ type: string; version: string; count: number }>>;
  /** The resource recorded for an idempotency key of a principal, if any. */
  getIdempotencyKey(principal: string, key: string): Promise<IdempotencyRecord | undefined>;
}

/**
 * Work claims with leases, shared by all replicas' reconcilers.
 * @internal
 */
export interface WorkClaimStore {
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

/** A reminder claimed by the TTL sweep: the resource and its expiry. @internal */
export interface ClaimedReminder {
  id: string;
  name: string;
  type: string;
  owner: string;
  /** Epoch ms. */
  expiresAt: number;
}

/**
 * The TTL sweep's queries. Every claim is one atomic conditional UPDATE, so that replicas running the sweep
 * at the same time send each reminder once.
 * @internal
 */
export interface TtlStore {
  /**
   * Live resources (not deleting or deleted) whose expiry is at or before `now` (epoch ms), soonest first, as read
   * now (their deletion is guarded by state and expiry).
   */
  findExpired(now: number, limit: number): Promise<StoredResource[]>;
  /**
   * Claims the reminder number `level` (1-based, longest first) of live resources expiring after `now` and
   * within `windowMs`, that have not had it: sets `ttl_reminders_sent = level` and records a `ttl-reminder`
   * event in the same transaction; returns what was claimed (nothing twice, across replicas).
   */
  claimReminders(options: {
    now: number;
    level: number;
    windowMs: number;
    limit: number;
    message: (r: ClaimedReminder) => string;
  }): Promise<ClaimedReminder[]>;
}

/**
 * The outbox of announcements: events recorded with an {@link EventAnnouncement} stay pending until marked
 * announced.
 * @internal
 */
export interface AnnouncementOutbox {
  /** Marks these events announced at `at` (epoch ms), in one UPDATE; unknown ids are ignored. */
  markAnnounced(eventIds: string[], at: number): Promise<void>;
  /**
   * Atomically claims up to `limit` events, oldest first, that have an announcement, are not announced, were
   * recorded at or before `recordedBefore` (epoch ms) and are not claimed by someone else (or their claim lapsed
   * before `now`); the claim lasts `leaseMs` ms. Across replicas, a pending event is claimed by one sweep at a time,
   * and again only when that sweep died without marking it announced (its claim lapsed).
   */
  claimUnannounced(options: {
    now: number;
    recordedBefore: number;
    leaseMs: number;
    limit: number;
  }): Promise<UnannouncedEvent[]>;
}

/** Persistence of the provisioning backend: records and work claims. @internal */
export type ResourceStore = ResourceRecords & WorkClaimStore & TtlStore & AnnouncementOutbox;
