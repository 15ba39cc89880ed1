import { CatalogApi } from '@backstage/plugin-catalog-react';
import { ResourceType } from '@paved/backstage-plugin-provisioning-common';
import { ProvisioningApi } from '../api';
import { ownerName } from '../api/errors';
import { nameProblem } from '../naming';

/**
 * What is wrong with a resource name, in words: the type's naming rules (`GET /types` → `naming`) first, then
 * whether a live resource of that type already has the name (`GET /resources?name=&type=`). Undefined when the
 * name can be used.
 * @public
 */
export async function resourceNameProblem(
  api: Pick<ProvisioningApi, 'listResources'>,
  request: { name: string; type: string; title?: string },
  types: ResourceType[] | undefined,
): Promise<string | undefined> {
  const type = types?.find(t => t.id === request.type);
  const rule = nameProblem(request.name, type?.naming);
  if (rule) return rule;
  const { items } = await api.listResources({
    name: request.name,
    type: request.type,
    limit: 1,
  });
  const taken = items[0];
  if (!taken) return undefined;
  const what = request.title ?? type?.title ?? request.type;
  return `The name '${request.name}' is already taken by a ${what} owned by ${
    ownerName(taken.owner) ?? taken.owner
  }: choose another name`;
}

/**
 * Whether a catalog entity of `kind` already has `name` in `namespace`, in words. Undefined when the name is free.
 * @public
 */
export async function entityNameProblem(
  catalogApi: Pick<CatalogApi, 'getEntityByRef'>,
  request: { kind: string; namespace?: string; name: string },
): Promise<string | undefined> {
  const entity = await catalogApi.getEntityByRef({
    kind: request.kind,
    namespace: request.namespace ?? 'default',
    name: request.name,
  });
  if (!entity) return undefined;
  const owner =
    typeof entity.spec?.owner === 'string'
      ? ownerName(entity.spec.owner)
      : undefined;
  return `The name '${
    request.name
  }' is already taken by the ${request.kind.toLocaleLowerCase('en-US')} ${
    entity.metadata.title ?? entity.metadata.name
  }${owner ? ` (owned by ${owner})` : ''}: choose another name`;
}
