export { DeploymentsTimeline } from './DeploymentsTimeline';
export type { DeploymentsTimelineProps } from './DeploymentsTimeline';
