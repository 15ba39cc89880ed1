/**
 * Types, permissions and the typed API client shared by the Paved provisioning plugins.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './permissions';
export * from './constants';
export * from './client';
export type {
  paths as ProvisioningApiPaths,
  operations as ProvisioningApiOperations,
  components as ProvisioningApiComponents,
} from './generated/openapi';
