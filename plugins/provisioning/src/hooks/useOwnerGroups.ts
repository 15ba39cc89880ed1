import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';

const NO_GROUPS: string[] = [];

/**
 * The groups the signed-in user belongs to (from the identity's ownership refs), as full entity refs.
 * @internal
 */
export function useOwnerGroups(): {
  loading: boolean;
  groups: string[];
  userEntityRef?: string;
  error?: Error;
} {
  const identityApi = useApi(identityApiRef);
  const { value, loading, error } = useAsync(async () => {
    const identity = await identityApi.getBackstageIdentity();
    const groups = identity.ownershipEntityRefs
      .map(ref => {
        try {
          return parseEntityRef(ref);
        } catch {
          return undefined;
        }
      })
      .filter(ref => ref?.kind.toLocaleLowerCase('en-US') === 'group')
      .map(ref => stringifyEntityRef(ref!));
    return {
      groups: Array.from(new Set(groups)),
      user: identity.userEntityRef,
    };
  }, [identityApi]);
  return {
    loading,
    groups: value?.groups ?? NO_GROUPS,
    userEntityRef: value?.user,
    error,
  };
}
