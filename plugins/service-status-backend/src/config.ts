import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import {
  Config,
  ConfigReader,
  readDurationFromConfig,
} from '@backstage/config';
import { normalizeEntityRef } from './services/status/entityRefs';
import { durationToMilliseconds } from '@backstage/types';

/**
 * The parsed `serviceStatus` config section.
 * @internal
 */
export interface ServiceStatusConfig {
  probes: {
    schedule: SchedulerServiceTaskScheduleDefinition;
    /** Timeout of one probe in ms. */
    timeoutMs: number;
    concurrency: number;
    /** 2xx slower than this (ms) is degraded. */
    degradedLatencyMs: number;
    maxRedirects: number;
    /** Host patterns, lower case. */
    allow: string[];
    /** Results older than this (ms) are stale. */
    staleAfterMs: number;
  };
  retention: {
    /** ms */
    rawSamplesMs: number;
    /** ms */
    hourlyMs: number;
    schedule: SchedulerServiceTaskScheduleDefinition;
  };
  /** Normalised group entity ref. */
  platformGroup: string;
  rollup: { maxDepth: number };
}

const DAY_MS = 24 * 3600 * 1000;

function readDurationMs(config: Config, key: string, fallbackMs: number) {
  if (!config.has(key)) {
    return fallbackMs;
  }
  const ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
  if (!(ms > 0)) {
    throw new Error(
      `Invalid config serviceStatus.${key}: must be a positive duration`,
    );
  }
  return ms;
}

function readPositiveInt(
  config: Config,
  key: string,
  fallback: number,
  max: number,
) {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new Error(
      `Invalid config serviceStatus.${key}: must be an integer from 1 to ${max}`,
    );
  }
  return value;
}

function readMaxRedirects(config: Config) {
  const value = config.getOptionalNumber('probes.maxRedirects') ?? 3;
  if (!Number.isInteger(value) || value < 0 || value > 10) {
    throw new Error(
      'Invalid config serviceStatus.probes.maxRedirects: must be an integer from 0 to 10',
    );
  }
  return value;
}

/**
 * Reads and validates the `serviceStatus` config section, applying defaults.
 * Throws an Error naming the key when a value is invalid.
 * @internal
 */
export function readServiceStatusConfig(root: Config): ServiceStatusConfig {
  const config =
    root.getOptionalConfig('serviceStatus') ?? new ConfigReader({});

  const allow = (
    config.getOptionalStringArray('probes.allow') ?? ['localhost', '127.0.0.1']
  ).map(pattern => pattern.trim().toLocaleLowerCase('en-US'));
  for (const pattern of allow) {
    if (
      !/^(\*\.)?[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/.test(
        pattern,
      )
    ) {
      throw new Error(
        `Invalid config serviceStatus.probes.allow: '${pattern}' is not a host, host:port or *.domain pattern`,
      );
    }
  }

  const platformGroupRaw =
    config.getOptionalString('platformGroup') ?? 'group:default/platform-team';
  let platformGroup: string;
  try {
    platformGroup = normalizeEntityRef(platformGroupRaw, {
      defaultKind: 'group',
    });
  } catch (e) {
    throw new Error(
      `Invalid config serviceStatus.platformGroup: ${(e as Error).message}`,
    );
  }

  return {
    probes: {
      schedule: config.has('probes.schedule')
        ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
            config.getConfig('probes.schedule'),
          )
        : { frequency: { seconds: 30 }, timeout: { minutes: 2 } },
      timeoutMs: readDurationMs(config, 'probes.timeout', 5_000),
      concurrency: readPositiveInt(config, 'probes.concurrency', 16, 256),
      degradedLatencyMs: readPositiveInt(
        config,
        'probes.degradedLatencyMs',
        1_000,
        600_000,
      ),
      maxRedirects: readMaxRedirects(config),
      allow,
      staleAfterMs: readDurationMs(config, 'probes.staleAfter', 5 * 60_000),
    },
    retention: {
      rawSamplesMs: readDurationMs(config, 'retention.rawSamples', 7 * DAY_MS),
      hourlyMs: readDurationMs(config, 'retention.hourly', 90 * DAY_MS),
      schedule: config.has('retention.schedule')
        ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
            config.getConfig('retention.schedule'),
          )
        : { frequency: { minutes: 15 }, timeout: { minutes: 10 } },
    },
    platformGroup,
    rollup: {
      maxDepth: readPositiveInt(config, 'rollup.maxDepth', 5, 20),
    },
  };
}
