export * from './ProvisioningApiClient';
export * from './contract';
