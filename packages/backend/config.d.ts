/*
 * Configuration read by the Paved backend package itself (packages/backend/src/modules/*).
 */
import { HumanDuration } from '@backstage/types';

export interface Config {
  backend?: {
    database?: {
      /**
       * Start-up lock (PostgreSQL only): replicas that start together on one database server take
       * turns, one PostgreSQL advisory lock per `backend.database.prefix`, held from a replica's
       * first plugin database client until every plugin has started, so Backstage's plugin
       * migrations never race. Ignored on SQLite.
       */
      startupLock?: {
        /** Default `true` on PostgreSQL. */
        enabled?: boolean;
        /**
         * Longest wait for another replica's start-up; after it the start-up fails (exit 1).
         * Default 10 minutes.
         */
        timeout?: HumanDuration | string;
      };
    };
  };
}
