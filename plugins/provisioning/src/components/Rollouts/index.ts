export { RolloutsView } from './RolloutsView';
export { RolloutPage } from './RolloutPage';
