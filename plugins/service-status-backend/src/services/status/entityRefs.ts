import {
  CompoundEntityRef,
  Entity,
  parseEntityRef,
  RELATION_DEPENDS_ON,
  RELATION_OWNED_BY,
  RELATION_PART_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';

/**
 * Parses a full entity ref (`kind:namespace/name`, namespace optional) and returns it in the
 * normalised lower-case form used as a storage key. Throws InputError when malformed.
 * @internal
 */
export function normalizeEntityRef(
  raw: string,
  defaults?: { defaultKind?: string; defaultNamespace?: string },
): string {
  let parsed: CompoundEntityRef;
  try {
    parsed = parseEntityRef(raw.trim(), {
      defaultNamespace: 'default',
      ...defaults,
    });
  } catch (error) {
    throw new InputError(
      `Malformed entity ref '${raw}': ${(error as Error).message}`,
    );
  }
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(parsed.kind)) {
    throw new InputError(`Malformed entity ref '${raw}': invalid kind`);
  }
  if (
    !/^[a-z0-9][a-z0-9._-]*$/i.test(parsed.namespace) ||
    !/^[a-z0-9][a-z0-9._-]*$/i.test(parsed.name)
  ) {
    throw new InputError(
      `Malformed entity ref '${raw}': namespace and name must be letters, digits, '.', '_' or '-'`,
    );
  }
  return stringifyEntityRef(parsed).toLocaleLowerCase('en-US');
}

/** The entity's normalised ref. @internal */
export function refOf(entity: Entity): string {
  return stringifyEntityRef(entity).toLocaleLowerCase('en-US');
}

function relationTargets(entity: Entity, type: string): string[] {
  return (entity.relations ?? [])
    .filter(r => r.type === type)
    .map(r => r.targetRef.toLocaleLowerCase('en-US'));
}

/** Targets of `dependsOn` relations. @internal */
export function dependsOnRefs(entity: Entity): string[] {
  return [...new Set(relationTargets(entity, RELATION_DEPENDS_ON))];
}

/** The owner ref from relations, falling back to `spec.owner`. @internal */
export function ownerRef(entity: Entity): string | undefined {
  const fromRelation = relationTargets(entity, RELATION_OWNED_BY)[0];
  if (fromRelation) {
    return fromRelation;
  }
  const owner = entity.spec?.owner;
  if (typeof owner === 'string' && owner) {
    try {
      return normalizeEntityRef(owner, { defaultKind: 'group' });
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The system ref from relations, falling back to `spec.system`. @internal */
export function systemRef(entity: Entity): string | undefined {
  const fromRelation = relationTargets(entity, RELATION_PART_OF).find(r =>
    r.startsWith('system:'),
  );
  if (fromRelation) {
    return fromRelation;
  }
  const system = entity.spec?.system;
  if (typeof system === 'string' && system) {
    try {
      return normalizeEntityRef(system, { defaultKind: 'system' });
    } catch {
      return undefined;
    }
  }
  return undefined;
}
