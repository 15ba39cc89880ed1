import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  processingResult,
} from '@backstage/plugin-catalog-node';
import type { ProvisioningService } from '@paved/backstage-plugin-provisioning-node';

/** The refresh key an entity that depends on `resourceRef` carries. @internal */
export function dependsOnRefreshKey(resourceRef: string): string {
  return `paved-provisioning:${resourceRef.toLocaleLowerCase('en-US')}`;
}

/**
 * Drops `spec.dependsOn` entries that name a provisioned resource that was deleted, so that after a delete the
 * depending component shows no dangling relation ("Entities not found"). Entries naming anything else, or a
 * resource that is live or unknown to provisioning, are kept. Each depending entity carries a refresh key, so the
 * entity provider has it processed again right after the resource is deleted.
 * @public
 */
export class ProvisionedDependsOnProcessor implements CatalogProcessor {
  readonly #provisioning: ProvisioningService;
  readonly #auth: AuthService;
  readonly #logger: LoggerService;

  constructor(options: {
    provisioning: ProvisioningService;
    auth: AuthService;
    logger: LoggerService;
  }) {
    this.#provisioning = options.provisioning;
    this.#auth = options.auth;
    this.#logger = options.logger;
  }

  getProcessorName(): string {
    return 'ProvisionedDependsOnProcessor';
  }

  async preProcessEntity(
    entity: Entity,
    _location: unknown,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    const dependsOn = (entity.spec as { dependsOn?: unknown } | undefined)?.dependsOn;
    if (!Array.isArray(dependsOn) || entity.kind === 'Resource') return entity;
    const resourceRefs = new Map<string, string>();
    for (const value of dependsOn) {
      if (typeof value !== 'string') continue;
      try {
        const ref = parseEntityRef(value, {
          defaultNamespace: entity.metadata.namespace ?? 'default',
        });
        if (ref.kind.toLocaleLowerCase('en-US') === 'resource') {
          resourceRefs.set(value, stringifyEntityRef(ref));
        }
      } catch {
        // not ours to judge
      }
    }
    if (resourceRefs.size === 0) return entity;
    for (const ref of resourceRefs.values()) {
      emit(processingResult.refresh(dependsOnRefreshKey(ref)));
    }
    const gone = new Set<string>();
    try {
      const credentials = await this.#auth.getOwnServiceCredentials();
      for (const [value, ref] of resourceRefs) {
        const { name, namespace } = parseEntityRef(ref);
        if (namespace !== 'default') continue;
        const { items } = await this.#provisioning.listResources(
          { name, includeDeleted: true, limit: 20 },
          { credentials },
        );
        if (items.length > 0 && items.every(r => r.state === 'deleted')) {
          gone.add(value);
        }
      }
    } catch (error) {
      this.#logger.debug(`Could not check provisioned dependencies of ${stringifyEntityRef(entity)}: ${error}`);
      return entity;
    }
    if (gone.size === 0) return entity;
    return {
      ...entity,
      spec: { ...entity.spec, dependsOn: dependsOn.filter(v => !gone.has(v)) },
    };
  }
}
