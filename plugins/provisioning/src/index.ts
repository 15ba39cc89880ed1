/**
 * Self-service provisioning for Backstage: offerings, resources with day-2 actions, and the entity Resources
 * tab. This entry point is for the legacy frontend system; the new frontend system plugin is the default export
 * of `@paved/backstage-plugin-provisioning/alpha`.
 *
 * @packageDocumentation
 */
export {
  provisioningPlugin,
  ProvisioningPage,
  EntityResourcesContent,
  ProvisioningCostEstimateFieldExtension,
  AvailableNameFieldExtension,
  EntityTitleFieldExtension,
} from './plugin';
export * from './scaffolder';
export {
  rootRouteRef,
  requestRouteRef,
  resourceRouteRef,
  approvalsRouteRef,
  rolloutsRouteRef,
  rolloutRouteRef,
} from './routes';
export {
  ProvisioningClient,
  provisioningApiRef,
  type ProvisioningApi,
  type ListResourcesQuery,
  type ListResourcesResponse,
  type ResourceOwnerTotal,
  type CreateResourceRequest,
} from './api';
export { StateChip } from './components/StateChip';
export { InventoryContent } from './components/InventoryContent';
export { RecommendationsContent } from './components/RecommendationsContent';
export {
  InventoryClient,
  inventoryApiRef,
  type InventoryApi,
  type InventoryResponse,
  type RecommendationsResponse,
} from './api';
