import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type {
  DriverContext,
  DriverResource,
  DriverNamingRules,
  DriverResult,
  ObservedState,
  ProvisioningDriver,
  ResourceUtilisation,
} from '@paved/backstage-plugin-provisioning-node';
import Redis from 'ioredis';
import { createHash, randomBytes } from 'node:crypto';
import { COMMAND_RULE, type RedisDriverConfig } from './config';

/** Resource names as the provisioning backend validates them: DNS labels of at most 40 characters. */
const RESOURCE_NAME = /^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$/;
const RESERVED = new Set(['default', 'paved']);
const GENERATED_PASSWORD = /^[A-Za-z0-9_-]{32}$/;
const MARKER_PREFIX = 'paved:redis-acl:';
const SCAN_BATCH = 500;

interface AclUser {
  flags: string[];
  passwords: string[];
  commands: string;
  keys: string;
  channels: string;
}

interface Marker {
  resourceId?: string;
  commands?: string;
}

/**
 * Options of {@link RedisDriver.create}.
 * @public
 */
export interface RedisDriverOptions {
  config: RedisDriverConfig;
  logger: LoggerService;
}

/**
 * Condition type `observe` reports on a ready resource whose memory could be measured in full: status `True`
 * while the keys under its prefix use at most its maxmemory budget, `False` (reason `OverMemoryBudget`) above it.
 * @public
 */
export const MEMORY_BUDGET_CONDITION = 'MemoryWithinBudget';

function mib(bytes: number): string {
  const value = bytes / (1024 * 1024);
  return `${value >= 10 ? Math.round(value) : Number(value.toFixed(2))} MiB`;
}

/**
 * The built-in `redis` driver: one resource is an ACL user named after the resource, restricted to the keys
 * `<name>:*` and the channels `<name>:*`, with a generated password (sent as a SHA-256 hash) and the configured
 * command rules.
 *
 * Ownership is recorded in the admin's database under `paved:redis-acl:<name>` (resource id and the server's
 * canonical form of the command rules), so the driver never takes over or deletes a user it did not create
 * (it throws `InputError` instead); resource names `default` and `paved` are refused.
 * `delete` removes the user (which disconnects its clients) and then its keys with SCAN + UNLINK in batches.
 * When the server has an ACL file, each change is persisted with `ACL SAVE`.
 *
 * @public
 */
export class RedisDriver implements ProvisioningDriver {
  readonly id = 'redis';
  readonly #config: RedisDriverConfig;
  readonly #logger: LoggerService;
  readonly #redis: Redis;
  #lastErrorLog = 0;

  /** Creates the driver; connects lazily on first use. */
  static create(options: RedisDriverOptions): RedisDriver {
    return new RedisDriver(options);
  }

