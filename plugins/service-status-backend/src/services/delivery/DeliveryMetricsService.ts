import type {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type {
  DeliveryMetrics,
  DeliveryMetricsQuery,
  DeliveryMetricsResponse,
} from '@paved/backstage-plugin-service-status-common';
import { DeliveryStore } from '../../database/DeliveryStore';
import { normalizeEntityRef, ownerRef, refOf } from '../status/entityRefs';
import {
  computeDeliveryMetrics,
  DeliveryDeployment,
  DeliveryIncident,
  deliveryWindow,
  markFailedChanges,
} from './computeDelivery';

/** Default window of the delivery metrics, in weeks. @internal */
export const DEFAULT_DELIVERY_WEEKS = 12;
/** Default environment of the delivery metrics. @internal */
export const DEFAULT_DELIVERY_ENVIRONMENT = 'production';

/**
 * DORA delivery metrics per service (Component entity) or per team (its owning group), from the
 * deployments and incidents this plugin stores. Only entities the caller may read in the catalog
 * are counted; deployments and incidents of entities gone from the catalog are left out.
 * @internal
 */
export class DeliveryMetricsService {
  readonly #store: DeliveryStore;
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #clock: () => number;

  static create(options: {
    store: DeliveryStore;
    catalog: CatalogService;
    auth: AuthService;
    clock?: () => number;
  }): DeliveryMetricsService {
    return new DeliveryMetricsService(options);
  }

  private constructor(options: {
    store: DeliveryStore;
    catalog: CatalogService;
    auth: AuthService;
    clock?: () => number;
  }) {
    this.#store = options.store;
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#clock = options.clock ?? Date.now;
  }

  /** The metrics of the window. Throws InputError (400) for malformed refs. */
  async get(
    query: DeliveryMetricsQuery,
    credentials: BackstageCredentials,
  ): Promise<DeliveryMetricsResponse> {
    const groupBy = query.groupBy ?? 'service';
    const weeks = query.weeks ?? DEFAULT_DELIVERY_WEEKS;
    const environment = query.environment ?? DEFAULT_DELIVERY_ENVIRONMENT;
    const entityFilter = query.entityRef
      ? [normalizeEntityRef(query.entityRef)]
      : undefined;
    const ownerFilter = query.owner
      ? normalizeEntityRef(query.owner, { defaultKind: 'group' })
      : undefined;
    const { from, to } = deliveryWindow(this.#clock(), weeks);

    const [deployments, incidents] = await Promise.all([
      this.#store.deployments({
        from,
        to,
        environment,
        entityRefs: entityFilter,
      }),
      // Incidents up to an hour after the window's first deployments decide failed changes.
      this.#store.incidents({
        from: from - 86_400_000,
        to,
        entityRefs: entityFilter,
      }),
    ]);

    const owners = await this.#owners(
      [
        ...new Set([
          ...deployments.map(d => d.entityRef),
          ...incidents.map(i => i.entityRef),
        ]),
      ],
      credentials,
    );
    const keep = (ref: string) =>
      owners.has(ref) && (!ownerFilter || owners.get(ref) === ownerFilter);
    const marked = markFailedChanges(deployments, incidents).filter(d =>
      keep(d.entityRef),
    );
    const kept = incidents.filter(i => keep(i.entityRef));

    const keyOf = (ref: string) =>
      groupBy === 'team' ? owners.get(ref) ?? 'unknown' : ref;
    const groups = new Map<
      string,
      {
        deployments: typeof marked;
        incidents: DeliveryIncident[];
        services: Set<string>;
      }
    >();
    const group = (ref: string) => {
      const key = keyOf(ref);
      let g = groups.get(key);
      if (!g) {
        g = { deployments: [], incidents: [], services: new Set() };
        groups.set(key, g);
      }
      g.services.add(ref);
      return g;
    };
    for (const d of marked) {
      group(d.entityRef).deployments.push(d);
    }
    for (const i of kept) {
      group(i.entityRef).incidents.push(i);
    }

    const items: DeliveryMetrics[] = [...groups.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, g]) => {
        const metrics = computeDeliveryMetrics({
          key,
          kind: groupBy,
          deployments: g.deployments,
          incidents: g.incidents,
          from,
          to,
          weeks,
        });
        if (groupBy === 'team') {
          return { ...metrics, services: g.services.size };
        }
        const owner = owners.get(key);
        return owner && owner !== 'unknown' ? { ...metrics, owner } : metrics;
      });
    const total = computeDeliveryMetrics({
      key: 'all',
      kind: groupBy,
      deployments: marked,
      incidents: kept,
      from,
      to,
      weeks,
    });

    return {
      groupBy,
      weeks,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      environment,
      items,
      total: {
        ...total,
        services: new Set([
          ...marked.map(d => d.entityRef),
          ...kept.map(i => i.entityRef),
        ]).size,
      },
    };
  }

  /** Owner group of each Component among `refs` that the caller may read (`unknown` without one). */
  async #owners(
    refs: string[],
    credentials: BackstageCredentials,
  ): Promise<Map<string, string>> {
    const owners = new Map<string, string>();
    const catalogCredentials = this.#auth.isPrincipal(credentials, 'service')
      ? await this.#auth.getOwnServiceCredentials()
      : credentials;
    for (let i = 0; i < refs.length; i += 500) {
      const part = refs.slice(i, i + 500);
      const { items } = await this.#catalog.getEntitiesByRefs(
        {
          entityRefs: part,
          fields: [
            'kind',
            'metadata.name',
            'metadata.namespace',
            'spec.owner',
            'relations',
          ],
        },
        { credentials: catalogCredentials },
      );
      for (const entity of items) {
        if (entity && entity.kind.toLocaleLowerCase('en-US') === 'component') {
          owners.set(refOf(entity), ownerRef(entity) ?? 'unknown');
        }
      }
    }
    return owners;
  }
}

export type { DeliveryDeployment };
