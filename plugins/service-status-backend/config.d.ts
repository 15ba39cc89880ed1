import { HumanDuration } from '@backstage/types';
import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /** Configuration of the Paved service status backend (`@paved/backstage-plugin-service-status-backend`). */
  serviceStatus?: {
    /** Health probes of entities annotated with `paved.dev/health-url`. */
    probes?: {
      /**
       * When the probe task runs (one replica per run).
       * Default `{ frequency: { seconds: 30 }, timeout: { minutes: 2 } }`.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** Timeout of one probe (all redirects included), e.g. `5s` or `{ seconds: 5 }`. Default 5 seconds. */
      timeout?: HumanDuration | string;
      /** How many probes run at the same time. Default 16 (a 2,000-endpoint cycle takes ~13 s on 2 cores; see the README). */
      concurrency?: number;
      /** A 2xx answer slower than this many ms counts as degraded. Default 1000. */
      degradedLatencyMs?: number;
      /** Most redirects followed (each must stay within `allow`). Default 3. */
      maxRedirects?: number;
      /**
       * Host patterns that may be probed: `host`, `host:port`, or `*.domain` (any subdomain).
       * Link-local and cloud metadata addresses are refused even when allowed.
       * Default `['localhost', '127.0.0.1']`.
       */
      allow?: string[];
      /**
       * A probe result older than this counts as `unknown` (stale), e.g. `5m`. Default 5 minutes.
       */
      staleAfter?: HumanDuration | string;
    };
    /** Retention of health history. */
    retention?: {
      /** Raw samples older than this are rolled up into hourly rows and deleted. Default 7 days. */
      rawSamples?: HumanDuration | string;
      /** Hourly rollups older than this are deleted. Default 90 days. */
      hourly?: HumanDuration | string;
      /** When the rollup task runs. Default `{ frequency: { minutes: 15 }, timeout: { minutes: 10 } }`. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
    /**
     * Entity ref of the group whose members may open, update and resolve incidents on any entity
     * (besides members of the entity's owning group). Default `group:default/platform-team`.
     */
    platformGroup?: string;
    /** The status roll-up over `dependsOn` relations. */
    rollup?: {
      /** How many levels of dependencies are followed. Default 5. */
      maxDepth?: number;
    };
  };
}
