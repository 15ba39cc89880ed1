export interface Config {
  provisioning?: {
    drivers?: {
      /**
       * The built-in `redis` driver (one ACL user per resource, restricted to its key prefix).
       * When `url` is absent the driver is not registered.
       */
      redis?: {
        /**
         * Admin connection URL, e.g. `redis://default:password@redis.internal:6379/0` (`rediss://` for TLS).
         * The user needs the `@admin` ACL category. Default: none (the driver is not registered).
         * @visibility secret
         */
        url?: string;
        /** Host shown to users in the outputs and connection URL. Default: the host of `url`. */
        publicHost?: string;
        /** Port shown to users in the outputs and connection URL. Default: the port of `url`. */
        publicPort?: number;
        /**
         * ACL command rules given to each resource's user.
         * Default `+@all -@admin -@dangerous -select -move -swapdb`: everything on its own keys except
         * administration, dangerous commands (KEYS, FLUSHDB, FLUSHALL, CONFIG, DEBUG, …) and
         * switching or moving between logical databases.
         */
        commands?: string;
        /**
         * Memory budget in bytes of each size (the value of the resource's `size` parameter): the `maxmemory`
         * that a resource's used memory (`MEMORY USAGE` over its key prefix) is measured against for rightsizing.
         * Default `{ small: 67108864, medium: 268435456, large: 1073741824 }` (64 MiB, 256 MiB, 1 GiB).
         */
        maxMemoryBytes?: { [size: string]: number };
        /**
         * At most this many keys of a resource are measured with `MEMORY USAGE` per observation (drift check);
         * further keys are counted (SCAN) but not measured, and the memory figure is marked partial. Default 10000.
         */
        utilisationKeyLimit?: number;
      };
    };
  };
}
