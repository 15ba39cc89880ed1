/**
 * The lifecycle states of a provisioned resource.
 *
 * - `awaiting-approval`: the request needs approval by the platform team before anything is created.
 * - `requested`: accepted, waiting for the reconciler to claim it.
 * - `provisioning`: the driver is creating it.
 * - `ready`: exists and matches its declared parameters.
 * - `updating`: the driver is applying changed parameters.
 * - `deleting`: the driver is removing it.
 * - `deleted`: gone from the infrastructure (terminal).
 * - `failed`: the last operation failed after its retries; `POST /resources/{id}/retry` tries again.
 *
 * @public
 */
export type ResourceState =
  | 'awaiting-approval'
  | 'requested'
  | 'provisioning'
  | 'ready'
  | 'updating'
  | 'deleting'
  | 'deleted'
  | 'failed';

/** Every {@link ResourceState}, in lifecycle order. @public */
export const RESOURCE_STATES: readonly ResourceState[] = [
  'awaiting-approval',
  'requested',
  'provisioning',
  'ready',
  'updating',
  'deleting',
  'deleted',
  'failed',
] as const;

/** A JSON Schema (draft 7 / 2019-09 subset as accepted by Ajv) describing a resource type's parameters. @public */
export type JsonSchema = { [key: string]: unknown };

/**
 * The policy a platform team sets on a resource type.
 * @public
 */
export type ResourceTypePolicy = {
  /** Values of the `size` parameter whose requests (and updates to them) need approval. Default `[]`. */
  approvalRequiredForSizes: string[];
  /** Most live (non-deleted) resources of this type one owner may have; `undefined` means no quota. */
  quotaPerOwner?: number;
};

/**
 * The rules a resource name must follow for a type: the generic DNS-label rule merged with its driver's rules.
 * @public
 */
export type ResourceNaming = {
  /** JavaScript regular expression source, anchored (`^…$`), that a valid name matches. */
  pattern: string;
  /** Longest valid name, in characters. */
  maxLength: number;
  /** Names that are refused although they match `pattern`. */
  reserved: string[];
  /** The rules in one sentence, e.g. `lowercase letters, digits and '-', …; not postgres or public`. */
  description: string;
};

/**
 * The time to live a resource type allows or requires (ephemeral resources such as preview databases).
 * On expiry the resource is deleted through the normal lifecycle; owners are reminded before.
 * @public
 */
export type ResourceTypeTtl = {
  /** Time to live given to a request that names none, in milliseconds; absent: none unless requested. */
  defaultMs?: number;
  /** Longest time to live of a request or an extension (counted from then), in milliseconds. */
  maxMs: number;
  /** When true, every resource of the type has a time to live (a request without one and without a default is a 400). */
  required: boolean;
};

/**
 * An offering of the platform: what developers can request.
 * @public
 */
export type ResourceType = {
  /** Stable id, a DNS label, e.g. `postgresql`. */
  id: string;
  title: string;
  description: string;
  /** The driver id that fulfils it, e.g. `postgres`, `redis`, `kubernetes`. */
  driver: string;
  /** JSON Schema of the parameters (an object schema). Must declare a `size` enum when `pricing` is set. */
  parameters: JsonSchema;
  /** Monthly price per value of the `size` parameter, in USD/month. */
  pricing: Record<string, number>;
  policy: ResourceTypePolicy;
  /** When true, the reconciler repairs drift by calling the driver again; otherwise it only reports it. */
  repairDrift: boolean;
  /** Entity `spec.type` of the catalog Resource made for instances of this type, e.g. `database`. */
  entityType: string;
  /**
   * Driver-specific settings of this type, read only by the driver named in `driver` (e.g. for `kubernetes`:
   * cluster, namespace, apiVersion, kind and a manifest template). Never contains secrets. Optional.
   */
  driverConfig?: Record<string, unknown>;
  /**
   * The naming rules of this type's resources (generic rule merged with the driver's). Always set by
   * `GET /types`; optional here so that hand-made fixtures need not repeat it.
   */
  naming?: ResourceNaming;
  /** The time to live the type allows or requires; absent: resources of the type do not expire. */
  ttl?: ResourceTypeTtl;
};

/**
 * A resource type as declared (in config or by a type provider), before the backend adds its naming rules.
 * @public
 */
export type ResourceTypeDefinition = Omit<ResourceType, 'naming'>;

