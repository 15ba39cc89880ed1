export { LatencyChart } from './LatencyChart';
export type { LatencyChartProps } from './LatencyChart';
