import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ResourceUtilisation } from '@paved/backstage-plugin-provisioning-node';
import type { StoredResource } from '../database/types';
import type { DemoUtilisation } from '../recommendations/config';
import { dayBefore, KnexUtilisationStore, utcDay } from './KnexUtilisationStore';

/**
 * Keeps what the drivers measure when the drift checker observes a resource: each sample is merged into the
 * resource's daily peak (UTC day, current size). Runs on an injected clock (`now`, epoch ms).
 * Demo resources named in `provisioning.rightsizing.demoUtilisation` get their earlier days seeded (DEMO DATA).
 * @internal
 */
export class UtilisationRecorder {
  readonly #store: KnexUtilisationStore;
  readonly #now: () => number;
  readonly #logger: LoggerService;
  readonly #demo: DemoUtilisation[];

  constructor(options: {
    store: KnexUtilisationStore;
    logger: LoggerService;
    now?: () => number;
    demo?: DemoUtilisation[];
  }) {
    this.#store = options.store;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
    this.#demo = options.demo ?? [];
  }

  /** The size parameter of a resource (`''` without one). */
  static sizeOf(resource: Pick<StoredResource, 'parameters'>): string {
    const size = resource.parameters?.size;
    return typeof size === 'string' ? size : '';
  }

  /** Records one sample of `resource`, taken now. Never throws (a failed sample is logged). */
  async record(resource: StoredResource, utilisation: ResourceUtilisation): Promise<void> {
    const at = this.#now();
    const day = utcDay(at);
    const size = UtilisationRecorder.sizeOf(resource);
    try {
      await this.#store.record({ resourceId: resource.id, day, size, at, utilisation });
      const demo = this.#demo.find(
        d => d.type === resource.type && d.name === resource.name && d.size === size,
      );
      if (demo) {
        await this.#store.insertMissing(
          Array.from({ length: demo.days }, (_, i) => ({
            resourceId: resource.id,
            day: dayBefore(day, i + 1),
            size,
            at,
            demo: true,
            peakConnections: demo.peakConnections,
            connectionLimit: utilisation.connections?.limit,
            peakMemoryBytes: demo.peakMemoryBytes,
            memoryLimitBytes: utilisation.memory?.limitBytes,
            maxKeys: demo.keys,
            capacity: utilisation.capacityBySize,
          })),
        );
      }
    } catch (e) {
      this.#logger.warn(
        `Recording the utilisation of ${resource.type}/${resource.name} failed: ${(e as Error).message}`,
      );
    }
  }
}
