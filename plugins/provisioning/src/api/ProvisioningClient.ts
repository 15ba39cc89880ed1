import { ProvisioningApiClient } from '@paved/backstage-plugin-provisioning-common';
import { ProvisioningApi } from './ProvisioningApi';

/**
 * Default {@link ProvisioningApi} implementation: the typed `ProvisioningApiClient` of
 * `@paved/backstage-plugin-provisioning-common` (generated types of the backend's OpenAPI spec). Construct it with
 * `{ discoveryApi, fetchApi }`: it calls the backend through `fetchApi` (which adds the user's token) at the base URL
 * `discoveryApi` returns for `provisioning`.
 *
 * @public
 */
export class ProvisioningClient
  extends ProvisioningApiClient
  implements ProvisioningApi {}
