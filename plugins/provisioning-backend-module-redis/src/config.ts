import type { Config } from '@backstage/config';

/**
 * Parsed configuration of the `redis` driver.
 * @public
 */
export interface RedisDriverConfig {
  /** Admin connection URL (secret). */
  url: string;
  /** Host shown in outputs and URLs. */
  publicHost: string;
  /** Port shown in outputs and URLs. */
  publicPort: number;
  /** Logical database of the admin URL (where the resources' keys live). */
  db: number;
  /** Whether the admin URL uses TLS (`rediss:`); user URLs use the same scheme. */
  tls: boolean;
  /** ACL command rules of each resource's user, e.g. `+@all -@admin -@dangerous`. */
  commands: string[];
  /** Memory budget (bytes) of each size, the `maxmemory` a resource of that size is measured against. */
  maxMemoryBytes: Record<string, number>;
  /** At most this many keys are measured with `MEMORY USAGE` per observation (the rest are counted only). */
  utilisationKeyLimit: number;
}

/** Default memory budget (bytes) per size: small 64 MiB, medium 256 MiB, large 1 GiB. @public */
export const DEFAULT_REDIS_MAX_MEMORY_BYTES: Readonly<Record<string, number>> = {
  small: 64 * 1024 * 1024,
  medium: 256 * 1024 * 1024,
  large: 1024 * 1024 * 1024,
};

/** Default ACL command rules of a resource's user. @public */
export const DEFAULT_REDIS_COMMANDS =
  '+@all -@admin -@dangerous -select -move -swapdb';

/** A command rule of ACL SETUSER, e.g. `+@read`, `-flushdb`. @internal */
export const COMMAND_RULE = /^[+-]@?[a-z][a-z0-9|_-]*$/;

/**
 * Reads `provisioning.drivers.redis`; returns `undefined` when no `url` is configured.
 * Throws when a value is invalid (never echoing the URL, which holds a secret).
 * @public
 */
export function readRedisDriverConfig(
  config: Config,
): RedisDriverConfig | undefined {
  const root = config.getOptionalConfig('provisioning.drivers.redis');
  const url = root?.getOptionalString('url');
  if (!root || !url) {
    return undefined;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('Invalid config provisioning.drivers.redis.url: not a URL');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new Error(
      'Invalid config provisioning.drivers.redis.url: expected a redis:// or rediss:// URL',
    );
  }
  const dbPath = parsed.pathname.replace(/^\//, '');
  const db = dbPath ? Number(dbPath) : 0;
  if (!Number.isInteger(db) || db < 0) {
    throw new Error(
      'Invalid config provisioning.drivers.redis.url: the path must be a database number',
    );
  }
  const commands = (
    root.getOptionalString('commands') ?? DEFAULT_REDIS_COMMANDS
  )
    .split(/\s+/)
    .filter(Boolean);
  const bad = commands.find(c => !COMMAND_RULE.test(c));
  if (bad !== undefined || commands.length === 0) {
    throw new Error(
      `Invalid config provisioning.drivers.redis.commands: rules look like +@read or -flushdb${
        bad ? `, got '${bad}'` : ''
      }`,
    );
  }
  const maxMemoryBytes: Record<string, number> = { ...DEFAULT_REDIS_MAX_MEMORY_BYTES };
  const memory = root.getOptionalConfig('maxMemoryBytes');
  for (const size of memory?.keys() ?? []) {
    const value = memory!.getNumber(size);
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(
        `Invalid config provisioning.drivers.redis.maxMemoryBytes.${size}: must be a positive integer (bytes)`,
      );
    }
    maxMemoryBytes[size] = value;
  }
  const utilisationKeyLimit = root.getOptionalNumber('utilisationKeyLimit') ?? 10_000;
  if (!Number.isInteger(utilisationKeyLimit) || utilisationKeyLimit < 0) {
    throw new Error(
      'Invalid config provisioning.drivers.redis.utilisationKeyLimit: must be a non-negative integer',
    );
  }
  const port = Number(parsed.port || 6379);
  return {
    url,
    publicHost: root.getOptionalString('publicHost') ?? parsed.hostname,
    publicPort: root.getOptionalNumber('publicPort') ?? port,
    db,
    tls: parsed.protocol === 'rediss:',
    commands,
    maxMemoryBytes,
    utilisationKeyLimit,
  };
}
