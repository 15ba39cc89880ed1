import { createApiRef } from '@backstage/core-plugin-api';
import type {
  DeliveryMetricsQuery,
  DeliveryMetricsResponse,
  EntityHistory,
  EntityStatus,
  Incident,
  ListDeploymentsQuery,
  ListDeploymentsResponse,
  ListIncidentsQuery,
  ListIncidentsResponse,
  ListStatusesQuery,
  ListStatusesResponse,
  OpenIncidentRequest,
  ResolveIncidentRequest,
  UpdateIncidentRequest,
} from '@paved/backstage-plugin-service-status-common';

/**
 * Client of the service status backend (`/api/service-status/v1`).
 *
 * @remarks
 * Every method throws a `ResponseError` (from `@backstage/errors`) when the backend answers
 * with a non-2xx status, e.g. 400 for bad input, 403 when the user may not act on the entity,
 * 404 for an unknown entity or incident.
 *
 * @public
 */
export interface ServiceStatusApi {
  /** The rolled-up status of one entity, with reasons, open incidents and dependency states. */
  getEntityStatus(entityRef: string): Promise<EntityStatus>;
  /**
   * Uptime (24h, 7d, 30d), hourly latency percentiles and the newest probes of one entity.
   * `options.hours` is how many hours of latency buckets to return, 1 to 720 (backend default 24).
   */
  getEntityHistory(
    entityRef: string,
    options?: { hours?: number },
  ): Promise<EntityHistory>;
  /** A page of the status overview, filtered by owner, system, kind and state. */
  listStatuses(query?: ListStatusesQuery): Promise<ListStatusesResponse>;
  /** A page of an entity's deployments, newest first. */
  listDeployments(
    query: ListDeploymentsQuery,
  ): Promise<ListDeploymentsResponse>;
  /** A page of incidents, newest first. */
  listIncidents(query?: ListIncidentsQuery): Promise<ListIncidentsResponse>;
  /** Opens an incident on an entity (owners of the entity only). */
  openIncident(request: OpenIncidentRequest): Promise<Incident>;
  /** Adds a timeline entry to an open incident, optionally changing its state, severity or title. */
  updateIncident(id: string, request: UpdateIncidentRequest): Promise<Incident>;
  /** Resolves an incident. */
  resolveIncident(
    id: string,
    request?: ResolveIncidentRequest,
  ): Promise<Incident>;
  /**
   * DORA delivery metrics (deployment frequency, change failure rate, time to restore, lead
   * time) per service or per team, with performance bands and a weekly trend.
   */
  getDeliveryMetrics(
    query?: DeliveryMetricsQuery,
  ): Promise<DeliveryMetricsResponse>;
}

/**
 * API reference for {@link ServiceStatusApi}.
 *
 * @public
 */
export const serviceStatusApiRef = createApiRef<ServiceStatusApi>({
  id: 'plugin.service-status.api',
});
