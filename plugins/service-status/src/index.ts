/**
 * Service status pages for Backstage (Paved): an entity "Status" tab and overview card, and a
 * "Service status" page listing every service, backed by `@paved/backstage-plugin-service-status-backend`.
 *
 * This entry point is for apps on the legacy frontend system; the new frontend system plugin is the
 * default export of `@paved/backstage-plugin-service-status/alpha`.
 *
 * @packageDocumentation
 */
export {
  serviceStatusPlugin,
  ServiceStatusPage,
  EntityServiceStatusCard,
  EntityServiceStatusContent,
} from './plugin';
export { rootRouteRef as serviceStatusRouteRef } from './routes';
export { serviceStatusApiRef, ServiceStatusClient } from './api';
export type { ServiceStatusApi } from './api';
export { StatusChip } from './components/StatusChip';
export type { StatusChipProps } from './components/StatusChip';
export type { EntityStatusCardProps } from './components/EntityStatusCard';
export type { ServiceStatusOverviewProps } from './components/ServiceStatusPage';
export { DeliveryMetricsContent } from './components/DeliveryMetrics';
export type { DeliveryMetricsContentProps } from './components/DeliveryMetrics';
export {
  EntityScorecardCard,
  TeamScorecards,
  ScorecardChecks,
  rollUpScorecards,
  scorecardApiRef,
  ScorecardClient,
} from './components/Scorecard';
export type {
  ScorecardApi,
  ScorecardCheckResult,
  TeamScorecard,
} from './components/Scorecard';
