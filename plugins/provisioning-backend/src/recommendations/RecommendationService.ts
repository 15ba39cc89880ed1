import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { Resource } from '@paved/backstage-plugin-provisioning-common';
import type { ResourceService } from '../service/ResourceService';
import type { TypeRegistry } from '../service/TypeRegistry';
import { dayBefore, KnexUtilisationStore, utcDay } from '../utilisation/KnexUtilisationStore';
import type { RightsizingConfig } from './config';
import { Recommendation, recommend } from './recommend';

/** Lists every readable live resource (pages of 500 through the permission-filtered service). @internal */
export async function listAllResources(
  service: ResourceService,
  credentials: BackstageCredentials,
  filter: { owners?: string[] } = {},
): Promise<Resource[]> {
  const items: Resource[] = [];
  let cursor: string | undefined;
  do {
    const page = await service.list({ ...filter, cursor, limit: 500 }, credentials);
    items.push(...(page.items as Resource[]));
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/**
 * Rightsizing recommendations of the resources the caller may read, computed on request from the stored daily
 * utilisation (see {@link recommend} for the thresholds and the formula), largest saving first.
 * Read-only: nothing is ever changed by a recommendation.
 * @internal
 */
export class RecommendationService {
  readonly #service: ResourceService;
  readonly #types: TypeRegistry;
  readonly #store: KnexUtilisationStore;
  readonly #config: RightsizingConfig;
  readonly #now: () => number;

  constructor(options: {
    service: ResourceService;
    types: TypeRegistry;
    store: KnexUtilisationStore;
    config: RightsizingConfig;
    now?: () => number;
  }) {
    this.#service = options.service;
    this.#types = options.types;
    this.#store = options.store;
    this.#config = options.config;
    this.#now = options.now ?? Date.now;
  }

  async list(
    query: { owners?: string[]; resourceId?: string },
    credentials: BackstageCredentials,
  ): Promise<{ items: Recommendation[]; totalMonthlySavingUsd: number }> {
    let resources: Resource[];
    if (query.resourceId) {
      resources = [(await this.#service.get(query.resourceId, { credentials })) as Resource];
    } else {
      resources = await listAllResources(this.#service, credentials, { owners: query.owners });
    }
    resources = resources.filter(r => r.state === 'ready');
    const today = utcDay(this.#now());
    const days = resources.length
      ? await this.#store.list({
          fromDay: dayBefore(today, this.#config.windowDays - 1),
          resourceIds: resources.map(r => r.id),
        })
      : [];
    const byResource = new Map<string, typeof days>();
    for (const d of days) {
      const list = byResource.get(d.resourceId) ?? [];
      list.push(d);
      byResource.set(d.resourceId, list);
    }
    const items: Recommendation[] = [];
    for (const resource of resources) {
      const type = this.#types.get(resource.type);
      const rowsOf = byResource.get(resource.id);
      if (!type || !rowsOf) continue;
      const rec = recommend({ resource, type, days: rowsOf, today, config: this.#config });
      if (rec) items.push(rec);
    }
    items.sort((a, b) => b.monthlySavingUsd - a.monthlySavingUsd || a.resourceName.localeCompare(b.resourceName));
    return {
      items,
      totalMonthlySavingUsd: items.reduce((sum, r) => sum + r.monthlySavingUsd, 0),
    };
  }
}