  private constructor(options: RedisDriverOptions) {
    this.#config = options.config;
    this.#logger = options.logger;
    this.#redis = new Redis(options.config.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 2,
      connectTimeout: 10_000,
      retryStrategy: times => Math.min(times * 500, 5_000),
    });
    this.#redis.on('error', (error: Error) => {
      // ioredis reconnects on its own; log at most once a minute.
      if (Date.now() - this.#lastErrorLog > 60_000) {
        this.#lastErrorLog = Date.now();
        this.#logger.warn(`Redis admin connection error: ${error.message}`);
      }
    });
  }

  /** Closes the admin connection. */
  async close(): Promise<void> {
    try {
      await this.#redis.quit();
    } catch {
      this.#redis.disconnect();
    }
  }

  /** Names the server reserves: `default`, `paved` and the admin user. */
  get naming(): DriverNamingRules {
    const adminUser = decodeURIComponent(
      new URL(this.#config.url).username || 'default',
    );
    return {
      label: 'Redis',
      reserved: [...RESERVED, adminUser].filter(n =>
        /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(n),
      ),
    };
  }

  /** Creates or converges the ACL user (one call for create and update). */
  async apply(
    resource: DriverResource,
    ctx: DriverContext,
  ): Promise<DriverResult> {
    return this.#converge(resource, ctx);
  }

  async observe(
    resource: DriverResource,
    ctx: DriverContext,
  ): Promise<ObservedState> {
    const name = this.#name(resource);
    const id = checkId(resource.id);
    const [user, marker] = await Promise.all([
      this.#getUser(name),
      this.#getMarker(name),
    ]);
    if (marker.resourceId ? marker.resourceId !== id : user) {
      return {
        status: 'failed',
        reason: `ACL user ${name} exists but belongs to something else`,
      };
    }
    if (!user) {
      return { status: 'missing', reason: `ACL user ${name} does not exist` };
    }
    const outputs = this.#outputs(name);
    const differences: string[] = [];
    if (!user.flags.includes('on')) {
      differences.push(`user ${name} is disabled`);
    }
    if (user.keys !== `~${name}:*`) {
      differences.push(
        `key patterns are ${user.keys || 'none'}, declared ~${name}:*`,
      );
    }
    if (user.channels !== `&${name}:*`) {
      differences.push(
        `channel patterns are ${user.channels || 'none'}, declared &${name}:*`,
      );
    }
    if (marker.commands !== undefined && user.commands !== marker.commands) {
      differences.push(
        `commands are ${user.commands}, declared ${marker.commands}`,
      );
    }
    const stored = ctx.secrets?.password;
    if (
      isGeneratedPassword(stored) &&
      !(user.passwords.length === 1 && user.passwords[0] === sha256(stored))
    ) {
      differences.push('the password differs from the stored one');
    }
    const utilisation = await this.#utilisation(name, resource, ctx);
    if (differences.length > 0) {
      return { status: 'drifted', reason: differences.join('; '), outputs, utilisation };
    }
    const budget = utilisation?.memory;
    if (!budget || budget.partial) return { status: 'ready', outputs, utilisation };
    const over = budget.usedBytes > budget.limitBytes;
    return {
      status: 'ready',
      outputs,
      utilisation,
      conditions: [
        {
          type: MEMORY_BUDGET_CONDITION,
          status: over ? 'False' : 'True',
          reason: over ? 'OverMemoryBudget' : 'WithinMemoryBudget',
          message: `The keys under ${name}:* use ${mib(budget.usedBytes)} of the ${mib(budget.limitBytes)} maxmemory budget${
            over
              ? ". Redis has no per-user memory limit, so writes still succeed: delete keys or set TTLs, or request a larger size or maxmemory"
              : ''
          }`,
          lastTransitionTime: new Date().toISOString(),
        },
      ],
    };
  }

  /**
   * The memory budget (bytes) of a resource: its `maxmemory` parameter (MiB; an escape hatch of the type's
   * `advancedParameters`) when set, otherwise the budget of its size (`maxMemoryBytes`); undefined when neither.
   */
  #memoryBudget(resource: DriverResource): number | undefined {
    const custom = resource.parameters?.maxmemory;
    if (typeof custom === 'number' && Number.isInteger(custom) && custom > 0) return custom * 1024 * 1024;
    const size = resource.parameters?.size;
    const budgets = this.#config.maxMemoryBytes;
    return typeof size === 'string' && Object.hasOwn(budgets, size) ? budgets[size] : undefined;
  }

  /**
   * A sample of the resource's utilisation: its keys (SCAN of `<name>:*`) and the memory they use (the sum of
   * `MEMORY USAGE` of the first `utilisationKeyLimit` keys; `partial` when there were more), against its
   * memory budget (its `maxmemory` parameter, else its size's `maxMemoryBytes`). Undefined without a budget.
   */
  async #utilisation(
    name: string,
    resource: DriverResource,
    ctx: DriverContext,
  ): Promise<ResourceUtilisation | undefined> {
    const budgets = this.#config.maxMemoryBytes;
    const limitBytes = this.#memoryBudget(resource);
    if (limitBytes === undefined) return undefined;
    let cursor = '0';
    let keys = 0;
    let usedBytes = 0;
    let partial = false;
    do {
      ctx.signal.throwIfAborted();
      const [next, batch] = await this.#redis.scan(
        cursor,
        'MATCH',
        `${name}:*`,
        'COUNT',
        SCAN_BATCH,
      );
      cursor = next;
      keys += batch.length;
      const measured = batch.slice(
        0,
        Math.max(0, this.#config.utilisationKeyLimit - (keys - batch.length)),
      );
      if (measured.length < batch.length) partial = true;
      if (measured.length > 0) {
        const pipeline = this.#redis.pipeline();
        for (const key of measured) pipeline.call('MEMORY', 'USAGE', key);
        for (const [error, bytes] of (await pipeline.exec()) ?? []) {
          if (!error && typeof bytes === 'number') usedBytes += bytes;
        }
      }
    } while (cursor !== '0');
    return {
      memory: { usedBytes, limitBytes, ...(partial ? { partial } : {}) },
      keys,
      capacityBySize: Object.fromEntries(
        Object.entries(budgets).map(([s, memoryBytes]) => [s, { memoryBytes }]),
      ),
    };
  }

  async delete(resource: DriverResource, ctx: DriverContext): Promise<void> {
    let name: string;
    try {
      name = this.#name(resource);
    } catch (e) {
      if ((e as Error).name !== 'InputError') throw e;
      // A name this driver refuses was never created by it: nothing to delete.
      ctx.logger.info(
        `Nothing to delete for ${resource.name}: ${(e as Error).message}`,
      );
      return;
    }
    const id = checkId(resource.id);
    const [user, marker] = await Promise.all([
      this.#getUser(name),
      this.#getMarker(name),
    ]);
    if (marker.resourceId ? marker.resourceId !== id : user) {
      throw new InputError(
        `Refusing to delete ACL user ${name}: it belongs to something else`,
      );
    }
    if (!marker.resourceId) {
      return; // Already gone: the marker is removed last.
    }
    if (user) {
      await this.#redis.call('ACL', 'DELUSER', name);
      ctx.logger.info(`Deleted Redis ACL user ${name}`);
    }
    let cursor = '0';
    let removed = 0;
    do {
      ctx.signal.throwIfAborted();
      const [next, keys] = await this.#redis.scan(
        cursor,
        'MATCH',
        `${name}:*`,
        'COUNT',
        SCAN_BATCH,
      );
      cursor = next;
      if (keys.length > 0) {
        removed += await this.#redis.unlink(...keys);
      }
    } while (cursor !== '0');
    await this.#redis.del(`${MARKER_PREFIX}${name}`);
    await this.#aclSave();
    ctx.logger.info(`Removed ${removed} Redis keys under ${name}:`);
  }

  async #converge(
    resource: DriverResource,
    ctx: DriverContext,
  ): Promise<DriverResult> {
    const name = this.#name(resource);
    const id = checkId(resource.id);
    const stored = ctx.secrets?.password;
    const password = isGeneratedPassword(stored)
      ? stored
      : randomBytes(24).toString('base64url');
    const markerKey = `${MARKER_PREFIX}${name}`;

    const [existing, marker] = await Promise.all([
      this.#getUser(name),
      this.#getMarker(name),
    ]);
    if (marker.resourceId ? marker.resourceId !== id : existing) {
      throw new InputError(
        `A Redis ACL user named ${name} already exists and is not managed by this resource`,
      );
    }
    if (!marker.resourceId) {
      await this.#redis.hsetnx(markerKey, 'resourceId', id);
      const claimed = await this.#redis.hget(markerKey, 'resourceId');
      if (claimed !== id) {
        throw new InputError(
          `The Redis ACL user ${name} was just claimed by another resource`,
        );
      }
    }
    ctx.signal.throwIfAborted();
    await this.#redis.call(
      'ACL',
      'SETUSER',
      name,
      'reset',
      'on',
      `#${sha256(password)}`,
      `~${name}:*`,
      `&${name}:*`,
      ...this.#commandRules(resource),
    );
    const user = await this.#getUser(name);
    await this.#redis.hset(markerKey, 'commands', user?.commands ?? '');
    await this.#aclSave();
    if (!existing) {
      ctx.logger.info(`Created Redis ACL user ${name}`);
    }

    const outputs = this.#outputs(name);
    const scheme = this.#config.tls ? 'rediss' : 'redis';
    return {
      outputs,
      secrets: {
        password,
        url: `${scheme}://${name}:${encodeURIComponent(password)}@${
          outputs.host
        }:${outputs.port}/${this.#config.db}`,
      },
    };
  }

  /**
   * The command rules of the user: the type version's `aclRules` setting (a list, or one space-separated
   * string, of rules such as `+@read`, `-@dangerous`), else `provisioning.drivers.redis.commands`.
   * Throws `InputError` for a rule that is not a command rule (keys, channels and passwords are the driver's).
   */
  #commandRules(resource: DriverResource): string[] {
    const raw = resource.settings?.aclRules;
    if (raw === undefined || raw === null) {
      return this.#config.commands;
    }
    const rules = (Array.isArray(raw) ? raw : String(raw).split(/\s+/)).map(String).filter(Boolean);
    const bad = rules.find(r => !COMMAND_RULE.test(r));
    if (bad !== undefined || rules.length === 0) {
      throw new InputError(
        `Invalid setting aclRules of ${resource.type.id} ${resource.typeVersion ?? ''}: rules look like +@read or -flushdb${
          bad ? `, got '${bad}'` : ''
        }`,
      );
    }
    return rules;
  }

  #name(resource: DriverResource): string {
    const name = resource.name;
    if (typeof name !== 'string' || !RESOURCE_NAME.test(name)) {
      throw new InputError(
        'Invalid resource name for Redis: must be a DNS label of at most 40 characters (a-z, 0-9, -)',
      );
    }
    const adminUser = decodeURIComponent(
      new URL(this.#config.url).username || 'default',
    );
    if (RESERVED.has(name) || name === adminUser) {
      throw new InputError(
        `The name '${name}' is reserved on the Redis server, choose another one`,
      );
    }
    return name;
  }

  #outputs(name: string): Record<string, string> {
    return {
      host: this.#config.publicHost,
      port: String(this.#config.publicPort),
      username: name,
      keyPrefix: `${name}:`,
    };
  }

  async #getUser(name: string): Promise<AclUser | undefined> {
    const reply = (await this.#redis.call('ACL', 'GETUSER', name)) as
      | unknown[]
      | null;
    if (!reply) {
      return undefined;
    }
    const fields = new Map<string, unknown>();
    for (let i = 0; i + 1 < reply.length; i += 2) {
      fields.set(String(reply[i]), reply[i + 1]);
    }
    const text = (v: unknown) =>
      Array.isArray(v) ? v.map(String).join(' ') : String(v ?? '');
    const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
    return {
      flags: list(fields.get('flags')),
      passwords: list(fields.get('passwords')),
      commands: text(fields.get('commands')),
      keys: text(fields.get('keys')),
      channels: text(fields.get('channels')),
    };
  }

  async #getMarker(name: string): Promise<Marker> {
    return (await this.#redis.hgetall(`${MARKER_PREFIX}${name}`)) as Marker;
  }

  async #aclSave(): Promise<void> {
    try {
      await this.#redis.call('ACL', 'SAVE');
    } catch (e) {
      if (!/not configured to use an ACL file/i.test(String(e))) {
        throw e;
      }
    }
  }
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

function isGeneratedPassword(value: unknown): value is string {
  return typeof value === 'string' && GENERATED_PASSWORD.test(value);
}

function checkId(id: string): string {
  if (typeof id !== 'string' || !/^[0-9a-zA-Z-]{1,64}$/.test(id)) {
    throw new InputError('Invalid resource id');
  }
  return id;
}
