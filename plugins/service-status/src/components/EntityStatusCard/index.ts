export { EntityStatusCard } from './EntityStatusCard';
export type { EntityStatusCardProps } from './EntityStatusCard';
