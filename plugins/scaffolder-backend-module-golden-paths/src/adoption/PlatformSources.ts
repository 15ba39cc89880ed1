/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';

/** A component's deployments as the service status plugin reports them. @internal */
export interface DeploymentSummary {
  deployments: number;
  /** Epoch ms of the first reported deployment. */
  firstDeployedAt: number;
}

/**
 * What the adoption report needs from Paved's other plugins. The default implementation calls
 * their HTTP APIs through discovery with this plugin's own service token (plugin-to-plugin auth).
 * @internal
 */
export interface AdoptionSources {
  /** Deployment summaries of the given components (only those with deployments). */
  deploymentSummaries(
    entityRefs: string[],
  ): Promise<Map<string, DeploymentSummary>>;
  /** Rolled-up status (`up`, `degraded`, `down`, `unknown`) of every component. */
  componentStates(): Promise<Map<string, string>>;
  /** Creation times (epoch ms) of provisioning requests made at or after `since`. */
  resourceRequests(since: number): Promise<number[]>;
}

/**
 * {@link AdoptionSources} over HTTP: `service-status` (`/v1/deployment-summaries`,
 * `/v1/statuses`) and `provisioning` (`/v1/resources`, newest first, deleted included).
 * @internal
 */
export function createHttpAdoptionSources(options: {
  discovery: DiscoveryService;
  auth: AuthService;
  fetch?: typeof fetch;
}): AdoptionSources {
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

  return {
    async deploymentSummaries(entityRefs) {
      const result = new Map<string, DeploymentSummary>();
      const chunks: string[][] = [];
      for (let i = 0; i < entityRefs.length; i += 100) {
        chunks.push(entityRefs.slice(i, i + 100));
      }
      // A few requests at a time.
      for (let i = 0; i < chunks.length; i += 4) {
        const pages = await Promise.all(
          chunks.slice(i, i + 4).map(part => {
            const query = new URLSearchParams();
            for (const ref of part) {
              query.append('entityRef', ref);
            }
            return get<{
              items: Array<{
                entityRef: string;
                deployments: number;
                firstDeployedAt?: string;
              }>;
            }>('service-status', `/v1/deployment-summaries?${query}`);
          }),
        );
        for (const page of pages) {
          for (const item of page.items) {
            if (item.firstDeployedAt) {
              result.set(item.entityRef, {
                deployments: item.deployments,
                firstDeployedAt: Date.parse(item.firstDeployedAt),
              });
            }
          }
        }
      }
      return result;
    },

    async componentStates() {
      const states = new Map<string, string>();
      let cursor: string | undefined;
      for (let page = 0; page < 1000; page++) {
        const query = new URLSearchParams({ kind: 'component', limit: '100' });
        if (cursor) {
          query.set('cursor', cursor);
        }
        const body = await get<{
          items: Array<{ entityRef: string; state: string }>;
          nextCursor?: string;
        }>('service-status', `/v1/statuses?${query}`);
        for (const item of body.items) {
          states.set(item.entityRef.toLocaleLowerCase('en-US'), item.state);
        }
        cursor = body.nextCursor;
        if (!cursor) {
          break;
        }
      }
      return states;
    },

    async resourceRequests(since) {
      const times: number[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 1000; page++) {
        const query = new URLSearchParams({
          includeDeleted: 'true',
          limit: '100',
        });
        if (cursor) {
          query.set('cursor', cursor);
        }
        const body = await get<{
          items: Array<{ createdAt: string }>;
          nextCursor?: string;
        }>('provisioning', `/v1/resources?${query}`);
        let older = false;
        for (const item of body.items) {
          const at = Date.parse(item.createdAt);
          if (at >= since) {
            times.push(at);
          } else {
            older = true;
          }
        }
        cursor = body.nextCursor;
        // Newest first: once a page reaches before the window, the rest is older.
        if (!cursor || older) {
          break;
        }
      }
      return times;
    },
  };
}
