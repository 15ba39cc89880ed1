import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  ResourceCondition,
  ResourceTypeDefinition,
} from '@paved/backstage-plugin-provisioning-common';

/**
 * What a driver is asked to act on: the declared state of one resource.
 * @public
 */
export interface DriverResource {
  /** The resource's UUID; drivers label or comment infrastructure with it where they can. */
  id: string;
  /** A DNS label, already validated (`^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$`). */
  name: string;
  /** The resource type, as configured (with its `driverConfig`). */
  type: ResourceTypeDefinition;
  /** Entity ref of the owning group. */
  owner: string;
  /** Declared parameters, validated against `type.parameters` with defaults applied. */
  parameters: Record<string, unknown>;
  /**
   * The type version being applied (`apply`) or last applied (`observe`, `delete`), e.g. `1.1.0`; absent from
   * backends that predate type versions.
   */
  typeVersion?: string;
  /**
   * The settings of that type version, from `provisioning.types[].versions[].settings` (e.g. for postgres
   * `connectionLimits`, `statementTimeout`; for redis `aclRules`). `apply` must make the infrastructure match
   * them, `observe` may report a difference as drift. Absent or `{}`: the driver's own behaviour.
   */
  settings?: Record<string, unknown>;
}

/**
 * Context handed to each driver call.
 * @public
 */
export interface DriverContext {
  logger: LoggerService;
  /** Aborted when the operation's timeout passes; long calls should honour it. */
  signal: AbortSignal;
  /**
   * Secrets the driver stored for this resource earlier (decrypted), e.g. `{ password }`;
   * empty on first creation. Never log them.
   */
  secrets: Record<string, string>;
}

/**
 * What a driver reports after create/update, and what `observe` returns.
 * @public
 */
export interface DriverResult {
  /** Non-secret connection information to show to users (host, port, database, username, …). */
  outputs: Record<string, string>;
  /**
   * Secret values to store encrypted (e.g. `{ password, url }`); returned only to owners.
   * Omit to keep what is stored.
   */
  secrets?: Record<string, string>;
  /** Conditions to show, e.g. from a control plane. */
  conditions?: ResourceCondition[];
}

/**
 * Utilisation measured by a driver when it observes a resource: one sample, at the moment of the observation.
 * The provisioning backend keeps the daily peak of each figure per resource and size, and proposes a smaller
 * size (rightsizing) when a resource stays idle or oversized. Every field is optional: report what the
 * infrastructure tells, and omit the whole object when it tells nothing.
 * @public
 */
export interface ResourceUtilisation {
  /** Client connections open now (e.g. PostgreSQL `pg_stat_activity` rows of the database), and the size's limit. */
  connections?: { used: number; limit: number };
  /** Storage used now, in bytes (e.g. PostgreSQL `pg_database_size`). */
  storageBytes?: number;
  /**
   * Memory used now by the resource's data, in bytes, and the size's memory limit in bytes (e.g. Redis
   * `MEMORY USAGE` summed over the keys of the resource's prefix, against the size's maxmemory).
   * `partial` is true when the driver stopped counting at its bound (the figure is then a lower bound).
   */
  memory?: { usedBytes: number; limitBytes: number; partial?: boolean };
  /** Keys (or objects) held now (e.g. Redis keys under the resource's prefix). */
  keys?: number;
  /**
   * The capacity of every size of the resource's type, in the same units (connections, bytes), so that a smaller
   * size can be proposed, e.g. `{ small: { connections: 10 }, medium: { connections: 25 } }`.
   */
  capacityBySize?: Record<string, { connections?: number; memoryBytes?: number }>;
}

/**
 * What the infrastructure looks like, according to the driver.
 * @public
 */
export type ObservedState =
  | {
      /** The resource exists and matches its declared parameters. */
      status: 'ready';
      outputs: Record<string, string>;
      /**
       * Secret values that became available only after creation (e.g. a control plane's connection Secret),
       * to store encrypted like `DriverResult.secrets`. Omit to keep what is stored.
       */
      secrets?: Record<string, string>;
      conditions?: ResourceCondition[];
      /** Utilisation measured while observing; see {@link ResourceUtilisation}. Optional. */
      utilisation?: ResourceUtilisation;
    }
  | {
      /** Still being created or changed by the infrastructure (e.g. a control plane reconciling). */
      status: 'pending';
      reason: string;
      conditions?: ResourceCondition[];
    }
  | {
      /** Exists but differs from what was declared. */
      status: 'drifted';
      /** Readable reason, e.g. `connection limit is 50, declared 20`. */
      reason: string;
      outputs?: Record<string, string>;
      conditions?: ResourceCondition[];
      /**
       * The parameters that describe what exists, when the driver can tell (e.g. the size whose connection limit
       * the database now has). Accepting the drift adopts them as the declared parameters; without them a drift
       * can only be repaired. Optional.
       */
      observedParameters?: Record<string, unknown>;
      /** Utilisation measured while observing; see {@link ResourceUtilisation}. Optional. */
      utilisation?: ResourceUtilisation;
    }
  | {
      /** Does not exist. */
      status: 'missing';
      reason: string;
    }
  | {
      /** The infrastructure reports a failure. */
      status: 'failed';
      reason: string;
      conditions?: ResourceCondition[];
    };

