import { Config, ConfigReader, readDurationFromConfig } from '@backstage/config';
import {
  durationToMilliseconds,
  HumanDuration,
  JsonObject,
  JsonValue,
} from '@backstage/types';
import type {
  AdvancedParameter,
  JsonSchema,
  ResourceTypeDefinition,
  TypeVersion,
} from '@paved/backstage-plugin-provisioning-common';
import { compareVersions, DEFAULT_TYPE_VERSION, isVersion } from './versions/semver';

/** Defaults of the `provisioning` config section. @internal */
export const PROVISIONING_CONFIG_DEFAULTS = {
  approvers: 'group:default/platform-team',
  sweepIntervalMs: 2_000,
  driftCheckIntervalMs: 60_000,
  operationTimeoutMs: 120_000,
  leaseDurationMs: 30_000,
  maxAttempts: 5,
  backoffInitialMs: 1_000,
  backoffMaxMs: 60_000,
  maxBodyBytes: 65_536,
  ttlSweepIntervalMs: 60_000,
  rolloutTickIntervalMs: 2_000,
  rolloutLeaseDurationMs: 30_000,
  rolloutDefaultSoakMs: 60_000,
  /** How often the announcement sweep runs: 30 seconds. */
  announcementSweepIntervalMs: 30_000,
  /** How old an unannounced lifecycle event must be before the sweep announces it: 30 seconds. */
  announcementGracePeriodMs: 30_000,
  /** 2 days, 2 hours and 30 minutes before expiry. */
  ttlRemindersMs: [2 * 86_400_000, 2 * 3_600_000, 30 * 60_000],
};

/**
 * The parsed `provisioning` config section.
 * @internal
 */
export interface ProvisioningConfig {
  /** Resource types declared in config, before driver filtering. */
  types: ResourceTypeDefinition[];
  /** Entity ref of the group that approves requests. */
  approvers: string;
  /** Base64 (32 bytes) or passphrase for AES-256-GCM; undefined when unset. */
  secretsKey?: string;
  reconciler: {
    /** How often the sweep picks up due work, in ms. */
    sweepIntervalMs: number;
    /** How often ready resources are observed for drift, in ms. */
    driftCheckIntervalMs: number;
    /** Timeout of one driver call, in ms. */
    operationTimeoutMs: number;
    /** Lease of a claim on a resource, renewed while working, in ms. */
    leaseDurationMs: number;
    /** Attempts of an operation before the resource is `failed`. */
    maxAttempts: number;
    /** First retry delay in ms; doubles on each attempt. */
    backoffInitialMs: number;
    /** Longest retry delay in ms. */
    backoffMaxMs: number;
  };
  /** Largest accepted JSON request body in bytes. */
  maxBodyBytes: number;
  rollouts: {
    /** How often running rollouts are advanced, in ms. */
    tickIntervalMs: number;
    /** Lease of a replica's claim on a rollout, in ms. */
    leaseDurationMs: number;
    /** Soak time of a rollout that names none, in ms. */
    defaultSoakMs: number;
    /** The health gate beyond ready and not drifted: the service-status API, or none. */
    healthGate: 'service-status' | 'none';
  };
  ttl: {
    /** How often expired resources are deleted and reminders sent, in ms. */
    sweepIntervalMs: number;
    /** How long before expiry the owner is reminded, in ms, longest first, distinct. */
    remindersMs: number[];
  };
  /** The outbox of lifecycle announcements (see `AnnouncementSweeper`). */
  announcements: {
    /** How often the sweep announces what was committed but not announced, in ms. */
    sweepIntervalMs: number;
    /** How old (ms) an unannounced event must be before the sweep announces it. */
    gracePeriodMs: number;
  };
}

const ID_PATTERN = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * A duration as accepted in config and by the API: a `HumanDuration` object, an ISO 8601 duration
 * (`PT2H`), an `ms`-style string (`2h`, `30 minutes`) or a number of milliseconds; in milliseconds.
 * Throws an `InputError` when it is none of them.
 * @internal
 */
export function parseDurationMs(value: JsonValue | undefined): number {
  if (typeof value === 'number') return value;
  const config = new ConfigReader({ value } as JsonObject);
  return durationToMilliseconds(
    readDurationFromConfig(config, { key: 'value' }) as HumanDuration,
  );
}

