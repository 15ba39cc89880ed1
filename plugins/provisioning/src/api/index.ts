export * from './ProvisioningApi';
export { ProvisioningClient } from './ProvisioningClient';
export * from './InventoryApi';
