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
      };
    };
  };
}