function readMs(config: Config, key: string, fallback: number): number {
  if (!config.has(key)) {
    return fallback;
  }
  const value = config.get(key);
  if (typeof value === 'number') {
    return value;
  }
  return durationToMilliseconds(
    readDurationFromConfig(config, { key }) as HumanDuration,
  );
}

function readTtl(c: Config, id: string): ResourceTypeDefinition['ttl'] {
  const t = c.getOptionalConfig('ttl');
  if (!t) return undefined;
  const where = `provisioning.types '${id}'.ttl`;
  const maxMs = readMs(t, 'max', 0);
  if (!(maxMs > 0)) {
    throw new Error(`Invalid ${where}.max: must be a positive duration`);
  }
  const defaultMs = t.has('default') ? readMs(t, 'default', 0) : undefined;
  if (defaultMs !== undefined && !(defaultMs > 0 && defaultMs <= maxMs)) {
    throw new Error(
      `Invalid ${where}.default: must be a positive duration no longer than max`,
    );
  }
  return {
    ...(defaultMs !== undefined ? { defaultMs } : {}),
    maxMs,
    required: t.getOptionalBoolean('required') ?? false,
  };
}

function readSettings(c: Config | undefined, key: string, where: string) {
  const raw = c?.getOptional(key);
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new Error(`Invalid ${where}: must be an object`);
  }
  return raw as Record<string, unknown>;
}

/**
 * The versions of a type: `versions[]` (each with its settings), or one version (`version`, default 1.0.0) with
 * the type's top-level `settings`; the current version (`version`, default the highest declared) and the version
 * new resources are created at (`createVersion`, default the current one).
 */
function readVersions(c: Config, id: string) {
  const where = `provisioning.types '${id}'`;
  const declared = c.getOptionalConfigArray('versions');
  let versions: TypeVersion[];
  if (declared && declared.length > 0) {
    versions = declared.map(v => {
      const version = v.getString('version');
      if (!isVersion(version)) {
        throw new Error(`Invalid ${where}.versions version '${version}': must be a semantic version such as 1.2.0`);
      }
      const description = v.getOptionalString('description');
      return {
        version,
        ...(description ? { description } : {}),
        settings: readSettings(v, 'settings', `${where}.versions '${version}'.settings`),
      };
    });
    versions.sort((a, b) => compareVersions(a.version, b.version));
    if (versions.some((v, i) => i > 0 && compareVersions(v.version, versions[i - 1].version) === 0)) {
      throw new Error(`Invalid ${where}.versions: duplicate version`);
    }
    if (c.has('settings')) {
      throw new Error(`Invalid ${where}: declare settings either per version (versions[].settings) or once (settings), not both`);
    }
  } else {
    const version = c.getOptionalString('version') ?? DEFAULT_TYPE_VERSION;
    versions = [{ version, settings: readSettings(c, 'settings', `${where}.settings`) }];
  }
  const version = c.getOptionalString('version') ?? versions[versions.length - 1].version;
  const createVersion = c.getOptionalString('createVersion') ?? version;
  for (const [key, value] of [['version', version], ['createVersion', createVersion]]) {
    if (!isVersion(value)) {
      throw new Error(`Invalid ${where}.${key} '${value}': must be a semantic version such as 1.2.0`);
    }
    if (!versions.some(v => v.version === value)) {
      throw new Error(
        `Invalid ${where}.${key} '${value}': not among the declared versions (${versions.map(v => v.version).join(', ')})`,
      );
    }
  }
  return { version, createVersion, versions };
}

/**
 * Reads `advancedParameters` (escape hatches) of a type: each a parameter name, or
 * `{ parameter, goldenPath?, goldenPathDefault?, goldenPathDefaultBySize? }`; each must name a property of
 * the parameters schema.
 */
