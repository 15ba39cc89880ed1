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
import { Client, Pool, PoolClient, escapeLiteral } from 'pg';
import type { PostgresDriverConfig } from './config';
import {
  generatePassword,
  isGeneratedPassword,
  ownerComment,
  quoteIdent,
  scramVerifierLiteral,
  scramVerifierMatches,
  toPostgresName,
  RESERVED_POSTGRES_NAMES,
  POSTGRES_IDENTIFIER_MAX_BYTES,
} from './identifiers';

interface RoleRow {
  rolname: string;
  rolconnlimit: number;
  rolcanlogin: boolean;
  comment: string | null;
}

interface DatabaseRow {
  datname: string;
  datconnlimit: number;
  owner: string;
  comment: string | null;
  public_connect: boolean;
}

/**
 * Options of {@link PostgresDriver.create}.
 * @public
 */
export interface PostgresDriverOptions {
  config: PostgresDriverConfig;
  logger: LoggerService;
}

/**
 * The built-in `postgres` driver: one resource is a login role and a database owned by it, both named after
 * the resource (`-` replaced by `_`), on the server of the admin connection.
 *
 * - `create`/`update` converge: create or alter the role (password from the stored secret, or a new
 *   generated one), create the database owned by it or fix its owner, set the connection limit from the
 *   `size` parameter on both, revoke everything on the database from PUBLIC and grant CONNECT to the role.
 * - `observe` reports `missing` (role and/or database gone), `drifted` (owner, connection limit, login or
 *   PUBLIC access differ) or `ready`.
 * - `delete` terminates the database's and role's sessions and drops both.
 *
 * Role and database carry the comment `paved.dev/resource-id=<id>`: the driver never adopts, changes or drops
 * a role or database that belongs to something else (it throws `InputError` instead).
 * Passwords are sent as SCRAM-SHA-256 verifiers, never as plain text.
 *
 * @public
 */
export class PostgresDriver implements ProvisioningDriver {
  readonly id = 'postgres';
  readonly #config: PostgresDriverConfig;
  readonly #logger: LoggerService;
  readonly #pool: Pool;

  /** Creates the driver; connects lazily on first use. */
  static create(options: PostgresDriverOptions): PostgresDriver {
    return new PostgresDriver(options);
  }

