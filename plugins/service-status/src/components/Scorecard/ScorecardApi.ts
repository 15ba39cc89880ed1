import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/core-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';

/**
 * One scorecard check's result for an entity, as the community Tech Insights backend
 * (`@backstage-community/plugin-tech-insights-backend`, jsonfc checks) returns it.
 * @public
 */
export interface ScorecardCheckResult {
  check: { id: string; name: string; description: string };
  result: boolean;
  facts?: Record<string, { value?: unknown }>;
}

/**
 * Reads Paved scorecards from the Tech Insights backend (`/api/tech-insights`).
 * @public
 */
export interface ScorecardApi {
  /** Runs every configured check for one entity. */
  runChecks(entityRef: string): Promise<ScorecardCheckResult[]>;
  /** Runs every configured check for many entities at once. */
  runChecksForEntities(
    entityRefs: string[],
  ): Promise<Array<{ entity: string; results: ScorecardCheckResult[] }>>;
}

/** API reference for {@link ScorecardApi}. @public */
export const scorecardApiRef = createApiRef<ScorecardApi>({
  id: 'plugin.service-status.scorecards',
});

/** The default {@link ScorecardApi}: `fetchApi` adds the user's token. @public */
export class ScorecardClient implements ScorecardApi {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
  }

  async #post<T>(path: string, body: unknown): Promise<T> {
    const base = await this.#discoveryApi.getBaseUrl('tech-insights');
    const res = await this.#fetchApi.fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return (await res.json()) as T;
  }

  async runChecks(entityRef: string): Promise<ScorecardCheckResult[]> {
    const { namespace, kind, name } = parseEntityRef(entityRef);
    const path = [namespace, kind, name].map(encodeURIComponent).join('/');
    return this.#post(`/checks/run/${path}`, {});
  }

  async runChecksForEntities(entityRefs: string[]) {
    if (entityRefs.length === 0) return [];
    return this.#post<Array<{ entity: string; results: ScorecardCheckResult[] }>>(
      '/checks/run',
      { entities: entityRefs.map(ref => stringifyEntityRef(parseEntityRef(ref))) },
    );
  }
}
