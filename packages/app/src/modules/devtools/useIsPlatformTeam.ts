import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { PLATFORM_TEAM_REF } from './devToolsModules';

/**
 * True when the signed-in person belongs to the platform team (their identity's ownership refs include
 * {@link PLATFORM_TEAM_REF}); false while the identity loads and for everyone else.
 */
export function useIsPlatformTeam(): boolean {
  const identityApi = useApi(identityApiRef);
  const { value } = useAsync(async () => {
    const { ownershipEntityRefs } = await identityApi.getBackstageIdentity();
    return ownershipEntityRefs
      .map(r => r.toLocaleLowerCase('en-US'))
      .includes(PLATFORM_TEAM_REF);
  }, [identityApi]);
  return value ?? false;
}
