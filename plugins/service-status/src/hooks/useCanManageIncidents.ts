import type { Entity } from '@backstage/catalog-model';
import {
  configApiRef,
  identityApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import { useEntityOwnership } from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';

/** The backend's default `serviceStatus.platformGroup`. @internal */
export const DEFAULT_PLATFORM_GROUP = 'group:default/platform-team';

/**
 * Whether the signed-in user may open, update and resolve incidents on an entity: members of
 * the owning group, and members of the platform group (`serviceStatus.platformGroup` when the
 * app exposes it to the frontend, else `group:default/platform-team`, the backend default).
 * The backend enforces the same rule; this only decides which actions are shown.
 * @internal
 */
export function useCanManageIncidents(entity: Entity): boolean {
  const { isOwnedEntity, loading } = useEntityOwnership();
  const identityApi = useApi(identityApiRef);
  const configApi = useApi(configApiRef);
  const platformGroup =
    configApi.getOptionalString('serviceStatus.platformGroup') ??
    DEFAULT_PLATFORM_GROUP;
  const { value: isPlatformMember } = useAsync(async () => {
    const { ownershipEntityRefs } = await identityApi.getBackstageIdentity();
    return ownershipEntityRefs.includes(platformGroup);
  }, [identityApi, platformGroup]);
  return (!loading && isOwnedEntity(entity)) || Boolean(isPlatformMember);
}
