export { DeliveryMetricsContent } from './DeliveryMetricsContent';
export type { DeliveryMetricsContentProps } from './DeliveryMetricsContent';
