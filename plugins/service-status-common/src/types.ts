import type { components } from './generated/openapi';

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
export type StatusState = components['schemas']['StatusState'];

/** Every {@link StatusState}, from best to worst as used by the roll-up. @public */
export const STATUS_STATES: readonly StatusState[] = [
  'up',
  'unknown',
  'degraded',
  'down',
] as const;

/** Where a status reason comes from. @public */
export type StatusReasonSource =
  components['schemas']['StatusReason']['source'];

/**
 * One reason why an entity is not `up`, e.g.
 * `degraded: Orders database is degraded (connection limit nearly reached: 97 of 100 connections in use) since 10:42 UTC`.
 * Entities are named by title (or name) in `message`; `entityRef`/`entityTitle` let a UI link it.
 * @public
 */
export type StatusReason = components['schemas']['StatusReason'];

/** The outcome of one probe; `unknown` is never stored. @public */
export type ProbeState = components['schemas']['ProbeState'];

/**
 * One health probe (or one health sample taken from a provisioned resource's state).
 * @public
 */
export type ProbeResult = components['schemas']['ProbeResult'];

/** Where an entity's own health comes from. @public */
export type HealthSource = components['schemas']['HealthSource'];

/**
 * The status of one dependency as seen from the entity being rolled up.
 * @public
 */
export type DependencyStatus = components['schemas']['DependencyStatus'];

/**
 * The rolled-up status of one entity: the worst of its own health, its open incidents and the
 * status of everything it (transitively) depends on, with reasons.
 * @public
 */
export type EntityStatus = components['schemas']['EntityStatus'];

/**
 * One row of the status overview.
 * @public
 */
export type EntityStatusSummary = components['schemas']['EntityStatusSummary'];

/** A time window for uptime. @public */
export type UptimeWindow = components['schemas']['UptimeSummary']['window'];

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
export type UptimeSummary = components['schemas']['UptimeSummary'];

/**
 * Probe latency percentiles over one hour (UTC).
 * @public
 */
export type LatencyBucket = components['schemas']['LatencyBucket'];

/**
 * Uptime and latency history of one entity (`GET /v1/history`).
 * @public
 */
export type EntityHistory = components['schemas']['EntityHistory'];

/** Status of a deployment. @public */
export type DeploymentStatus = components['schemas']['DeploymentStatus'];

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
export type Deployment = components['schemas']['Deployment'];

/** Body of `POST /v1/deployments`. @public */
export type CreateDeploymentRequest =
  components['schemas']['CreateDeploymentRequest'];

/**
 * Incident severity. While open, `sev1` makes the entity `down`; `sev2` and `sev3` make it `degraded`.
 * @public
 */
export type IncidentSeverity = components['schemas']['IncidentSeverity'];

/** Every {@link IncidentSeverity}, most severe first. @public */
export const INCIDENT_SEVERITIES: readonly IncidentSeverity[] = [
  'sev1',
  'sev2',
  'sev3',
] as const;

/** Incident lifecycle; every state but `resolved` is open. @public */
export type IncidentState = components['schemas']['IncidentState'];

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
export type IncidentUpdate = components['schemas']['IncidentUpdate'];

/**
 * An incident on an entity.
 * @public
 */
export type Incident = components['schemas']['Incident'];

/** Body of `POST /v1/incidents`. @public */
export type OpenIncidentRequest = components['schemas']['OpenIncidentRequest'];

/** Body of `PATCH /v1/incidents/{id}`: adds a timeline entry, optionally changing severity or state. @public */
export type UpdateIncidentRequest =
  components['schemas']['UpdateIncidentRequest'];

/** Body of `POST /v1/incidents/{id}/resolve`. @public */
export type ResolveIncidentRequest =
  components['schemas']['ResolveIncidentRequest'];

/** A page of results; pass `nextCursor` as `cursor` to get the next page. @public */
export interface ListResponse<T> {
  /** The results of this page. */
  items: T[];
  /** Absent on the last page. */
  nextCursor?: string;
}

/** `GET /v1/statuses`. @public */
export type ListStatusesResponse =
  components['schemas']['ListStatusesResponse'];
/** `GET /v1/deployments`. @public */
export type ListDeploymentsResponse =
  components['schemas']['ListDeploymentsResponse'];
/** `GET /v1/incidents`. @public */
export type ListIncidentsResponse =
  components['schemas']['ListIncidentsResponse'];

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
