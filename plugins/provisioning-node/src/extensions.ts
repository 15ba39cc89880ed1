import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { ProvisioningDriver, ResourceTypeProvider } from './driver';

/**
 * Lets backend modules add drivers (and discovered resource types) to the provisioning backend.
 * @public
 */
export interface ProvisioningDriversExtensionPoint {
  /** Adds a driver; the provisioning backend rejects two drivers with the same id. */
  addDriver(driver: ProvisioningDriver): void;
  /** Adds a provider of resource types discovered at run time. */
  addResourceTypeProvider(provider: ResourceTypeProvider): void;
}

/**
 * Extension point `provisioning.drivers`.
 * @public
 */
export const provisioningDriversExtensionPoint =
  createExtensionPoint<ProvisioningDriversExtensionPoint>({
    id: 'provisioning.drivers',
  });
