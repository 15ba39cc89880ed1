import {
  RootConfigService,
  SchedulerServiceTaskScheduleDefinition,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';

/**
 * Parsed configuration of the provisioning entity provider.
 * @internal
 */
export interface ProvisioningProviderConfig {
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** The portal's frontend base URL (`app.baseUrl`), for links to resource pages. */
  appBaseUrl: string;
}

/** Default refresh schedule: every 10 s, timing out after 1 min. @internal */
export const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { seconds: 10 },
  timeout: { minutes: 1 },
};

/**
 * Reads `catalog.providers.provisioning` and `app.baseUrl`.
 * @internal
 */
export function readProvisioningProviderConfig(
  config: RootConfigService,
): ProvisioningProviderConfig {
  const scheduleConfig = config.getOptionalConfig(
    'catalog.providers.provisioning.schedule',
  );
  return {
    schedule: scheduleConfig
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(scheduleConfig)
      : DEFAULT_SCHEDULE,
    appBaseUrl: config.getString('app.baseUrl').replace(/\/+$/, ''),
  };
}
