import type { components, operations } from './generated/openapi';

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
export type ResourceState = components['schemas']['ResourceState'];

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
export type ResourceTypePolicy =
  components['schemas']['ResourceType']['policy'];

/**
 * The rules a resource name must follow for a type: the generic DNS-label rule merged with its driver's rules.
 * @public
 */
export type ResourceNaming = components['schemas']['ResourceNaming'];

/**
 * The time to live a resource type allows or requires (ephemeral resources such as preview databases).
 * On expiry the resource is deleted through the normal lifecycle; owners are reminded before.
 * @public
 */
export type ResourceTypeTtl = NonNullable<
  components['schemas']['ResourceType']['ttl']
>;

/**
 * An offering of the platform: what developers can request.
 * @public
 */
export type ResourceType = components['schemas']['ResourceType'];

/**
 * A resource type as declared (in config or by a type provider), before the backend adds its naming rules.
 * Not a wire type: it is what the backend and its drivers work with.
 * @public
 */
export type ResourceTypeDefinition = Omit<ResourceType, 'naming'> & {
  /**
   * Driver-specific settings of this type, read only by the driver named in `driver` (e.g. for `kubernetes`:
   * cluster, namespace, apiVersion, kind and a manifest template). Never contains secrets. Optional.
   */
  driverConfig?: Record<string, unknown>;
  /** The naming rules, when already merged (the backend adds them otherwise). */
  naming?: ResourceNaming;
};

/**
 * A condition as reported by a driver or the reconciler (Kubernetes-style).
 * @public
 */
export type ResourceCondition = components['schemas']['ResourceCondition'];

/**
 * One provisioned instance of a resource type.
 * @public
 */
export type Resource = components['schemas']['Resource'];

/**
 * An update waiting for approval.
 * @public
 */
export type PendingChange = components['schemas']['PendingChange'];

/**
 * A lifecycle event of a resource: every state transition and every day-2 action.
 * Never contains secrets.
 * @public
 */
export type ResourceEvent = components['schemas']['ResourceEvent'];

/**
 * Secret connection details, only returned by `GET /resources/{id}/credentials` to members of the owning group.
 * @public
 */
export type ResourceCredentials = components['schemas']['ResourceCredentials'];

/** Result of `POST /estimates`. @public */
export type CostEstimate = components['schemas']['CostEstimate'];

/**
 * A version of a resource type: the settings its driver applies at that version (e.g. PostgreSQL connection
 * limits per size and `statement_timeout`, Redis ACL rules, Kubernetes spec defaults).
 * @public
 */
export type TypeVersion = components['schemas']['TypeVersion'];

/** Status of a rollout of a type version. @public */
export type RolloutStatus = components['schemas']['RolloutStatus'];

/** One resource in a rollout wave. @public */
export type RolloutItem = components['schemas']['RolloutItem'];

/** One wave of a rollout, with its progress. @public */
export type RolloutWave = components['schemas']['RolloutWave'];

/**
 * A rollout: a type version applied to existing resources in waves, with a health gate between waves.
 * @public
 */
export type Rollout = components['schemas']['Rollout'];

/**
 * An escape hatch of a resource type: a parameter off the golden path. A value outside `goldenPath` (or, without
 * it, different from the golden-path default) needs a written justification and approval by the platform team.
 * @public
 */
export type AdvancedParameter = components['schemas']['AdvancedParameter'];

/**
 * An advanced parameter value of a resource outside the golden path, with its justification and approver.
 * @public
 */
export type Deviation = components['schemas']['Deviation'];

/** Shortest accepted justification of a deviation, in characters. @public */
export const MIN_JUSTIFICATION_LENGTH = 20;
/**
 * A rightsizing recommendation (`GET /recommendations`): a resource idle or oversized over the measured window,
 * the proposed size and the monthly saving (USD/month, from the type's pricing). Never applied on its own.
 * @public
 */
export type Recommendation = components['schemas']['Recommendation'];

/** A filter of the inventory (`GET /inventory?filter=`). @public */
export type InventoryFilter = components['schemas']['InventoryFilter'];

/** One resource of the inventory, with the filters it matches and why it is orphaned. @public */
export type InventoryItem = components['schemas']['InventoryItem'];

/** Cost of one month: `month` as `YYYY-MM` (UTC), `usd` in USD rounded to cents. @public */
export type MonthlyCost = components['schemas']['MonthlyCost'];

/**
 * Costs of one group key over months (`GET /costs`): `key` is the entity ref of the owner, component, system or
 * domain, the resource id, or `none`; one `monthlyCostUsd` entry per month of the range, oldest first; `totalUsd` the
 * sum over the range, USD.
 * @public
 */
export type CostItem = components['schemas']['CostItem'];

/** Response of `GET /v1/inventory`: one page of the fleet inventory (see the OpenAPI spec). @public */
export type InventoryResponse =
  operations['GetInventory']['responses'][200]['content']['application/json'];

/** Response of `GET /v1/recommendations`: rightsizing recommendations, largest saving first. @public */
export type RecommendationsResponse =
  operations['ListRecommendations']['responses'][200]['content']['application/json'];
