import { LoggerService } from '@backstage/backend-plugin-api';
import type {
  ResourceNaming,
  ResourceTypeDefinition,
} from '@paved/backstage-plugin-provisioning-common';

/** A type on offer, with its merged naming rules. @internal */
export type OfferedType = ResourceTypeDefinition & { naming: ResourceNaming };
import { mergeNaming } from './naming';
import type {
  ProvisioningDriver,
  ResourceTypeProvider,
} from '@paved/backstage-plugin-provisioning-node';

/**
 * The resource types on offer: those from config plus those from providers, keeping only
 * types whose driver is installed and accepts them.
 * @internal
 */
export class TypeRegistry {
  readonly #configTypes: ResourceTypeDefinition[];
  readonly #drivers: Map<string, ProvisioningDriver>;
  readonly #providers: ResourceTypeProvider[];
  readonly #logger: LoggerService;
  #types = new Map<string, OfferedType>();
  readonly #warned = new Set<string>();

  constructor(options: {
    configTypes: ResourceTypeDefinition[];
    drivers: Map<string, ProvisioningDriver>;
    providers: ResourceTypeProvider[];
    logger: LoggerService;
  }) {
    this.#configTypes = options.configTypes;
    this.#drivers = options.drivers;
    this.#providers = options.providers;
    this.#logger = options.logger;
  }

  /** Re-reads providers and re-validates every type; never throws. */
  async refresh(): Promise<void> {
    const candidates: ResourceTypeDefinition[] = [...this.#configTypes];
    for (const provider of this.#providers) {
      try {
        const provided = await provider.getResourceTypes();
        for (const t of provided) {
          if (candidates.some(c => c.id === t.id)) {
            this.#warnOnce(
              `dup:${provider.id}:${t.id}`,
              `Resource type '${t.id}' from provider '${provider.id}' is already declared; keeping the first`,
            );
          } else {
            candidates.push(t);
          }
        }
      } catch (e) {
        this.#logger.warn(
          `Resource type provider '${provider.id}' failed: ${(e as Error).message}`,
        );
        // keep the previously known types of this provider
        for (const t of this.#types.values()) {
          if (!candidates.some(c => c.id === t.id)) candidates.push(t);
        }
      }
    }
    const next = new Map<string, OfferedType>();
    for (const type of candidates) {
      const driver = this.#drivers.get(type.driver);
      if (!driver) {
        this.#warnOnce(
          `nodriver:${type.id}`,
          `Skipping resource type '${type.id}': driver '${type.driver}' is not installed or not configured`,
        );
        continue;
      }
      try {
        await driver.validateType?.(type);
      } catch (e) {
        this.#warnOnce(
          `invalid:${type.id}`,
          `Skipping resource type '${type.id}': driver '${type.driver}' refused it: ${(e as Error).message}`,
        );
        continue;
      }
      next.set(type.id, { ...type, naming: mergeNaming(driver.naming) });
    }
    this.#types = next;
  }

  #warnOnce(key: string, message: string) {
    if (!this.#warned.has(key)) {
      this.#warned.add(key);
      this.#logger.warn(message);
    }
  }

  list(): OfferedType[] {
    return [...this.#types.values()];
  }

  get(id: string): OfferedType | undefined {
    return this.#types.get(id);
  }

  driverFor(type: ResourceTypeDefinition): ProvisioningDriver | undefined {
    return this.#drivers.get(type.driver);
  }
}
