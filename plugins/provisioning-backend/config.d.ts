import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Configuration of the Paved provisioning backend. */
  provisioning?: {
    /**
     * Entity ref of the group whose members approve requests that need approval
     * (and may manage every resource). Default `group:default/platform-team`.
     */
    approvers?: string;

    secrets?: {
      /**
       * Key that encrypts generated credentials at rest (AES-256-GCM): 32 bytes in base64,
       * or any other string (a passphrase, stretched with scrypt). Required when NODE_ENV is
       * `production`. Default: unset; in development a random key is generated once into
       * `$PAVED_DATA_DIR/provisioning-secrets.key` (PAVED_DATA_DIR defaults to `../../.data`
       * relative to the backend's working directory) and reused.
       * @visibility secret
       */
      key?: string;
    };

    /** Largest JSON request body accepted, in bytes. Default 65536. */
    maxBodyBytes?: number;

    /** The reconciler that drives resources through their lifecycle. */
    reconciler?: {
      /** How often due work (including crashed replicas' expired claims) is picked up. Default 2 seconds. */
      sweepInterval?: HumanDuration | string;
      /** How often each ready resource is observed for drift. Default 60 seconds. */
      driftCheckInterval?: HumanDuration | string;
      /** Timeout of one driver call (create, update, delete, observe). Default 120 seconds. */
      operationTimeout?: HumanDuration | string;
      /** Lease of a replica's claim on a resource, renewed while it works. Default 30 seconds. */
      leaseDuration?: HumanDuration | string;
      /** Attempts of an operation before the resource is marked `failed`. Default 5. */
      maxAttempts?: number;
      /** Delay before the first retry; doubles with each attempt. Default 1 second. */
      backoffInitial?: HumanDuration | string;
      /** Longest delay between retries. Default 60 seconds. */
      backoffMax?: HumanDuration | string;
    };

    /** Rollouts of resource type versions in health-gated waves (see the README). */
    rollouts?: {
      /** How often running rollouts are advanced (one replica per rollout at a time). Default 2 seconds. */
      tickInterval?: HumanDuration | string;
      /** Lease of a replica's claim on a rollout, renewed while it works on it. Default 30 seconds. */
      leaseDuration?: HumanDuration | string;
      /** How long a wave must stay healthy before the next wave starts, when a rollout names none. Default 1 minute. */
      defaultSoak?: HumanDuration | string;
      /**
       * The health gate beyond "every resource of the wave ready and not drifted": `service-status` also
       * requires each resource's status (the catalog Resource `resource:default/<name>`) not down and the
       * components depending on it not degraded or down, through the service-status API; `none` skips it.
       * Default `service-status`.
       */
      healthGate?: 'service-status' | 'none';
    };

    /** Time-to-live resources: the sweep that deletes expired resources and reminds their owners. */
    ttl?: {
      /** How often expired resources are deleted and due reminders sent (one replica at a time). Default 1 minute. */
      sweepInterval?: HumanDuration | string;
      /**
       * How long before expiry the owner group gets a Backstage notification, each once per expiry time.
       * Default `['2d', '2h', '30m']` (2 days, 2 hours and 30 minutes).
       */
      remindersBefore?: Array<HumanDuration | string>;
    };

    /**
     * The outbox of lifecycle announcements (audit event, signal, notifications, `resource-changed` event): each is
     * recorded with its lifecycle event and marked once made; a sweep announces what a replica committed but never
     * announced (it died in between), so announcements are at least once.
     */
    announcements?: {
      /** How often the sweep runs (on every replica; each event is claimed by one). Default 30 seconds. */
      sweepInterval?: HumanDuration | string;
      /**
       * How old an unannounced event must be before the sweep announces it (longer than an announcement normally
       * takes, so that the sweep does not announce what is being announced). Default 30 seconds.
       */
      gracePeriod?: HumanDuration | string;
    };

    /**
     * Resource types offered to developers. Types whose driver is not installed are skipped
     * with a warning. Default: none.
     */
    types?: Array<{
      /** Stable id, a DNS label, e.g. `postgresql`. */
      id: string;
      /**
       * The type's current version (semantic version): rollouts bring existing resources to it, `GET /types`
       * counts the resources behind it. Default: the highest of `versions`, or `1.0.0` without `versions`.
       */
      version?: string;
      /**
       * The version new resources are created at; lower than `version` to stage a version for rollouts first
       * (the demo config starts its databases at 1.0.0). Default: `version`.
       */
      createVersion?: string;
      /**
       * The settings the driver applies, when the type declares no `versions` (they belong to `version`).
       * See `versions[].settings`. Default: none (the driver's own behaviour).
       */
      settings?: { [key: string]: any };
      /**
       * The type's versions, each with the settings its driver applies at create and update (a rollout applies
       * them to existing resources). Default: one version, `version` (1.0.0), with `settings`.
       */
      versions?: Array<{
        /** Semantic version, e.g. `1.1.0`. */
        version: string;
        /** What changed, shown in the portal. Default: none. */
        description?: string;
        /**
         * Driver settings. postgres: `connectionLimits` (per size), `statementTimeout` (e.g. `30s`, set on the
         * role), `allowedExtensions` (created in the database), `roleAttributes` (e.g. `[NOINHERIT]`). redis:
         * `aclRules` (e.g. `['-@dangerous', '+@read', '+@write']`), `maxmemoryPolicy` (reported only).
         * kubernetes: `specDefaults` (merged under the manifest's spec), `compositionRevision`.
         * Default: none.
         */
        settings?: { [key: string]: any };
      }>;
      /** Display title. Default: the id. */
      title?: string;
      /** Description shown in the portal. Default: empty. */
      description?: string;
      /** The driver that fulfils it, e.g. `postgres`, `redis`, `kubernetes`. */
      driver: string;
      /** Entity `spec.type` of the catalog Resource made for its instances. Default `database`. */
      entityType?: string;
      /**
       * JSON Schema (an object schema) of the parameters; defaults are applied.
       * Declare a `size` enum when `pricing` is set. Default: an object without properties.
       */
      parameters?: { [key: string]: any };
      /** Price per value of the `size` parameter, in USD/month. Default: none (free). */
      pricing?: { [size: string]: number };
      policy?: {
        /** Sizes whose requests and updates need approval. Default: none. */
        approvalRequiredForSizes?: string[];
        /** Most live resources of this type per owner. Default: no quota. */
        quotaPerOwner?: number;
      };
      /** Repair drift by calling the driver again (otherwise only report it). Default false. */
      repairDrift?: boolean;
      /**
       * Driver-specific settings, read only by the driver named in `driver` (e.g. for `kubernetes`: cluster,
       * namespace, apiVersion, kind and a manifest template). Never put secrets here. Default: none.
       */
      driverConfig?: { [key: string]: any };
      /**
       * Time to live of the type's resources (e.g. preview databases): deleted through the normal lifecycle
       * when it ends; owners are reminded before and may extend it up to `max` from then. Default: none
       * (resources do not expire, and a request naming a ttl is refused).
       */
      ttl?: {
        /** Time to live of a request that names none. Default: none (the resource does not expire unless asked). */
        default?: HumanDuration | string;
        /** Longest time to live of a request or an extension, counted from then. Required. */
        max: HumanDuration | string;
        /** Whether every resource must have a time to live (a request without one, with no default, is a 400). Default false. */
        required?: boolean;
      };
      /**
       * Escape hatches: parameters off the golden path ("advanced"), each a property of `parameters`. A request
       * (create, update or estimate) whose value of one lies outside the golden path needs a written
       * `justification` (at least 20 characters; 400 naming the parameter otherwise), waits for approval by
       * `provisioning.approvers` (like a size that needs approval) and is recorded on the resource as a
       * deviation (parameter, value, golden-path default, justification, approver).
       * An entry is a parameter name, or an object. A value is on the golden path when it is absent, satisfies
       * `goldenPath`, or (without `goldenPath`) equals the golden-path default. Default: none.
       */
      advancedParameters?: Array<
        | string
        | {
            /** Name of the parameter (a property of `parameters`). */
            parameter: string;
            /** JSON Schema the golden-path values satisfy (e.g. `{ items: { enum: [pg_trgm, citext] } }`). Default: none. */
            goldenPath?: { [key: string]: any };
            /** The golden-path value, recorded with a deviation. Default: the property's schema `default`. */
            goldenPathDefault?: any;
            /** The golden-path value per `size` (e.g. the connection limit per size); wins over `goldenPathDefault`. Default: none. */
            goldenPathDefaultBySize?: { [size: string]: any };
          }
      >;
    }>;

    /** The cost ledger (daily cost per resource from its real lifetime; issue 13). */
    costs?: {
      /**
       * How often the ledger is accrued (each run recomputes from the day before the last accrued day, so a
       * daily run suffices; more often keeps "this month so far" fresh). Default 1 hour.
       */
      accrualInterval?: HumanDuration | string;
    };

    /**
     * Monthly budgets per team: a request or resize (by a non-approver) that would take the owner's run rate
     * (its live and pending resources at their prices) over its budget needs approval by `approvers`, and
     * `POST /estimates` with `owner` says so. Default: none (no budgets).
     */
    budgets?: Array<{
      /** Owner group entity ref, e.g. `group:default/orders-team`. */
      owner: string;
      /** Budget in USD per month. */
      monthlyUsd: number;
    }>;

    /** Demo-only settings; keep them off in production. */
    demo?: {
      /**
       * Seed a year of made-up cost history (rows marked `demo`, resource ids `demo-…`) so that the showback
       * charts say something on first start. Demo configurations only. Default false.
       */
      seedCostHistory?: boolean;
    };
    /**
     * Rightsizing (issue 13): recommendations from the daily peak utilisation that drivers measure at each drift
     * check. A resource is proposed the cheapest size priced below its own whose capacity holds the window's peak
     * at no more than `targetUtilisation` of it (`peak <= targetUtilisation x capacity(size)`, for connections
     * and memory); idle means no connection / no key at any sample; saving (USD/month) = pricing[current] -
     * pricing[recommended] (an idle resource at the cheapest size: delete, saving its whole price).
     */
    rightsizing?: {
      /** Days of measured utilisation (UTC days, today included) a recommendation rests on. Default 7. */
      windowDays?: number;
      /** Days of the window that must have a sample (its first day always must). Default 5. */
      minSampledDays?: number;
      /** Highest share (0..1] of a smaller size's capacity the peak may use. Default 0.6. */
      targetUtilisation?: number;
      /**
       * DEMO DATA, for demo/dev configurations only: when a resource of `type` named `name` is observed at
       * `size`, its `days` previous days are seeded with these peaks (marked demo; measured rows win). Default none.
       */
      demoUtilisation?: Array<{
        type: string;
        name: string;
        size: string;
        /** Default: windowDays. */
        days?: number;
        peakConnections?: number;
        peakMemoryBytes?: number;
        keys?: number;
      }>;
    };
    /** The fleet inventory (issue 13). */
    inventory?: {
      /** A resource is `expensive` when its monthly cost is above this, in USD/month. Default 100. */
      expensiveMonthlyUsd?: number;
    };
  };
}
