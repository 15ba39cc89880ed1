/**
 * The status of an entity, from best to worst: `up`, `unknown`, `degraded`, `down`.
 *
 * - `up`: healthy.
 * - `degraded`: works, but slowly or partly (slow probe, a `degraded` health body, a resource being
 *   provisioned/updated or drifted, an open sev2/sev3 incident, or a degraded/down dependency).
 * - `down`: not working (failed probe, failed/deleting resource, an open sev1 incident).
 * - `unknown`: no health signal yet (no probe result, or no health source at all).
 *
 * @public
 */
export type StatusState = 'up' | 'degraded' | 'down' | 'unknown';

/** Every {@link StatusState}, from best to worst as used by the roll-up. @public */
export const STATUS_STATES: readonly StatusState[] = [
  'up',
  'unknown',
  'degraded',
  'down',
] as const;

/** Where a status reason comes from. @public */
export type StatusReasonSource =
  | 'probe'
  | 'resource'
  | 'incident'
  | 'dependency';

/**
 * One reason why an entity is not `up`, e.g.
 * `degraded: Orders database is degraded (connection limit nearly reached: 97 of 100 connections in use) since 10:42 UTC`.
 * Entities are named by title (or name) in `message`; `entityRef`/`entityTitle` let a UI link it.
 * @public
 */
export interface StatusReason {
  /** The state this reason contributes to the entity (never `up`). */
  state: StatusState;
  /** What produced the reason. */
  source: StatusReasonSource;
  /** The entity the reason is about: the entity itself, or a (transitive) dependency. */
  entityRef: string;
  /** How `message` names `entityRef`: its `metadata.title`, else its name (absent when not in the catalog). */
  entityTitle?: string;
  /**
   * The cause in the entity's own words, without state prefix and time, e.g. the health
   * endpoint's message `connection limit nearly reached: 97 of 100 connections in use`.
   */
  cause?: string;
  /** Human-readable text, prefixed with the contributed state, e.g. `down: open incident 'Checkout errors' (sev1)`. */
  message: string;
  /** ISO 8601 timestamp since when the cause holds, when known. */
  since?: string;
  /** For `incident` reasons: the incident id. */
  incidentId?: string;
  /** For `dependency` reasons: the dependency chain from the entity to `entityRef` (excluding the entity itself). */
  path?: string[];
}

/** The outcome of one probe; `unknown` is never stored. @public */
export type ProbeState = 'up' | 'degraded' | 'down';

/**
 * One health probe (or one health sample taken from a provisioned resource's state).
 * @public
 */
export interface ProbeResult {
  /** Full entity ref (`kind:namespace/name`, lower case). */
  entityRef: string;
  /** ISO 8601 time of the probe. */
  at: string;
  /** State. */
  state: ProbeState;
  /** HTTP status of the final response, when one arrived. */
  httpStatus?: number;
  /** Time to the final response headers and body, in ms. */
  latencyMs?: number;
  /**
   * Why the probe was down or degraded: the health endpoint's own message when it gave one
   * (`connection limit nearly reached: 97 of 100 connections in use`,
   * `HTTP 503 Service Unavailable: upstream timed out`), else what the probe saw (timeout,
   * refused host, `HTTP 500 Internal Server Error`, slow answer).
   */
  error?: string;
}

/** Where an entity's own health comes from. @public */
export type HealthSource = 'probe' | 'resource' | 'none';

/**
 * The status of one dependency as seen from the entity being rolled up.
 * @public
 */
export interface DependencyStatus {
  /** Full entity ref (`kind:namespace/name`, lower case). */
  entityRef: string;
  /** `metadata.title` of the dependency, else its name; absent when it is not in the catalog. */
  title?: string;
  /** The dependency's own state (its health and open incidents, not its dependencies). */
  state: StatusState;
  /** Why the dependency is not up, in its own words (e.g. its health endpoint's message). */
  cause?: string;
  /** 1 for a direct dependency, 2 for a dependency of a dependency, ... */
  depth: number;
  /** The entity through which this one was reached (the entity itself for depth 1). */
  via: string;
  /** ISO 8601 time since when `state` holds, when known. */
  since?: string;
}

/**
 * The rolled-up status of one entity: the worst of its own health, its open incidents and the
 * status of everything it (transitively) depends on, with reasons.
 * @public
 */
export interface EntityStatus {
  /** Full entity ref (`kind:namespace/name`, lower case). */
  entityRef: string;
  /** The rolled-up state. */
  state: StatusState;
  /** The entity's own health only (probe or resource state), before incidents and dependencies. */
  healthState: StatusState;
  /** Where the entity’s own health comes from. */
  healthSource: HealthSource;
  /** ISO 8601 time since when `healthState` holds, when known. */
  since?: string;
  /** Why `state` is not `up`; empty when up. Worst first. */
  reasons: StatusReason[];
  /** The newest probe result, if any. */
  lastProbe?: ProbeResult;
  /** Open (unresolved) incidents on this entity. */
  openIncidents: Incident[];
  /** Transitive dependencies (`dependsOn`), breadth first, each once. */
  dependencies: DependencyStatus[];
  /** True when the dependency walk stopped at the depth limit. */
  dependenciesTruncated: boolean;
  /** ISO 8601 time the status was computed. */
  computedAt: string;
}