  private constructor(options: PostgresDriverOptions) {
    this.#config = options.config;
    this.#logger = options.logger;
    const c = options.config.connection;
    this.#pool = new Pool({
      host: c.host,
      port: c.port,
      user: c.user,
      password: c.password,
      database: c.database,
      max: 3,
      idleTimeoutMillis: 10_000,
      connectionTimeoutMillis: 10_000,
      statement_timeout: 60_000,
      application_name: 'paved-provisioning',
    });
    this.#pool.on('error', error => {
      this.#logger.warn(`PostgreSQL admin connection error: ${error.message}`);
    });
  }

  /** Closes the admin connections. */
  async close(): Promise<void> {
    await this.#pool.end();
  }

  /**
   * Refuses a resource type whose `size` enum has a value without a connection limit
   * (`provisioning.drivers.postgres.connectionLimits`).
   */
  validateType(type: DriverResource['type']): void {
    const properties = (type.parameters as { properties?: unknown })
      ?.properties as Record<string, { enum?: unknown }> | undefined;
    const sizes = properties?.size?.enum;
    if (!Array.isArray(sizes)) {
      return;
    }
    const missing = sizes.filter(
      size =>
        typeof size !== 'string' ||
        !Object.hasOwn(this.#config.connectionLimits, size),
    );
    if (missing.length > 0) {
      throw new Error(
        `The postgres driver has no connection limit for size(s) ${missing.join(
          ', ',
        )} of resource type ${
          type.id
        }; set provisioning.drivers.postgres.connectionLimits`,
      );
    }
  }

  /**
   * Names PostgreSQL reserves (`postgres`, `template0`, `template1`, `public`, …, the admin user) and the
   * `pg_` prefix (`pg-` in resource names); identifiers are limited to 63 bytes.
   */
  get naming(): DriverNamingRules {
    return {
      label: 'PostgreSQL',
      maxLength: POSTGRES_IDENTIFIER_MAX_BYTES,
      reserved: [
        ...RESERVED_POSTGRES_NAMES.filter(n => /^[a-z][a-z0-9]*$/.test(n)),
        ...this.#extraReserved().filter(n => /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(n)),
      ],
      reservedPrefixes: ['pg-'],
    };
  }

  /** Creates or converges the role and database (one call for create and update). */
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
    const limit = this.#connectionLimit(resource);
    const comment = ownerComment(resource.id);
    return this.#withClient(async client => {
      const role = await readRole(client, name);
      const db = await readDatabase(client, name);
      if (role && role.comment !== comment) {
        return {
          status: 'failed',
          reason: `role ${name} exists but belongs to something else`,
        };
      }
      if (db && !isOurDatabase(db, name, comment)) {
        return {
          status: 'failed',
          reason: `database ${name} exists but belongs to something else`,
        };
      }
      if (!role && !db) {
        return {
          status: 'missing',
          reason: `role ${name} and database ${name} do not exist`,
        };
      }
      if (!role) {
        return { status: 'missing', reason: `role ${name} does not exist` };
      }
      if (!db) {
        return {
          status: 'missing',
          reason: `database ${name} does not exist`,
        };
      }
      const outputs = this.#outputs(name);
      const differences: string[] = [];
      if (db.owner !== name) {
        differences.push(`database owner is ${db.owner}, declared ${name}`);
      }
      if (db.datconnlimit !== limit) {
        differences.push(
          `connection limit is ${db.datconnlimit}, declared ${limit}`,
        );
      }
      if (role.rolconnlimit !== limit) {
        differences.push(
          `role connection limit is ${role.rolconnlimit}, declared ${limit}`,
        );
      }
      if (!role.rolcanlogin) {
        differences.push(`role ${name} cannot log in`);
      }
      if (db.public_connect) {
        differences.push(`PUBLIC can connect to database ${name}`);
      }
      const stored = ctx.secrets?.password;
      if (isGeneratedPassword(stored)) {
        // Only a superuser can read pg_authid; other admins skip this check.
        const verifier = await readPasswordVerifier(client, name);
        if (
          verifier === null ||
          (verifier !== undefined &&
            (await scramVerifierMatches(verifier, stored)) === false)
        ) {
          differences.push(
            `the password of role ${name} differs from the stored one`,
          );
        }
      }
      const utilisation = await this.#utilisation(client, name, limit);
      if (differences.length > 0) {
        // only a changed connection limit can be adopted as a size
        const observedParameters = differences.every(d => d.includes('connection limit is'))
          ? this.#observedParameters(resource, db, role)
          : undefined;
        return {
          status: 'drifted',
          reason: differences.join('; '),
          outputs,
          utilisation,
          ...(observedParameters ? { observedParameters } : {}),
        };
      }
      return { status: 'ready', outputs, utilisation };
    });
  }

  /**
   * A sample of the database's utilisation: connections open to it now (`pg_stat_activity` rows with its
   * `datname`) against the declared connection limit, its size in bytes (`pg_database_size`), and the
   * connection limit of every size of the driver's config.
   */
  async #utilisation(
    client: PoolClient,
    name: string,
    limit: number,
  ): Promise<ResourceUtilisation> {
    const { rows } = await client.query<{ used: string; bytes: string }>(
      `SELECT (SELECT count(*) FROM pg_stat_activity WHERE datname = $1) AS used,
              pg_database_size($1) AS bytes`,
      [name],
    );
    return {
      connections: { used: Number(rows[0].used), limit },
      storageBytes: Number(rows[0].bytes),
      capacityBySize: Object.fromEntries(
        Object.entries(this.#config.connectionLimits).map(([size, connections]) => [
          size,
          { connections },
        ]),
      ),
    };
  }

  /**
   * The declared parameters with the size whose connection limit the database and role now have, when only the
   * connection limit drifted and exactly one size has that limit; otherwise undefined (the drift can only be repaired).
   */
  #observedParameters(
    resource: DriverResource,
    db: DatabaseRow,
    role: RoleRow,
  ): Record<string, unknown> | undefined {
    if (db.datconnlimit !== role.rolconnlimit) return undefined;
    const sizes = Object.entries(this.#config.connectionLimits).filter(
      ([, l]) => l === db.datconnlimit,
    );
    if (sizes.length !== 1) return undefined;
    return { ...resource.parameters, size: sizes[0][0] };
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
    const comment = ownerComment(resource.id);
    const ident = quoteIdent(name);
    await this.#withClient(async client => {
      const role = await readRole(client, name);
      const db = await readDatabase(client, name);
      if (db && !isOurDatabase(db, name, comment)) {
        throw new InputError(
          `Refusing to drop database ${name}: it belongs to something else`,
        );
      }
      if (role && role.comment !== comment) {
        throw new InputError(
          `Refusing to drop role ${name}: it belongs to something else`,
        );
      }
      if (db) {
        ctx.signal.throwIfAborted();
        await client.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
          [name],
        );
        const force = (await serverVersion(client)) >= 130000;
        await client.query(
          `DROP DATABASE IF EXISTS ${ident}${force ? ' WITH (FORCE)' : ''}`,
        );
        ctx.logger.info(`Dropped PostgreSQL database ${name}`);
      }
      if (role) {
        ctx.signal.throwIfAborted();
        await client.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1 AND pid <> pg_backend_pid()',
          [name],
        );
        // Removes what the role owns or was granted in the admin database, so that DROP ROLE succeeds.
        await client.query(`DROP OWNED BY ${ident}`);
        await client.query(`DROP ROLE IF EXISTS ${ident}`);
        ctx.logger.info(`Dropped PostgreSQL role ${name}`);
      }
    });
  }

  async #converge(
    resource: DriverResource,
    ctx: DriverContext,
  ): Promise<DriverResult> {
    const name = this.#name(resource);
    const limit = this.#connectionLimit(resource);
    const settings = readVersionSettings(resource);
    const comment = ownerComment(resource.id);
    const ident = quoteIdent(name);
    const stored = ctx.secrets?.password;
    const password = isGeneratedPassword(stored) ? stored : generatePassword();
    const verifier = await scramVerifierLiteral(password);

    await this.#withClient(async client => {
      // Role
      const role = await readRole(client, name);
      if (role && role.comment !== comment) {
        throw new InputError(
          `A PostgreSQL role named ${name} already exists and is not managed by this resource`,
        );
      }
      const db = await readDatabase(client, name);
      if (db && !isOurDatabase(db, name, comment)) {
        throw new InputError(
          `A PostgreSQL database named ${name} already exists and is not managed by this resource`,
        );
      }
      ctx.signal.throwIfAborted();
      if (!role) {
        await client.query('BEGIN');
        try {
          await client.query(
            `CREATE ROLE ${ident} WITH LOGIN CONNECTION LIMIT ${limit} PASSWORD ${verifier}`,
          );
          await client.query(
            `COMMENT ON ROLE ${ident} IS ${escapeLiteral(comment)}`,
          );
          await client.query('COMMIT');
        } catch (e) {
          await client.query('ROLLBACK');
          throw e;
        }
        ctx.logger.info(`Created PostgreSQL role ${name}`);
      } else {
        // Re-applying the stored password keeps the credentials users have and repairs manual changes.
        await client.query(
          `ALTER ROLE ${ident} WITH LOGIN CONNECTION LIMIT ${limit} PASSWORD ${verifier}`,
        );
        if (!isGeneratedPassword(stored)) {
          ctx.logger.info(
            `PostgreSQL role ${name} existed without a stored password; set a new one`,
          );
        }
      }

      // Database
      ctx.signal.throwIfAborted();
      if (!db) {
        await client.query(
          `CREATE DATABASE ${ident} WITH OWNER ${ident} CONNECTION LIMIT ${limit}`,
        );
        ctx.logger.info(`Created PostgreSQL database ${name}`);
      } else {
        if (db.owner !== name) {
          await client.query(`ALTER DATABASE ${ident} OWNER TO ${ident}`);
        }
        if (db.datconnlimit !== limit) {
          await client.query(
            `ALTER DATABASE ${ident} WITH CONNECTION LIMIT ${limit}`,
          );
        }
      }
      if (!db || db.comment !== comment) {
        await client.query(
          `COMMENT ON DATABASE ${ident} IS ${escapeLiteral(comment)}`,
        );
      }
      await client.query(`REVOKE ALL ON DATABASE ${ident} FROM PUBLIC`);
      await client.query(
        `GRANT CONNECT, TEMPORARY ON DATABASE ${ident} TO ${ident}`,
      );
      await applyVersionSettings(client, ident, settings);
    });
    // the type version's extensions, and those the request asked for (an approved escape hatch)
    const extensions = [...new Set([...settings.allowedExtensions, ...requestedExtensions(resource)])];
    if (extensions.length > 0) {
      await this.#createExtensions(name, extensions, ctx);
    }

    const outputs = this.#outputs(name);
    return {
      outputs,
      secrets: {
        password,
        url: `postgresql://${name}:${encodeURIComponent(password)}@${
          outputs.host
        }:${outputs.port}/${name}`,
      },
    };
  }

  #name(resource: DriverResource): string {
    return toPostgresName(resource.name, [
      this.#config.connection.user,
      this.#config.connection.database,
    ]);
  }

  /** The admin user and database as resource names (`_` shown as `-`). */
  #extraReserved(): string[] {
    return [this.#config.connection.user, this.#config.connection.database]
      .filter((n): n is string => typeof n === 'string' && n.length > 0)
      .map(n => n.toLowerCase().replace(/_/g, '-'));
  }

  /**
   * The effective connection limit (connections) of role and database: the `connectionLimit` parameter when set
   * (an escape hatch, approved with a justification; an integer from 1 to 10000), else the limit of the `size`.
   */
  #connectionLimit(resource: DriverResource): number {
    const params = resource.parameters ?? {};
    const override = params.connectionLimit;
    if (override !== undefined && override !== null) {
      if (typeof override !== 'number' || !Number.isInteger(override) || override < 1 || override > 10000) {
        throw new InputError('Invalid parameter connectionLimit: expected an integer from 1 to 10000');
      }
      return override;
    }
    const version = params.version;
    if (
      version !== undefined &&
      (typeof version !== 'string' || !/^\d{1,2}(\.\d{1,3})?$/.test(version))
    ) {
      throw new InputError(
        `Invalid parameter version: expected a PostgreSQL major version such as "16"`,
      );
    }
    const size = params.size;
    if (size === undefined || size === null) {
      return this.#config.defaultConnectionLimit;
    }
    // the type version's connectionLimits (settings) come before the driver's config
    const limits: Record<string, number> = {
      ...this.#config.connectionLimits,
      ...versionConnectionLimits(resource),
    };
    if (typeof size !== 'string' || !Object.hasOwn(limits, size)) {
      throw new InputError(
        `Unknown size for the postgres driver; known sizes: ${Object.keys(
          limits,
        ).join(', ')}`,
      );
    }
    return limits[size];
  }

  /** Creates the allowed extensions in the resource's database (as the admin; idempotent). */
  async #createExtensions(database: string, extensions: string[], ctx: DriverContext) {
    const c = this.#config.connection;
    const client = new Client({
      host: c.host,
      port: c.port,
      user: c.user,
      password: c.password,
      database,
      application_name: 'paved-provisioning',
      connectionTimeoutMillis: 10_000,
    });
    await client.connect();
    try {
      for (const ext of extensions) {
        ctx.signal.throwIfAborted();
        await client.query(`CREATE EXTENSION IF NOT EXISTS ${quoteIdent(ext)}`);
      }
    } finally {
      await client.end();
    }
  }

  #outputs(name: string): Record<string, string> {
    return {
      host: this.#config.publicHost,
      port: String(this.#config.publicPort),
      database: name,
      username: name,
    };
  }

  async #withClient<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    try {
      return await fn(client);
    } finally {
      client.release();
    }
  }
}

