export { CostEstimatePanel } from './CostEstimatePanel';
