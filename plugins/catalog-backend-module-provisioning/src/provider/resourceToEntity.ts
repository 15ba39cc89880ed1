import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  ResourceEntity,
} from '@backstage/catalog-model';
import {
  ANNOTATION_RESOURCE_ID,
  ANNOTATION_RESOURCE_STATE,
  ANNOTATION_RESOURCE_TYPE,
  Resource,
  ResourceType,
} from '@paved/backstage-plugin-provisioning-common';

/** Annotation set to `'true'` on entities of resources whose last drift check found a difference. @public */
export const ANNOTATION_RESOURCE_DRIFTED = 'paved.dev/resource-drifted';

const MAX_ENTITY_NAME = 63;

/**
 * Entity names for resources. A resource's name is unique per type, so it is the entity name, except when live
 * resources of different types share a name: then the oldest one (by `createdAt`, then id) keeps the plain name
 * and the others are named `<name>-<type id>` (cut to 63 characters).
 * @internal
 */
export function entityNames(resources: Resource[]): Map<string, string> {
  const byName = new Map<string, Resource[]>();
  for (const r of resources) {
    byName.set(r.name, [...(byName.get(r.name) ?? []), r]);
  }
  const names = new Map<string, string>();
  for (const [name, group] of byName) {
    const sorted = [...group].sort(
      (a, b) =>
        a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id),
    );
    sorted.forEach((r, i) => {
      names.set(
        r.id,
        i === 0
          ? name
          : `${name}-${r.type}`.slice(0, MAX_ENTITY_NAME).replace(/-+$/, ''),
      );
    });
  }
  return names;
}

/**
 * Maps one provisioned resource to a `kind: Resource` entity. Only non-secret fields are used.
 * @internal
 */
export function resourceToEntity(options: {
  resource: Resource;
  type?: ResourceType;
  entityName: string;
  appBaseUrl: string;
}): ResourceEntity {
  const { resource, type, entityName, appBaseUrl } = options;
  const size =
    typeof resource.parameters?.size === 'string'
      ? resource.parameters.size
      : undefined;
  const typeTitle = type?.title ?? resource.type;
  const location = `provisioning:${resource.id}`;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: entityName,
      namespace: 'default',
      title: resource.name,
      description: size ? `${typeTitle}, size ${size}` : typeTitle,
      annotations: {
        [ANNOTATION_RESOURCE_ID]: resource.id,
        [ANNOTATION_RESOURCE_STATE]: resource.state,
        [ANNOTATION_RESOURCE_TYPE]: resource.type,
        ...(resource.drifted ? { [ANNOTATION_RESOURCE_DRIFTED]: 'true' } : {}),
        [ANNOTATION_LOCATION]: location,
        [ANNOTATION_ORIGIN_LOCATION]: location,
      },
      tags: ['provisioned'],
      links: [
        {
          url: `${appBaseUrl}/provisioning/resources/${encodeURIComponent(
            resource.id,
          )}`,
          title: 'Manage in the portal',
          icon: 'dashboard',
        },
      ],
    },
    spec: {
      type: type?.entityType ?? resource.type,
      owner: resource.owner,
      ...(resource.system ? { system: resource.system } : {}),
      ...(resource.entityRef ? { dependencyOf: [resource.entityRef] } : {}),
    },
  };
}