function isOurDatabase(db: DatabaseRow, name: string, comment: string) {
  // A database without a comment is ours when our role owns it (a crash between CREATE and COMMENT).
  return db.comment === comment || (db.comment === null && db.owner === name);
}

async function readRole(
  client: PoolClient,
  name: string,
): Promise<RoleRow | undefined> {
  const { rows } = await client.query<RoleRow>(
    `SELECT rolname, rolconnlimit, rolcanlogin, shobj_description(oid, 'pg_authid') AS comment
       FROM pg_roles WHERE rolname = $1`,
    [name],
  );
  return rows[0];
}

async function readDatabase(
  client: PoolClient,
  name: string,
): Promise<DatabaseRow | undefined> {
  const { rows } = await client.query<DatabaseRow>(
    `SELECT datname, datconnlimit, pg_get_userbyid(datdba) AS owner,
            shobj_description(oid, 'pg_database') AS comment,
            has_database_privilege('public', oid, 'CONNECT') AS public_connect
       FROM pg_database WHERE datname = $1`,
    [name],
  );
  return rows[0];
}

/** The role's password verifier, `null` without a password, `undefined` when pg_authid is not readable. */
async function readPasswordVerifier(
  client: PoolClient,
  name: string,
): Promise<string | null | undefined> {
  const { rows } = await client.query<{ readable: boolean }>(
    `SELECT has_table_privilege('pg_catalog.pg_authid', 'SELECT') AS readable`,
  );
  if (!rows[0]?.readable) {
    return undefined;
  }
  const result = await client.query<{ rolpassword: string | null }>(
    'SELECT rolpassword FROM pg_authid WHERE rolname = $1',
    [name],
  );
  return result.rows[0]?.rolpassword ?? null;
}