/**
 * One row of the status overview.
 * @public
 */
export interface EntityStatusSummary {
  /** Full entity ref (`kind:namespace/name`, lower case). */
  entityRef: string;
  /** Entity kind, e.g. `Component`. */
  kind: string;
  /** Entity namespace. */
  namespace: string;
  /** Entity name. */
  name: string;
  /** Human-readable title. */
  title?: string;
  /** Owner entity ref (`spec.owner`, normalised), when set. */
  owner?: string;
  /** System entity ref (`spec.system`, normalised), when set. */
  system?: string;
  /** Rolled-up state. */
  state: StatusState;
  /** The entity’s own health only (probe or resource state). */
  healthState: StatusState;
  /** Where the entity’s own health comes from. */
  healthSource: HealthSource;
  /** Why the state is not `up`, worst first. */
  reasons: StatusReason[];
  /** Number of open incidents on the entity. */
  openIncidentCount: number;
  /** The newest probe result, if any. */
  lastProbe?: ProbeResult;
}

/** A time window for uptime. @public */
export type UptimeWindow = '24h' | '7d' | '30d';

/** Every {@link UptimeWindow}. @public */
export const UPTIME_WINDOWS: readonly UptimeWindow[] = [
  '24h',
  '7d',
  '30d',
] as const;

/**
 * Uptime over a window: the share of health samples that were `up` or `degraded`
 * (degraded counts as up: the service answered).
 * @public
 */
export interface UptimeSummary {
  /** The time window. */
  window: UptimeWindow;
  /** Between 0 and 1; `null` when there are no samples in the window. */
  uptimeRatio: number | null;
  /** Number of samples in the window (raw samples plus rolled-up hourly counts). */
  samples: number;
}

/**
 * Probe latency percentiles over one hour (UTC).
 * @public
 */
export interface LatencyBucket {
  /** ISO 8601 start of the hour, e.g. `2026-11-22T10:00:00.000Z`. */
  hour: string;
  /** Median latency in ms; `null` when no sample had a latency. */
  p50Ms: number | null;
  /** 95th percentile latency in ms; `null` when no sample had a latency. */
  p95Ms: number | null;
  /** Samples with a latency in the hour. */
  samples: number;
}

/**
 * Uptime and latency history of one entity (`GET /v1/history`).
 * @public
 */
export interface EntityHistory {
  /** Full entity ref (`kind:namespace/name`, lower case). */
  entityRef: string;
  /** Uptime over 24 h, 7 d and 30 d. */
  uptime: UptimeSummary[];
  /** Hourly buckets, oldest first, only hours that have samples. */
  latency: LatencyBucket[];
  /** Newest raw probe results, newest first (at most 50). */
  recentProbes: ProbeResult[];
}

/** Status of a deployment. @public */
export type DeploymentStatus =
  | 'in-progress'
  | 'succeeded'
  | 'failed'
  | 'cancelled'
  | 'rolled-back';

/** Every {@link DeploymentStatus}. @public */
export const DEPLOYMENT_STATUSES: readonly DeploymentStatus[] = [
  'in-progress',
  'succeeded',
  'failed',
  'cancelled',
  'rolled-back',
] as const;

/**
 * A deployment of an entity, reported by a CI pipeline.
 * @public
 */
export interface Deployment {
  /** Unique id (UUID). */
  id: string;
  /** Full entity ref (`kind:namespace/name`, lower case). */
  entityRef: string;
  /** e.g. `production`, `staging`. */
  environment: string;
  /** Version deployed, e.g. `1.4.2`. */
  version: string;
  /** Git commit SHA, when given. */
  commit?: string;
  /** Outcome of the deployment. */
  status: DeploymentStatus;
  /** ISO 8601. */
  startedAt: string;
  /** ISO 8601; absent while in progress. */
  finishedAt?: string;
  /** Link to the pipeline run, when given. */
  url?: string;
  /** Who reported it: a user entity ref or a service subject (e.g. `external:ci`). */
  createdBy: string;
  /** ISO 8601. */
  createdAt: string;
}

/** Body of `POST /v1/deployments`. @public */
export interface CreateDeploymentRequest {
  /** Full entity ref (`kind:namespace/name`, lower case). */
  entityRef: string;
  /** Target environment, e.g. `production`. */
  environment: string;
  /** Version deployed, e.g. `1.4.2`. */
  version: string;
  /** Git commit SHA (7 to 64 hex characters). */
  commit?: string;
  /** Outcome of the deployment. */
  status: DeploymentStatus;
  /** ISO 8601. */
  startedAt: string;
  /** ISO 8601, not before `startedAt`. */
  finishedAt?: string;
  /** Link to the pipeline run. */
  url?: string;
}

/**
 * Incident severity. While open, `sev1` makes the entity `down`; `sev2` and `sev3` make it `degraded`.
 * @public
 */