/**
 * The naming rules a driver adds to the generic resource name rule (a DNS label of at most 40 characters:
 * lowercase letters, digits and `-`, starting with a letter and not ending with `-`). The provisioning backend
 * checks them when a resource is requested or estimated, and shows them on `GET /types` as `naming`, so that
 * a name the driver would refuse is never accepted.
 * @public
 */
export interface DriverNamingRules {
  /** Who imposes the rules, used in messages, e.g. `PostgreSQL` ("reserved by the PostgreSQL driver"). */
  label: string;
  /** Longest name the infrastructure accepts, in characters; the smaller of this and 40 applies. */
  maxLength?: number;
  /** Names the infrastructure reserves, e.g. `postgres`, `template0`. Compared exactly (names are lowercase). */
  reserved?: string[];
  /** Prefixes the infrastructure reserves, e.g. `pg-` (a PostgreSQL `pg_` name). */
  reservedPrefixes?: string[];
  /** Further pattern the name must match: a JavaScript regular expression source, anchored with `^` and `$`. */
  pattern?: string;
  /** The further pattern in words, e.g. `no two consecutive '-'`; shown with the generic rule. */
  patternDescription?: string;
}

/**
 * What `apply` answers when the infrastructure is still converging (e.g. a control plane reconciling): the
 * reconciler keeps the resource in its working state and calls `apply` again after `retryAfterMs`, without
 * counting a failed attempt. The operation's overall timeout still applies.
 * @public
 */
export interface DriverPending {
  status: 'pending';
  /** When to call `apply` again, in ms. */
  retryAfterMs: number;
  /** Readable progress, e.g. `waiting for Ready=True (Creating)`. */
  reason: string;
  conditions?: ResourceCondition[];
}

/**
 * A driver: the code that talks to one infrastructure API to create, observe, update and delete one kind of resource.
 *
 * Every method must be idempotent: the reconciler may call it again after a crash, a timeout or on another replica.
 * `apply` creates what is missing and converges what exists to the declared state (there is no separate
 * create or update); `delete` of something already gone, or never created (e.g. a name the infrastructure
 * refuses), succeeds.
 * Throw an `Error` with a readable message (never containing secrets) to fail the operation; the reconciler retries
 * with exponential backoff. Throw `InputError` from `@backstage/errors` for failures that retrying cannot fix.
 *
 * @public
 */
export interface ProvisioningDriver {
  /** Unique driver id referenced by resource types' `driver`, e.g. `postgres`. */
  readonly id: string;
  /** Optional check of a resource type's config at startup; throw to refuse the type. */
  validateType?(type: ResourceTypeDefinition): void | Promise<void>;
  /** Naming rules of this driver's infrastructure, checked at request time; see {@link DriverNamingRules}. */
  readonly naming?: DriverNamingRules;
  /**
   * Makes the infrastructure match `desired` (creating it when missing). Answers the result once it is there,
   * or `{ status: 'pending', retryAfterMs }` when the infrastructure is still converging: never wait in a loop.
   */
  apply(
    desired: DriverResource,
    ctx: DriverContext,
  ): Promise<DriverResult | DriverPending>;
  observe(resource: DriverResource, ctx: DriverContext): Promise<ObservedState>;
  /** Removes the infrastructure; succeeds when it is already gone or was never created. */
  delete(resource: DriverResource, ctx: DriverContext): Promise<void>;
}

/**
 * A source of resource types discovered at run time (e.g. from a Kubernetes cluster's CRDs).
 * @public
 */
export interface ResourceTypeProvider {
  readonly id: string;
  /** The types currently offered; called on a schedule by the provisioning backend. */
  getResourceTypes(): Promise<ResourceTypeDefinition[]>;
}
