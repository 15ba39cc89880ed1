export { TimeLeft } from './TimeLeft';
export { TtlField } from './TtlField';
export { ExtendDialog } from './ExtendDialog';
export { ClockProvider, useNow } from './clock';
export type { Clock } from './clock';
