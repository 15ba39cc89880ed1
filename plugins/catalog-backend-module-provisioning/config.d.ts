import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  catalog?: {
    providers?: {
      /** The provisioning entity provider: provisioned resources become `kind: Resource` entities. */
      provisioning?: {
        /**
         * How often the provider reads all live resources and replaces its entities (a full mutation).
         * It also refreshes immediately on the events topic `paved.provisioning.resource-changed`.
         * Default `{ frequency: { seconds: 10 }, timeout: { minutes: 1 } }`.
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
  };
}
