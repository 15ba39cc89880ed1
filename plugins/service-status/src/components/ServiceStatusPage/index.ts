export {
  ServiceStatusOverview,
  ServiceStatusPage,
  ServiceStatusPageContent,
} from './ServiceStatusPage';
export type { ServiceStatusOverviewProps } from './ServiceStatusPage';
