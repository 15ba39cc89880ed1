import type { Config } from '@backstage/config';

/**
 * Parsed configuration of the `postgres` driver.
 * @public
 */
export interface PostgresDriverConfig {
  connection: {
    host: string;
    port: number;
    user: string;
    password?: string;
    database: string;
  };
  /** Host shown in outputs and URLs. */
  publicHost: string;
  /** Port shown in outputs and URLs. */
  publicPort: number;
  /** Connection limit (connections) per size. */
  connectionLimits: Record<string, number>;
  /** Connection limit (connections) when no size is given. */
  defaultConnectionLimit: number;
}

/** Default connection limits (connections) per size. @public */
export const DEFAULT_CONNECTION_LIMITS: Readonly<Record<string, number>> = {
  small: 10,
  medium: 25,
  large: 50,
};

function checkLimit(value: number, key: string): number {
  if (!Number.isInteger(value) || value < 1 || value > 10000) {
    throw new Error(
      `Invalid config ${key}: must be an integer between 1 and 10000, got ${value}`,
    );
  }
  return value;
}

/**
 * Reads `provisioning.drivers.postgres`; returns `undefined` when no admin connection is configured.
 * Throws when a value is invalid.
 * @public
 */
export function readPostgresDriverConfig(
  config: Config,
): PostgresDriverConfig | undefined {
  const root = config.getOptionalConfig('provisioning.drivers.postgres');
  const conn = root?.getOptionalConfig('connection');
  if (!root || !conn) {
    return undefined;
  }
  const host = conn.getString('host');
  const port = conn.getOptionalNumber('port') ?? 5432;
  const connectionLimits: Record<string, number> = {
    ...DEFAULT_CONNECTION_LIMITS,
  };
  const limits = root.getOptionalConfig('connectionLimits');
  for (const size of limits?.keys() ?? []) {
    connectionLimits[size] = checkLimit(
      limits!.getNumber(size),
      `provisioning.drivers.postgres.connectionLimits.${size}`,
    );
  }
  return {
    connection: {
      host,
      port,
      user: conn.getString('user'),
      password: conn.getOptionalString('password') || undefined,
      database: conn.getOptionalString('database') ?? 'postgres',
    },
    publicHost: root.getOptionalString('publicHost') ?? host,
    publicPort: root.getOptionalNumber('publicPort') ?? port,
    connectionLimits,
    defaultConnectionLimit: checkLimit(
      root.getOptionalNumber('defaultConnectionLimit') ?? 10,
      'provisioning.drivers.postgres.defaultConnectionLimit',
    ),
  };
}
