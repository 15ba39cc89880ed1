import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { ANNOTATION_HEALTH_URL } from '@paved/backstage-plugin-service-status-common';
import { SampleInput, SampleStore } from '../../database/SampleStore';
import { ServiceStatusConfig } from '../../config';
import { healthUrlProblem, probeUrl } from './probeUrl';
import { resourceHealth } from './resourceHealth';

/** Outcome of one probe run. @internal */
export interface ProbeRunSummary {
  probed: number;
  fromResourceState: number;
  up: number;
  degraded: number;
  down: number;
}

/**
 * One run of the probe task: reads Components and Resources from the catalog, probes each
 * `paved.dev/health-url` (bounded concurrency) and records provisioned resources' state, then
 * stores all samples. Runs as a global scheduled task, so one replica per interval.
 * @internal
 */
export class ProbeTask {
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #logger: LoggerService;
  readonly #samples: SampleStore;
  readonly #config: ServiceStatusConfig;

  static create(options: {
    catalog: CatalogService;
    auth: AuthService;
    logger: LoggerService;
    samples: SampleStore;
    config: ServiceStatusConfig;
  }): ProbeTask {
    return new ProbeTask(options);
  }

  private constructor(options: {
    catalog: CatalogService;
    auth: AuthService;
    logger: LoggerService;
    samples: SampleStore;
    config: ServiceStatusConfig;
  }) {
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#logger = options.logger;
    this.#samples = options.samples;
    this.#config = options.config;
  }

  /**
   * One probe run. `entities` are the Components and Resources to probe when the caller has
   * read them already (the scheduled task reads the catalog once for the probes and the
   * snapshot); otherwise they are read from the catalog.
   */
  async run(
    signal?: AbortSignal,
    entities?: Entity[],
  ): Promise<ProbeRunSummary> {
    const items = entities ?? (await this.#readEntities());

    const samples: SampleInput[] = [];
    const probes: Array<{ entityRef: string; url: string }> = [];
    let fromResourceState = 0;
    for (const entity of items) {
      const entityRef = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
      const url = entity.metadata.annotations?.[ANNOTATION_HEALTH_URL];
      if (url) {
        // Invalid or disallowed URLs are not probed; the status reports them as a configuration
        // problem (see RollupContext).
        if (!healthUrlProblem(url, this.#config.probes.allow)) {
          probes.push({ entityRef, url });
        }
        continue;
      }
      const health = resourceHealth(entity);
      if (health) {
        fromResourceState += 1;
        samples.push({
          entityRef,
          at: Date.now(),
          source: 'resource',
          state: health.state,
          error: health.error,
        });
      }
    }

    const probeOptions = {
      allow: this.#config.probes.allow,
      timeoutMs: this.#config.probes.timeoutMs,
      degradedLatencyMs: this.#config.probes.degradedLatencyMs,
      maxRedirects: this.#config.probes.maxRedirects,
    };
    let next = 0;
    const worker = async () => {
      while (next < probes.length && !signal?.aborted) {
        const { entityRef, url } = probes[next++];
        const at = Date.now();
        const outcome = await probeUrl(url, probeOptions);
        samples.push({ entityRef, at, source: 'probe', ...outcome });
      }
    };
    await Promise.all(
      Array.from(
        { length: Math.min(this.#config.probes.concurrency, probes.length) },
        worker,
      ),
    );

    await this.#samples.recordSamples(samples);
    const summary: ProbeRunSummary = {
      probed: probes.length,
      fromResourceState,
      up: samples.filter(s => s.state === 'up').length,
      degraded: samples.filter(s => s.state === 'degraded').length,
      down: samples.filter(s => s.state === 'down').length,
    };
    this.#logger.debug('Health probe run finished', { ...summary });
    return summary;
  }

  async #readEntities(): Promise<Entity[]> {
    const credentials = await this.#auth.getOwnServiceCredentials();
    const { items } = await this.#catalog.getEntities(
      {
        filter: [{ kind: 'Component' }, { kind: 'Resource' }],
        fields: [
          'kind',
          'metadata.namespace',
          'metadata.name',
          'metadata.annotations',
        ],
      },
      { credentials },
    );
    return items;
  }
}