function readAdvancedParameters(
  c: Config,
  id: string,
  parameters: JsonSchema,
): AdvancedParameter[] | undefined {
  if (!c.has('advancedParameters')) return undefined;
  const raw = c.get('advancedParameters');
  const where = `provisioning.types '${id}'.advancedParameters`;
  if (!Array.isArray(raw)) {
    throw new Error(`Invalid ${where}: must be a list of parameter names or objects`);
  }
  const properties = (parameters.properties ?? {}) as Record<string, unknown>;
  const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  return raw.map((entry, i) => {
    const item = (typeof entry === 'string' ? { parameter: entry } : entry) as Record<string, unknown>;
    if (!isObject(item) || typeof item.parameter !== 'string') {
      throw new Error(`Invalid ${where}[${i}]: must be a parameter name or an object with 'parameter'`);
    }
    if (!Object.hasOwn(properties, item.parameter)) {
      throw new Error(
        `Invalid ${where}[${i}]: '${item.parameter}' is not a property of the type's parameters schema`,
      );
    }
    for (const key of ['goldenPath', 'goldenPathDefaultBySize']) {
      if (item[key] !== undefined && !isObject(item[key])) {
        throw new Error(`Invalid ${where}[${i}].${key}: must be an object`);
      }
    }
    return {
      parameter: item.parameter,
      ...(item.goldenPath !== undefined ? { goldenPath: item.goldenPath as JsonSchema } : {}),
      ...(item.goldenPathDefault !== undefined ? { goldenPathDefault: item.goldenPathDefault } : {}),
      ...(item.goldenPathDefaultBySize !== undefined
        ? { goldenPathDefaultBySize: item.goldenPathDefaultBySize as Record<string, unknown> }
        : {}),
    };
  });
}

function readType(c: Config): ResourceTypeDefinition {
  const id = c.getString('id');
  if (!ID_PATTERN.test(id)) {
    throw new Error(
      `Invalid provisioning.types id '${id}': must be a DNS label of at most 63 characters`,
    );
  }
  const parameters = (c.getOptional('parameters') ?? {
    type: 'object',
    properties: {},
  }) as JsonSchema;
  if (
    typeof parameters !== 'object' ||
    Array.isArray(parameters) ||
    (parameters.type !== undefined && parameters.type !== 'object')
  ) {
    throw new Error(
      `Invalid provisioning.types '${id}'.parameters: must be a JSON Schema of type object`,
    );
  }
  const pricing: Record<string, number> = {};
  const pricingConfig = c.getOptionalConfig('pricing');
  for (const size of pricingConfig?.keys() ?? []) {
    const price = pricingConfig!.getNumber(size);
    if (!(price >= 0)) {
      throw new Error(
        `Invalid provisioning.types '${id}'.pricing.${size}: must be a non-negative number (USD/month)`,
      );
    }
    pricing[size] = price;
  }
  const rawDriverConfig = c.getOptional('driverConfig');
  if (
    rawDriverConfig !== undefined &&
    (typeof rawDriverConfig !== 'object' ||
      rawDriverConfig === null ||
      Array.isArray(rawDriverConfig))
  ) {
    throw new Error(
      `Invalid provisioning.types '${id}'.driverConfig: must be an object`,
    );
  }
  const driverConfig = rawDriverConfig as Record<string, unknown> | undefined;
  const ttl = readTtl(c, id);
  const advancedParameters = readAdvancedParameters(c, id, parameters);
  const quota = c.getOptionalNumber('policy.quotaPerOwner');
  if (quota !== undefined && (!Number.isInteger(quota) || quota < 0)) {
    throw new Error(
      `Invalid provisioning.types '${id}'.policy.quotaPerOwner: must be a non-negative integer`,
    );
  }
  return {
    id,
    title: c.getOptionalString('title') ?? id,
    description: c.getOptionalString('description') ?? '',
    driver: c.getString('driver'),
    parameters,
    pricing,
    policy: {
      approvalRequiredForSizes:
        c.getOptionalStringArray('policy.approvalRequiredForSizes') ?? [],
      ...(quota !== undefined ? { quotaPerOwner: quota } : {}),
    },
    repairDrift: c.getOptionalBoolean('repairDrift') ?? false,
    entityType: c.getOptionalString('entityType') ?? 'database',
    ...(driverConfig ? { driverConfig } : {}),
    ...(ttl ? { ttl } : {}),
    ...readVersions(c, id),
    ...(advancedParameters ? { advancedParameters } : {}),
  };
}

/**
 * Reads the `provisioning` config section once; throws on invalid values.
 * @internal
 */
