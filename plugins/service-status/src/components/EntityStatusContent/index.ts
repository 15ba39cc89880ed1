export { EntityStatusContent } from './EntityStatusContent';
