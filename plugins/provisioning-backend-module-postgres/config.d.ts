export interface Config {
  provisioning?: {
    drivers?: {
      /**
       * The built-in `postgres` driver. When `connection` is absent the driver is not registered.
       */
      postgres?: {
        /**
         * Admin connection used to create roles and databases. The user needs SUPERUSER, or
         * CREATEROLE and CREATEDB. Absent by default: the driver is then not registered.
         */
        connection?: {
          /** Host of the PostgreSQL server. */
          host: string;
          /** Port of the PostgreSQL server. Default 5432. */
          port?: number;
          /** Admin user. */
          user: string;
          /**
           * Password of the admin user. Default: none (e.g. trust or peer authentication).
           * @visibility secret
           */
          password?: string;
          /** Database the admin connection uses. Default `postgres`. */
          database?: string;
        };
        /** Host shown to users in the outputs and connection URL. Default: `connection.host`. */
        publicHost?: string;
        /** Port shown to users in the outputs and connection URL. Default: `connection.port`. */
        publicPort?: number;
        /**
         * Connection limit (connections) per value of the `size` parameter.
         * Default `{ small: 10, medium: 25, large: 50 }`; entries given here are merged over the defaults.
         */
        connectionLimits?: { [size: string]: number };
        /** Connection limit (connections) when a resource has no `size` parameter. Default 10. */
        defaultConnectionLimit?: number;
      };
    };
  };
}
