export { InventoryContent } from './InventoryContent';
