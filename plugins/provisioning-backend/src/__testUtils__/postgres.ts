import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  PostgresDriver,
  readPostgresDriverConfig,
} from '@paved/backstage-plugin-provisioning-backend-module-postgres';
import type {
  DriverContext,
  DriverResource,
  ProvisioningDriver,
} from '@paved/backstage-plugin-provisioning-node';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import knexFactory, { Knex } from 'knex';
import { Client } from 'pg';

/** Admin URL of the real PostgreSQL server used by the reliability tests and the benchmark. */
export const TEST_POSTGRES_URL =
  process.env.PAVED_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432';

/** `provisioning.drivers.postgres.connection` for {@link TEST_POSTGRES_URL}. */
export function postgresConnection(url = TEST_POSTGRES_URL) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username || 'postgres'),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    database: u.pathname.replace(/^\//, '') || 'postgres',
  };
}

/** The postgresql type as in app-config.yaml. */
export const postgresqlType = {
  id: 'postgresql',
  title: 'PostgreSQL database',
  driver: 'postgres',
  parameters: {
    type: 'object',
    additionalProperties: false,
    properties: {
      size: { type: 'string', enum: ['small', 'medium', 'large'], default: 'small' },
    },
  },
  pricing: { small: 15, medium: 60, large: 240 },
  policy: { approvalRequiredForSizes: ['large'] },
};

/** The real postgres driver, counting calls per resource id. */
export function countingPostgresDriver() {
  const real = PostgresDriver.create({
    config: readPostgresDriverConfig(
      new ConfigReader({
        provisioning: { drivers: { postgres: { connection: postgresConnection() } } },
      }),
    )!,
    logger: mockServices.logger.mock(),
  });
  const creates = new Map<string, number>();
  const driver: ProvisioningDriver & { close(): Promise<void> } = {
    id: real.id,
    naming: real.naming,
    apply: (r: DriverResource, ctx: DriverContext) => {
      creates.set(r.id, (creates.get(r.id) ?? 0) + 1);
      return real.apply(r, ctx);
    },
    delete: (r, ctx) => real.delete(r, ctx),
    observe: (r, ctx) => real.observe(r, ctx),
    close: () => real.close(),
  };
  return { driver, creates };
}

/** Runs a query as the admin on the test server. */
export async function adminQuery<T = any>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Drops test roles and databases whose names start with the prefix (cleanup). */
export async function dropPrefixed(prefix: string) {
  const like = `${prefix.replace(/-/g, '_')}%`;
  const dbs = await adminQuery<{ datname: string }>(
    'SELECT datname FROM pg_database WHERE datname LIKE $1',
    [like],
  );
  const client = new Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    for (const { datname } of dbs) {
      await client.query(`DROP DATABASE IF EXISTS "${datname.replace(/"/g, '')}" WITH (FORCE)`);
    }
    const roles = await client.query<{ rolname: string }>(
      'SELECT rolname FROM pg_roles WHERE rolname LIKE $1',
      [like],
    );
    for (const { rolname } of roles.rows) {
      await client.query(`DROP ROLE IF EXISTS "${rolname.replace(/"/g, '')}"`);
    }
  } finally {
    await client.end();
  }
}

/**
 * Drops prefixed test databases and roles in a detached process that outlives the test run
 * (dropping 100 databases takes about a minute on this machine).
 */
export function dropPrefixedInBackground(prefix: string) {
  const script = path.resolve(__dirname, '../../scripts/drop-test-databases.mjs');
  const child = spawn(process.execPath, [script, TEST_POSTGRES_URL, prefix], {
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
}

/**
 * A fresh `paved-rel-<6 hex>` name prefix for one suite's PostgreSQL databases and roles.
 * Call it inside a `describe`: it registers an `afterAll` that drops them with
 * {@link dropPrefixedInBackground}.
 */
export function reliabilityPrefix(): string {
  const prefix = `paved-rel-${randomBytes(3).toString('hex')}`;
  afterAll(async () => {
    dropPrefixedInBackground(prefix);
  });
  return prefix;
}

/**
 * Creates a fresh database `<prefix>_store` for the plugin's own tables and returns a Knex client
 * for it; {@link dropPrefixedInBackground} removes it with the resources' databases.
 */
export async function createStoreDatabase(prefix: string): Promise<Knex> {
  const name = `${prefix.replace(/-/g, '_')}_store`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  return knexFactory({
    client: 'pg',
    connection: { ...postgresConnection(), database: name },
    pool: { min: 0, max: 10 },
  });
}
