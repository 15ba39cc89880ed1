export { OwnerPicker } from './OwnerPicker';
