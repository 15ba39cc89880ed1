export { StatusReasons } from './StatusReasons';
export type { StatusReasonsProps } from './StatusReasons';
export { ReasonText } from './ReasonText';
export type { ReasonTextProps } from './ReasonText';
