export { LastProbe } from './LastProbe';
