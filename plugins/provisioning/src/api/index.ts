export * from './ProvisioningApi';
export { ProvisioningClient } from './ProvisioningClient';