export function readProvisioningConfig(root: Config): ProvisioningConfig {
  const config = root.getOptionalConfig('provisioning');
  const d = PROVISIONING_CONFIG_DEFAULTS;
  const types = (config?.getOptionalConfigArray('types') ?? []).map(readType);
  const seen = new Set<string>();
  for (const t of types) {
    if (seen.has(t.id)) {
      throw new Error(`Duplicate provisioning.types id '${t.id}'`);
    }
    seen.add(t.id);
  }
  const r = config?.getOptionalConfig('reconciler');
  const positive = (key: string, value: number) => {
    if (!(value > 0)) {
      throw new Error(`provisioning.reconciler.${key} must be positive`);
    }
    return value;
  };
  const reconciler = {
    sweepIntervalMs: r
      ? positive('sweepInterval', readMs(r, 'sweepInterval', d.sweepIntervalMs))
      : d.sweepIntervalMs,
    driftCheckIntervalMs: r
      ? positive(
          'driftCheckInterval',
          readMs(r, 'driftCheckInterval', d.driftCheckIntervalMs),
        )
      : d.driftCheckIntervalMs,
    operationTimeoutMs: r
      ? positive(
          'operationTimeout',
          readMs(r, 'operationTimeout', d.operationTimeoutMs),
        )
      : d.operationTimeoutMs,
    leaseDurationMs: r
      ? positive('leaseDuration', readMs(r, 'leaseDuration', d.leaseDurationMs))
      : d.leaseDurationMs,
    maxAttempts: positive(
      'maxAttempts',
      r?.getOptionalNumber('maxAttempts') ?? d.maxAttempts,
    ),
    backoffInitialMs: r
      ? positive(
          'backoffInitial',
          readMs(r, 'backoffInitial', d.backoffInitialMs),
        )
      : d.backoffInitialMs,
    backoffMaxMs: r
      ? positive('backoffMax', readMs(r, 'backoffMax', d.backoffMaxMs))
      : d.backoffMaxMs,
  };
  const t = config?.getOptionalConfig('ttl');
  const sweepIntervalMs = t
    ? readMs(t, 'sweepInterval', d.ttlSweepIntervalMs)
    : d.ttlSweepIntervalMs;
  if (!(sweepIntervalMs > 0)) {
    throw new Error('provisioning.ttl.sweepInterval must be positive');
  }
  let remindersMs = d.ttlRemindersMs;
  if (t?.has('remindersBefore')) {
    const raw = t.getOptional('remindersBefore');
    if (!Array.isArray(raw)) {
      throw new Error('provisioning.ttl.remindersBefore must be a list of durations');
    }
    remindersMs = raw.map(v => parseDurationMs(v as JsonValue));
  }
  remindersMs = [...remindersMs].sort((a, b) => b - a);
  if (
    remindersMs.some((ms, i) => !(ms > 0) || ms === remindersMs[i - 1])
  ) {
    throw new Error(
      'provisioning.ttl.remindersBefore must be distinct positive durations',
    );
  }
  const ro = config?.getOptionalConfig('rollouts');
  const positiveMs = (key: string, fallback: number, allowZero = false) => {
    const value = ro ? readMs(ro, key, fallback) : fallback;
    if (!(value > 0 || (allowZero && value === 0))) {
      throw new Error(`provisioning.rollouts.${key} must be ${allowZero ? 'zero or ' : ''}positive`);
    }
    return value;
  };
  const healthGate = ro?.getOptionalString('healthGate') ?? 'service-status';
  if (healthGate !== 'service-status' && healthGate !== 'none') {
    throw new Error(`provisioning.rollouts.healthGate must be 'service-status' or 'none'`);
  }
  const rollouts = {
    tickIntervalMs: positiveMs('tickInterval', d.rolloutTickIntervalMs),
    leaseDurationMs: positiveMs('leaseDuration', d.rolloutLeaseDurationMs),
    defaultSoakMs: positiveMs('defaultSoak', d.rolloutDefaultSoakMs, true),
    healthGate: healthGate as 'service-status' | 'none',
  };
  const an = config?.getOptionalConfig('announcements');
  const announcementMs = (key: string, fallback: number) => {
    const value = an ? readMs(an, key, fallback) : fallback;
    if (!(value > 0)) {
      throw new Error(`provisioning.announcements.${key} must be positive`);
    }
    return value;
  };
  const announcements = {
    sweepIntervalMs: announcementMs('sweepInterval', d.announcementSweepIntervalMs),
    gracePeriodMs: announcementMs('gracePeriod', d.announcementGracePeriodMs),
  };
  return {
    types,
    rollouts,
    announcements,
    ttl: { sweepIntervalMs, remindersMs },
    approvers: config?.getOptionalString('approvers') ?? d.approvers,
    secretsKey: config?.getOptionalString('secrets.key') || undefined,
    reconciler,
    maxBodyBytes: config?.getOptionalNumber('maxBodyBytes') ?? d.maxBodyBytes,
  };
}