async function serverVersion(client: PoolClient): Promise<number> {
  const { rows } = await client.query<{ v: string }>(
    `SELECT current_setting('server_version_num') AS v`,
  );
  return Number(rows[0].v);
}

/** Role attributes a type version may set (`settings.roleAttributes`). */
const ROLE_ATTRIBUTES = new Set(['INHERIT', 'NOINHERIT', 'CREATEDB', 'NOCREATEDB']);
const STATEMENT_TIMEOUT = /^(0|[1-9]\d{0,8})\s*(ms|s|min|h|d)?$/;
const EXTENSION = /^[a-z_][a-z0-9_-]{0,62}$/;

/** The settings of a type version this driver applies, validated. */
interface PostgresVersionSettings {
  /** `statement_timeout` of the role, e.g. `30s`; undefined = reset to the server default. */
  statementTimeout?: string;
  /** Extensions created in the database. */
  allowedExtensions: string[];
  /** Role attributes, e.g. `NOINHERIT`. */
  roleAttributes: string[];
}

function settingError(resource: DriverResource, key: string, message: string): InputError {
  return new InputError(
    `Invalid setting ${key} of ${resource.type.id} ${resource.typeVersion ?? ''}: ${message}`,
  );
}

/** `settings.connectionLimits` of the type version (connections per size), validated. */
function versionConnectionLimits(resource: DriverResource): Record<string, number> {
  const raw = resource.settings?.connectionLimits;
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw settingError(resource, 'connectionLimits', 'must map sizes to connection limits');
  }
  const out: Record<string, number> = {};
  for (const [size, value] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 10000) {
      throw settingError(resource, 'connectionLimits', `${size} must be an integer between 1 and 10000`);
    }
    out[size] = value;
  }
  return out;
}