/**
 * A condition as reported by a driver or the reconciler (Kubernetes-style).
 * @public
 */
export type ResourceCondition = {
  /** e.g. `Ready`, `Synced`, `Drifted`. */
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  /** ISO 8601 timestamp. */
  lastTransitionTime: string;
};

/**
 * One provisioned instance of a resource type.
 * @public
 */
export type Resource = {
  /** UUID. */
  id: string;
  /** DNS label (`^[a-z]([-a-z0-9]*[a-z0-9])?$`, at most 40 characters), unique per type among live resources. */
  name: string;
  /** Resource type id. */
  type: string;
  /** Entity ref of the owning group, e.g. `group:default/orders-team`. */
  owner: string;
  /** Entity ref of the entity the resource belongs to (usually a component), if any. */
  entityRef?: string;
  /** Entity ref of the system, if any. */
  system?: string;
  /** Declared parameters, validated against the type's JSON Schema (defaults applied). */
  parameters: Record<string, unknown>;
  /**
   * An update that awaits approval while the resource keeps serving (state stays `ready`); applied when
   * approved, dropped when rejected or withdrawn, replaced by a newer update.
   */
  pendingChange?: PendingChange;
  state: ResourceState;
  /** True when the last drift check found the infrastructure different from the declared state. */
  drifted: boolean;
  /** Human-readable reason for the current state, failure or drift. */
  reason?: string;
  conditions: ResourceCondition[];
  /** Non-secret connection information, e.g. `{ host, port, database, username }`. */
  outputs: Record<string, string>;
  /** Monthly cost in USD/month, from the type's pricing for the current size; 0 when not `billable`. */
  monthlyCostUsd: number;
  /**
   * True only while the infrastructure exists: from the first time it is `ready` until it is `deleted`.
   * Always set by the API; optional here so that hand-made fixtures need not repeat it.
   */
  billable?: boolean;
  /** User entity ref of who requested it. */
  createdBy: string;
  /** ISO 8601 timestamps. */
  createdAt: string;
  updatedAt: string;
  /**
   * The time to live last requested or extended to, as an ISO 8601 duration (e.g. `PT2H`); absent when the
   * resource does not expire.
   */
  ttl?: string;
  /** ISO 8601 timestamp when the resource expires and is deleted; absent when it does not expire. */
  expiresAt?: string;
};

/**
 * An update waiting for approval.
 * @public
 */
export type PendingChange = {
  /** The complete parameters after the change (validated, defaults applied). */
  parameters: Record<string, unknown>;
  /** USD/month after the change. */
  monthlyCostUsd: number;
  /** User entity ref of who requested it. */
  requestedBy: string;
  /** ISO 8601 timestamp. */
  requestedAt: string;
  /** The parameters that change: current value `from`, requested value `to` (absent when unset). */
  changes: Array<{ key: string; from?: unknown; to?: unknown }>;
};

/**
 * A lifecycle event of a resource: every state transition and every day-2 action.
 * Never contains secrets.
 * @public
 */
export type ResourceEvent = {
  id: string;
  resourceId: string;
  /** ISO 8601 timestamp. */
  at: string;
  /** User or service principal ref that caused it, e.g. `user:default/dana.ortiz` or `plugin:provisioning`. */
  actor: string;
  /** e.g. `created`, `approved`, `rejected`, `transition`, `drift-detected`, `drift-repaired`, `retry`, `update-requested`, `delete-requested`. */
  type: string;
  fromState?: ResourceState;
  toState?: ResourceState;
  message: string;
};

/**
 * Secret connection details, only returned by `GET /resources/{id}/credentials` to members of the owning group.
 * @public
 */
export type ResourceCredentials = {
  /** A connection URL including the secret, e.g. `postgresql://user:pass@host:5432/db`. */
  url?: string;
  /** Further secret values by name, e.g. `{ password }`. */
  values: Record<string, string>;
};

/** Result of `POST /estimates`. @public */
export type CostEstimate = {
  type: string;
  size?: string;
  /** USD/month. */
  monthlyCostUsd: number;
  currency: 'USD';
  /** Whether a request with these parameters would need approval, and by whom. */
  requiresApproval: boolean;
  approvers?: string;
  /** The same as `requiresApproval`, with the reason when required. Always set by the API. */
  approval?: { required: boolean; reason?: string };
};
