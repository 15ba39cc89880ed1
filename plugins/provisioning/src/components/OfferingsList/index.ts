export { OfferingsList } from './OfferingsList';
