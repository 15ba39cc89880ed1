import type { components } from './generated/openapi';

/**
 * A DORA software delivery performance level, best first: `elite`, `high`, `medium`, `low`
 * (Accelerate State of DevOps Report 2023, DORA / Google Cloud).
 * @public
 */
export type DoraBand = components['schemas']['DoraBand'];

/** Every {@link DoraBand}, best first. @public */
export const DORA_BANDS: readonly DoraBand[] = [
  'elite',
  'high',
  'medium',
  'low',
] as const;

/** One week of a delivery trend (week starts Monday 00:00 UTC). @public */
export type DeliveryWeek = components['schemas']['DeliveryWeek'];

/**
 * The four DORA metrics of one service or one team over a window, with their bands and the
 * weekly trend. Durations are in hours, rates are fractions (0..1).
 * @public
 */
export type DeliveryMetrics = components['schemas']['DeliveryMetrics'];

/** Response of `GET /v1/delivery-metrics`. @public */
export type DeliveryMetricsResponse =
  components['schemas']['DeliveryMetricsResponse'];

/** Query of `GET /v1/delivery-metrics`. @public */
export interface DeliveryMetricsQuery {
  /** `service` (default) or `team` (the owning group from the catalog). */
  groupBy?: 'service' | 'team';
  /** Window in whole weeks ending now, 1 to 52 (default 12). */
  weeks?: number;
  /** Only deployments to this environment (default `production`). */
  environment?: string;
  /** Only services owned by this group. */
  owner?: string;
  /** Only this service. */
  entityRef?: string;
}

/** Count, first and last deployment of one entity. @public */
export type DeploymentSummary = components['schemas']['DeploymentSummary'];

/** Response of `GET /v1/deployment-summaries`. @public */
export type DeploymentSummariesResponse =
  components['schemas']['DeploymentSummariesResponse'];