export type IncidentSeverity = 'sev1' | 'sev2' | 'sev3';

/** Every {@link IncidentSeverity}, most severe first. @public */
export const INCIDENT_SEVERITIES: readonly IncidentSeverity[] = [
  'sev1',
  'sev2',
  'sev3',
] as const;

/** Incident lifecycle; every state but `resolved` is open. @public */
export type IncidentState =
  | 'investigating'
  | 'identified'
  | 'monitoring'
  | 'resolved';

/** Every {@link IncidentState}. @public */
export const INCIDENT_STATES: readonly IncidentState[] = [
  'investigating',
  'identified',
  'monitoring',
  'resolved',
] as const;

/**
 * One entry of an incident's timeline.
 * @public
 */
export interface IncidentUpdate {
  /** Unique id (UUID). */
  id: string;
  /** Id of the incident this entry belongs to. */
  incidentId: string;
  /** ISO 8601. */
  at: string;
  /** User entity ref of the author. */
  author: string;
  /** Timeline text (1 to 5000 characters). */
  message: string;
  /** The incident state after this update. */
  state: IncidentState;
  /** The severity after this update. */
  severity: IncidentSeverity;
}

/**
 * An incident on an entity.
 * @public
 */
export interface Incident {
  /** Unique id (UUID). */
  id: string;
  /** Full entity ref (`kind:namespace/name`, lower case). */
  entityRef: string;
  /** Human-readable title. */
  title: string;
  /** Incident severity. */
  severity: IncidentSeverity;
  /** State. */
  state: IncidentState;
  /** User entity ref of who opened it. */
  createdBy: string;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601. */
  updatedAt: string;
  /** ISO 8601, when resolved. */
  resolvedAt?: string;
  /** Timeline, oldest first; the first entry is the opening message. */
  updates: IncidentUpdate[];
}

/** Body of `POST /v1/incidents`. @public */
export interface OpenIncidentRequest {
  /** Full entity ref (`kind:namespace/name`, lower case). */
  entityRef: string;
  /** 1 to 200 characters. */
  title: string;
  /** Incident severity. */
  severity: IncidentSeverity;
  /** First timeline entry, 1 to 5000 characters. */
  message: string;
  /** Initial state; default `investigating`. Must not be `resolved`. */
  state?: Exclude<IncidentState, 'resolved'>;
}

/** Body of `PATCH /v1/incidents/{id}`: adds a timeline entry, optionally changing severity or state. @public */
export interface UpdateIncidentRequest {
  /** Timeline text (1 to 5000 characters). */
  message: string;
  /** Incident severity. */
  severity?: IncidentSeverity;
  /** Use `POST /v1/incidents/{id}/resolve` to resolve. */
  state?: Exclude<IncidentState, 'resolved'>;
  /** Human-readable title. */
  title?: string;
}

/** Body of `POST /v1/incidents/{id}/resolve`. @public */
export interface ResolveIncidentRequest {
  /** Closing timeline entry; default `Resolved.`. */
  message?: string;
}

/** A page of results; pass `nextCursor` as `cursor` to get the next page. @public */
export interface ListResponse<T> {
  /** The results of this page. */
  items: T[];
  /** Absent on the last page. */
  nextCursor?: string;
}

/** `GET /v1/statuses`. @public */
export type ListStatusesResponse = ListResponse<EntityStatusSummary>;
/** `GET /v1/deployments`. @public */
export type ListDeploymentsResponse = ListResponse<Deployment>;
/** `GET /v1/incidents`. @public */
export type ListIncidentsResponse = ListResponse<Incident>;

/** Query of `GET /v1/statuses` (the overview). Repeated keys are ORed. @public */
export interface ListStatusesQuery {
  /** Owner entity refs (e.g. `group:default/orders-team`, or `orders-team`). */
  owner?: string[];
  /** System entity refs or names. */
  system?: string[];
  /** Entity kinds; default `Component` and `Resource`. */
  kind?: string[];
  /** Rolled-up states to keep. */
  state?: StatusState[];
  /** Opaque cursor from a previous page’s `nextCursor`. */
  cursor?: string;
  /** 1 to 100, default 25. */
  limit?: number;
}

/** Query of `GET /v1/deployments`. @public */
export interface ListDeploymentsQuery {
  /** Full entity ref (`kind:namespace/name`, lower case). */
  entityRef: string;
  /** Target environment, e.g. `production`. */
  environment?: string;
  /** Opaque cursor from a previous page’s `nextCursor`. */
  cursor?: string;
  /** 1 to 100, default 25. */
  limit?: number;
}

/** Query of `GET /v1/incidents`. @public */
export interface ListIncidentsQuery {
  /** Optional: all entities when absent. */
  entityRef?: string;
  /** `open` (default), `resolved` or `all`. */
  state?: 'open' | 'resolved' | 'all';
  /** Opaque cursor from a previous page’s `nextCursor`. */
  cursor?: string;
  /** 1 to 100, default 25. */
  limit?: number;
}
