/**
 * Catalog backend module for Paved provisioning: provisioned resources become `kind: Resource` entities.
 *
 * @packageDocumentation
 */

export { catalogModuleProvisioningEntityProvider as default } from './module';
export {
  ProvisioningEntityProvider,
  RESOURCE_CHANGED_TOPIC,
  type ProvisioningEntityProviderOptions,
} from './provider/ProvisioningEntityProvider';
export { ProvisionedDependsOnProcessor } from './provider/DependsOnProcessor';
export { ANNOTATION_RESOURCE_DRIFTED } from './provider/resourceToEntity';
