export { ServiceStatusOverview, ServiceStatusPage } from './ServiceStatusPage';
export type { ServiceStatusOverviewProps } from './ServiceStatusPage';
