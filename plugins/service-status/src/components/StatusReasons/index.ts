export { StatusReasons } from './StatusReasons';
export type { StatusReasonsProps } from './StatusReasons';
