import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import useAsync from 'react-use/esm/useAsync';

/** Who is signed in and what they own: their user ref and every ownership ref (user and groups). */
export interface Ownership {
  userEntityRef: string;
  /** Ownership refs from the identity (the user and the groups they belong to), lower case. */
  ownershipEntityRefs: string[];
  /** Only the group refs among them (resources are owned by groups). */
  groupRefs: string[];
}

/** The signed-in person's ownership refs, from the identity API (no catalog round trip). */
export function useOwnership() {
  const identityApi = useApi(identityApiRef);
  return useAsync(async (): Promise<Ownership> => {
    const identity = await identityApi.getBackstageIdentity();
    const ownershipEntityRefs = identity.ownershipEntityRefs.map(r =>
      r.toLocaleLowerCase('en-US'),
    );
    return {
      userEntityRef: identity.userEntityRef,
      ownershipEntityRefs,
      groupRefs: ownershipEntityRefs.filter(
        r => parseEntityRef(r).kind === 'group',
      ),
    };
  }, [identityApi]);
}

/** `/catalog/<namespace>/<kind>/<name>` of an entity ref. */
export function entityPath(ref: string): string {
  const { kind, namespace, name } = parseEntityRef(ref);
  return `/catalog/${namespace}/${kind.toLocaleLowerCase('en-US')}/${name}`;
}

/** A readable name for an entity ref when no title is at hand: its name. */
export function refName(ref: string): string {
  return parseEntityRef(ref).name;
}
