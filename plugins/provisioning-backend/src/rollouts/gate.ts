import type {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { StoredResource } from '../database/types';
import type { RolloutRecord } from './types';

/** The verdict of a health gate. @internal */
export type GateVerdict =
  | { passed: true }
  | {
      passed: false;
      /** The resource found unhealthy (it is rolled back), if the failure is about one. */
      resourceId?: string;
      reason: string;
    };

/**
 * A health gate between waves, beyond the built-in check (every resource of the wave `ready` and not drifted).
 * Asked while a wave soaks and once more when the soak ends; a failed verdict stops the rollout (and rolls the
 * named resource back). Inject your own through the runner (tests do).
 * @internal
 */
export interface RolloutGate {
  check(input: {
    rollout: RolloutRecord;
    /** 0-based wave index. */
    wave: number;
    /** The wave's applied resources, as stored now. */
    resources: StoredResource[];
  }): Promise<GateVerdict>;
}

/** A gate that always passes (`provisioning.rollouts.healthGate: none`). @internal */
export const noHealthGate: RolloutGate = {
  async check() {
    return { passed: true };
  },
};

/** The built-in part of every gate: each resource ready and not drifted. @internal */
export function builtInVerdict(resources: StoredResource[]): GateVerdict {
  for (const r of resources) {
    if (r.state !== 'ready') {
      return { passed: false, resourceId: r.id, reason: `${r.type}/${r.name} is ${r.state}, not ready` };
    }
    if (r.drifted) {
      return {
        passed: false,
        resourceId: r.id,
        reason: `${r.type}/${r.name} drifted${r.reason ? `: ${r.reason}` : ''}`,
      };
    }
  }
  return { passed: true };
}

type StatusAnswer = { state?: string; reasons?: Array<{ message?: string }> };

/**
 * The service-status gate: each resource's rolled-up status (its catalog Resource, `resource:default/<name>`
 * or `resource:default/<name>-<type>`) must not be `down`, and every catalog entity that `dependsOn` it must
 * be neither `degraded` nor `down`. An entity the service-status API does not know (404) or whose state is
 * `unknown` (nothing probes it) passes. Calls `GET /api/service-status/v1/status` through discovery with a
 * plugin-to-plugin token; when the API cannot be reached the gate fails (a gate that cannot see must not pass).
 * @internal
 */
export class ServiceStatusGate implements RolloutGate {
  readonly #discovery: DiscoveryService;
  readonly #auth: AuthService;
  readonly #catalog: CatalogService;
  readonly #logger: LoggerService;
  readonly #fetch: typeof fetch;

  constructor(options: {
    discovery: DiscoveryService;
    auth: AuthService;
    catalog: CatalogService;
    logger: LoggerService;
    fetch?: typeof fetch;
  }) {
    this.#discovery = options.discovery;
    this.#auth = options.auth;
    this.#catalog = options.catalog;
    this.#logger = options.logger;
    this.#fetch = options.fetch ?? fetch;
  }

  async #status(baseUrl: string, token: string, entityRef: string): Promise<StatusAnswer | undefined> {
    const url = `${baseUrl}/v1/status?entityRef=${encodeURIComponent(entityRef)}`;
    const res = await this.#fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    if (res.status === 404) return undefined;
    if (!res.ok) {
      throw new Error(`service-status answered ${res.status} for ${entityRef}`);
    }
    return (await res.json()) as StatusAnswer;
  }

  async check(input: Parameters<RolloutGate['check']>[0]): Promise<GateVerdict> {
    if (input.resources.length === 0) return { passed: true };
    try {
      const credentials = await this.#auth.getOwnServiceCredentials();
      const [baseUrl, { token }] = await Promise.all([
        this.#discovery.getBaseUrl('service-status'),
        this.#auth.getPluginRequestToken({ onBehalfOf: credentials, targetPluginId: 'service-status' }),
      ]);
      for (const r of input.resources) {
        const refs = [`resource:default/${r.name}`, `resource:default/${r.name}-${r.type}`];
        for (const ref of refs) {
          const status = await this.#status(baseUrl, token, ref);
          if (status?.state === 'down') {
            const why = status.reasons?.map(x => x.message).filter(Boolean).join('; ');
            return { passed: false, resourceId: r.id, reason: `${ref} is down${why ? `: ${why}` : ''}` };
          }
        }
        const { items } = await this.#catalog.getEntities(
          {
            filter: refs.map(ref => ({ 'relations.dependsOn': ref })),
            fields: ['kind', 'metadata.name', 'metadata.namespace'],
          },
          { credentials },
        );
        for (const e of items) {
          const ref = stringifyEntityRef(e);
          const status = await this.#status(baseUrl, token, ref);
          if (status?.state === 'degraded' || status?.state === 'down') {
            return {
              passed: false,
              resourceId: r.id,
              reason: `${ref}, which depends on ${r.type}/${r.name}, is ${status.state}`,
            };
          }
        }
      }
      return { passed: true };
    } catch (e) {
      const reason = `the service-status gate could not check the wave: ${(e as Error).message}`;
      this.#logger.warn(reason);
      return { passed: false, reason };
    }
  }
}
