/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';

/** A provisioned resource as the scorecard sees it. @public */
export interface PavedResourceFacts {
  entityRef?: string;
  state: string;
  drifted: boolean;
}

/** An open incident as the scorecard sees it. @public */
export interface PavedOpenIncident {
  entityRef: string;
  /** Epoch ms. */
  createdAt: number;
}

/**
 * What the Paved fact retriever reads from Paved's other plugins. The default implementation
 * ({@link createHttpPavedSources}) calls their HTTP APIs through discovery with this plugin's
 * own service token; tests pass fakes.
 * @public
 */
export interface PavedSources {
  /** Uptime (0..1) over the last 7 days of one entity; undefined without samples. */
  uptime7d(entityRef: string): Promise<number | undefined>;
  /** Deployments reported per entity (only entities with deployments). */
  deploymentCounts(entityRefs: string[]): Promise<Map<string, number>>;
  /** Components made from a versioned template, and whether each is behind its latest version. */
  templateVersions(): Promise<Map<string, { behind: boolean }>>;
  /** Every live provisioned resource (deleted ones excluded). */
  resources(): Promise<PavedResourceFacts[]>;
  /** Every open incident. */
  openIncidents(): Promise<PavedOpenIncident[]>;
}

/**
 * {@link PavedSources} over HTTP: `service-status` (`/v1/history`, `/v1/deployment-summaries`,
 * `/v1/incidents`), the golden paths module under `scaffolder` (`/golden-paths/v1/templates`) and
 * `provisioning` (`/v1/resources`).
 * @public
 */
export function createHttpPavedSources(options: {
  discovery: DiscoveryService;
  auth: AuthService;
  fetch?: typeof fetch;
}): PavedSources {
  const { discovery, auth } = options;
  const doFetch = options.fetch ?? fetch;

  async function get<T>(pluginId: string, path: string): Promise<T> {
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: pluginId,
    });
    const baseUrl = await discovery.getBaseUrl(pluginId);
    const response = await doFetch(`${baseUrl}${path}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }

  async function pages<T>(
    pluginId: string,
    path: string,
    params: Record<string, string>,
  ): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 1000; page++) {
      const query = new URLSearchParams({ ...params, limit: '100' });
      if (cursor) query.set('cursor', cursor);
      const body = await get<{ items: T[]; nextCursor?: string }>(
        pluginId,
        `${path}?${query}`,
      );
      items.push(...body.items);
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    return items;
  }

  return {
    async uptime7d(entityRef) {
      const history = await get<{
        uptime: Array<{ window: string; uptimeRatio: number | null; samples: number }>;
      }>('service-status', `/v1/history?${new URLSearchParams({ entityRef, hours: '1' })}`);
      const week = history.uptime.find(u => u.window === '7d');
      return week && week.samples > 0 && week.uptimeRatio !== null
        ? week.uptimeRatio
        : undefined;
    },
    async deploymentCounts(entityRefs) {
      const counts = new Map<string, number>();
      for (let i = 0; i < entityRefs.length; i += 100) {
        const query = new URLSearchParams();
        for (const ref of entityRefs.slice(i, i + 100)) query.append('entityRef', ref);
        const body = await get<{ items: Array<{ entityRef: string; deployments: number }> }>(
          'service-status',
          `/v1/deployment-summaries?${query}`,
        );
        for (const item of body.items) counts.set(item.entityRef, item.deployments);
      }
      return counts;
    },
    async templateVersions() {
      const body = await get<{
        items: Array<{ services: Array<{ entityRef: string; behind: boolean }> }>;
      }>('scaffolder', '/golden-paths/v1/templates');
      const result = new Map<string, { behind: boolean }>();
      for (const template of body.items) {
        for (const service of template.services) {
          result.set(service.entityRef.toLocaleLowerCase('en-US'), { behind: service.behind });
        }
      }
      return result;
    },
    async resources() {
      return pages<PavedResourceFacts>('provisioning', '/v1/resources', {});
    },
    async openIncidents() {
      const items = await pages<{ entityRef: string; createdAt: string }>(
        'service-status',
        '/v1/incidents',
        { state: 'open' },
      );
      return items.map(i => ({ entityRef: i.entityRef, createdAt: Date.parse(i.createdAt) }));
    },
  };
}
