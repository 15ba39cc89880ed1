import type {
  AuthService,
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import type {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import type { EventsService } from '@backstage/plugin-events-node';
import type {
  Resource,
  ResourceType,
} from '@paved/backstage-plugin-provisioning-common';
import type { ProvisioningService } from '@paved/backstage-plugin-provisioning-node';
import { dependsOnRefreshKey } from './DependsOnProcessor';
import { entityNames, resourceToEntity } from './resourceToEntity';

/** Events topic the provisioning backend publishes when a resource changes. @public */
export const RESOURCE_CHANGED_TOPIC = 'paved.provisioning.resource-changed';

const PAGE_SIZE = 500;

/**
 * Options of {@link ProvisioningEntityProvider.create}.
 * @public
 */
export interface ProvisioningEntityProviderOptions {
  provisioning: ProvisioningService;
  auth: AuthService;
  logger: LoggerService;
  /** The portal's frontend base URL, for links to `/provisioning/resources/<id>`. */
  appBaseUrl: string;
  /** Runs {@link ProvisioningEntityProvider.refresh} on a schedule once connected; omit to refresh only on demand. */
  taskRunner?: SchedulerServiceTaskRunner;
  /** Refreshes immediately on the topic `paved.provisioning.resource-changed` when given. */
  events?: EventsService;
}

/**
 * Makes every live (non-deleted) provisioned resource a `kind: Resource` entity: `spec.type` from the resource
 * type's `entityType`, `spec.owner`, `spec.system`, `spec.dependencyOf` the entity it belongs to, and the
 * annotations `paved.dev/resource-id`, `paved.dev/resource-state` and `paved.dev/resource-type`. The scheduled
 * refresh reads all resources from the provisioning backend (as the catalog's own service principal) and applies a
 * full mutation, so deleted resources disappear; a change event (`{ id }` on the topic) reads only that resource
 * and applies a delta mutation keyed by it. Secrets are never read.
 *
 * When the provisioning backend cannot be reached the provider keeps the current entities (it never applies an
 * empty mutation on errors) and logs at debug level until its first successful refresh, at warn level after.
 *
 * @public
 */
export class ProvisioningEntityProvider implements EntityProvider {
  readonly #provisioning: ProvisioningService;
  readonly #auth: AuthService;
  readonly #logger: LoggerService;
  readonly #appBaseUrl: string;
  readonly #taskRunner?: SchedulerServiceTaskRunner;
  readonly #events?: EventsService;
  #connection?: EntityProviderConnection;
  #running?: Promise<void>;
  #again = false;
  #succeeded = false;
  /** Live resources as last applied, by id, with their entity names. */
  #live = new Map<string, { resource: Resource; entityName: string }>();
  #types = new Map<string, ResourceType>();
  /** Changes to apply as deltas, in order, after the running refresh or delta. */
  #pending: string[] = [];

  /** Creates the provider; add it with `catalogProcessingExtensionPoint.addEntityProvider`. */
  static create(
    options: ProvisioningEntityProviderOptions,
  ): ProvisioningEntityProvider {
    return new ProvisioningEntityProvider(options);
  }

  private constructor(options: ProvisioningEntityProviderOptions) {
    this.#provisioning = options.provisioning;
    this.#auth = options.auth;
    this.#logger = options.logger;
    this.#appBaseUrl = options.appBaseUrl.replace(/\/+$/, '');
    this.#taskRunner = options.taskRunner;
    this.#events = options.events;
  }

  /** {@inheritdoc @backstage/plugin-catalog-node#EntityProvider.getProviderName} */
  getProviderName(): string {
    return 'provisioning';
  }

  /** {@inheritdoc @backstage/plugin-catalog-node#EntityProvider.connect} */
  async connect(connection: EntityProviderConnection): Promise<void> {
    this.#connection = connection;
    if (this.#taskRunner) {
      await this.#taskRunner.run({
        id: `${this.getProviderName()}:refresh`,
        fn: () => this.refresh(),
      });
    }
    if (this.#events) {
      await this.#events.subscribe({
        id: 'provisioning-entity-provider',
        topics: [RESOURCE_CHANGED_TOPIC],
        onEvent: params => {
          const id = (params.eventPayload as { id?: unknown } | undefined)?.id;
          return typeof id === 'string' ? this.applyChange(id) : this.refresh();
        },
      });
    }
  }

  /**
   * Applies the change of one resource as a delta mutation (added or removed), instead of re-listing every
   * resource. Falls back to a full refresh before the first successful one, and when the change makes entity
   * names collide across types (names then depend on other resources).
   */
  applyChange(id: string): Promise<void> {
    this.#pending.push(id);
    return this.#drain();
  }

  #drain(): Promise<void> {
    if (this.#running) {
      return this.#running.then(() => (this.#pending.length ? this.#drain() : undefined));
    }
    this.#running = (async () => {
      try {
        while (this.#pending.length > 0 || this.#again) {
          if (this.#again || !this.#succeeded) {
            this.#again = false;
            this.#pending = [];
            await this.#refreshOnce();
            continue;
          }
          const id = this.#pending.shift()!;
          if (!(await this.#deltaOnce(id))) {
            this.#pending = [];
            await this.#refreshOnce();
          }
        }
      } finally {
        this.#running = undefined;
      }
    })();
    return this.#running;
  }

  /** Returns false when a full refresh is needed instead. */
  async #deltaOnce(id: string): Promise<boolean> {
    const connection = this.#connection;
    if (!connection) {
      throw new Error('ProvisioningEntityProvider is not connected');
    }
    let resource: Resource | undefined;
    try {
      const credentials = await this.#auth.getOwnServiceCredentials();
      resource = await this.#provisioning.getResource(id, { credentials });
      if (resource && !this.#types.has(resource.type)) {
        const types = await this.#provisioning.listTypes({ credentials });
        this.#types = new Map(types.map(t => [t.id, t]));
      }
    } catch (error) {
      this.#logger.warn(
        `Could not read provisioned resource ${id}, keeping its Resource entity: ${error}`,
      );
      return true;
    }
    const known = this.#live.get(id);
    const locationKey = `provisioning:${id}`;
    if (!resource || resource.state === 'deleted') {
      if (known) {
        this.#live.delete(id);
        await connection.applyMutation({
          type: 'delta',
          added: [],
          removed: [
            { entityRef: `resource:default/${known.entityName}`, locationKey },
          ],
        });
        // entities that depend on it are processed again, so that their relation is dropped
        await connection.refresh({
          keys: [dependsOnRefreshKey(`resource:default/${known.entityName}`)],
        });
      }
      return true;
    }
    const others = [...this.#live.values()].filter(v => v.resource.id !== id);
    if (others.some(v => v.resource.name === resource!.name)) {
      return false; // a name shared across types: names depend on all resources
    }
    const entityName = resource.name;
    this.#live.set(id, { resource, entityName });
    await connection.applyMutation({
      type: 'delta',
      added: [
        {
          locationKey,
          entity: resourceToEntity({
            resource,
            type: this.#types.get(resource.type),
            entityName,
            appBaseUrl: this.#appBaseUrl,
          }),
        },
      ],
      removed: [],
    });
    return true;
  }

  /**
   * Reads all live resources and replaces the provider's entities. Concurrent calls are coalesced: a call
   * during a refresh runs one more refresh after it. Never throws for an unreachable provisioning backend.
   */
  refresh(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      try {
        do {
          this.#again = false;
          await this.#refreshOnce();
        } while (this.#again);
      } finally {
        this.#running = undefined;
      }
    })();
    return this.#running;
  }

  async #refreshOnce(): Promise<void> {
    const connection = this.#connection;
    if (!connection) {
      throw new Error('ProvisioningEntityProvider is not connected');
    }
    let types: ResourceType[];
    const resources: Resource[] = [];
    try {
      const credentials = await this.#auth.getOwnServiceCredentials();
      types = await this.#provisioning.listTypes({ credentials });
      let cursor: string | undefined;
      do {
        const page = await this.#provisioning.listResources(
          { cursor, limit: PAGE_SIZE },
          { credentials },
        );
        resources.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
    } catch (error) {
      const message = `Could not read provisioned resources, keeping the current Resource entities: ${error}`;
      if (this.#succeeded) {
        this.#logger.warn(message);
      } else {
        this.#logger.debug(message);
      }
      return;
    }

    const live = resources.filter(r => r.state !== 'deleted');
    const typesById = new Map(types.map(t => [t.id, t]));
    const names = entityNames(live);
    this.#types = typesById;
    this.#live = new Map(
      live.map(r => [r.id, { resource: r, entityName: names.get(r.id)! }]),
    );
    await connection.applyMutation({
      type: 'full',
      entities: live.map(resource => ({
        locationKey: `provisioning:${resource.id}`,
        entity: resourceToEntity({
          resource,
          type: typesById.get(resource.type),
          entityName: names.get(resource.id)!,
          appBaseUrl: this.#appBaseUrl,
        }),
      })),
    });
    this.#succeeded = true;
    this.#logger.debug(
      `Applied ${live.length} Resource entities from provisioning`,
    );
  }
}