/**
 * The `extensions` parameter of a request (names of PostgreSQL extensions; outside the type's golden path only with
 * an approved justification, which the provisioning backend enforces), validated; [] when absent. An extension the
 * server does not have fails the apply with PostgreSQL's own message.
 * @throws InputError when it is not a list of extension names
 */
function requestedExtensions(resource: DriverResource): string[] {
  const raw = resource.parameters?.extensions;
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw) || raw.some(e => typeof e !== 'string' || !EXTENSION.test(e))) {
    throw new InputError('Invalid parameter extensions: expected a list of extension names');
  }
  return raw as string[];
}

/** Reads and validates `statementTimeout`, `allowedExtensions` and `roleAttributes` of the type version. */
function readVersionSettings(resource: DriverResource): PostgresVersionSettings {
  const s = resource.settings ?? {};
  let statementTimeout: string | undefined;
  if (s.statementTimeout !== undefined && s.statementTimeout !== null) {
    const v = String(s.statementTimeout).trim();
    if (!STATEMENT_TIMEOUT.test(v)) {
      throw settingError(resource, 'statementTimeout', 'use e.g. 30s, 500ms, 2min');
    }
    statementTimeout = v.replace(/\s+/g, '');
  }
  const list = (key: string): string[] => {
    const v = s[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) throw settingError(resource, key, 'must be a list');
    return v.map(String);
  };
  const allowedExtensions = list('allowedExtensions');
  const badExt = allowedExtensions.find(e => !EXTENSION.test(e));
  if (badExt !== undefined) {
    throw settingError(resource, 'allowedExtensions', `'${badExt}' is not an extension name`);
  }
  const roleAttributes = list('roleAttributes').map(a => a.toUpperCase());
  const badAttr = roleAttributes.find(a => !ROLE_ATTRIBUTES.has(a));
  if (badAttr !== undefined) {
    throw settingError(
      resource,
      'roleAttributes',
      `'${badAttr}' is not allowed; allowed: ${[...ROLE_ATTRIBUTES].join(', ')}`,
    );
  }
  return { statementTimeout, allowedExtensions, roleAttributes };
}

/** Sets the role's attributes and `statement_timeout` (reset when the version sets none). */
async function applyVersionSettings(
  client: PoolClient,
  ident: string,
  settings: PostgresVersionSettings,
): Promise<void> {
  // attributes a version does not name get PostgreSQL's defaults, so that a rollback to a version without
  // them undoes them
  const attrs = [...settings.roleAttributes];
  if (!attrs.includes('INHERIT') && !attrs.includes('NOINHERIT')) attrs.push('INHERIT');
  if (!attrs.includes('CREATEDB') && !attrs.includes('NOCREATEDB')) attrs.push('NOCREATEDB');
  await client.query(`ALTER ROLE ${ident} WITH ${attrs.join(' ')}`);
  if (settings.statementTimeout !== undefined) {
    await client.query(
      `ALTER ROLE ${ident} SET statement_timeout = ${escapeLiteral(settings.statementTimeout)}`,
    );
  } else {
    await client.query(`ALTER ROLE ${ident} RESET statement_timeout`);
  }
}
