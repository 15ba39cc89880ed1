import type { LogLevel } from './logger.ts';

/**
 * Configuration from the environment. Connection URLs of provisioned resources arrive at deploy time
 * from the secret store (see docs/index.md); they are never committed to the repository.
 */
export interface Config {
  /** Port to listen on. `PORT`, default 8080. */
  port: number;
  /** `LOG_LEVEL`, default `info`. */
  logLevel: LogLevel;
  /** `DATABASE_URL` of the PostgreSQL database `${{ values.databaseResource }}`{% if not values.database %} (not provisioned){% endif %}. */
  databaseUrl?: string;
  /** `REDIS_URL` of the Redis cache `${{ values.redisResource }}`{% if not values.redis %} (not provisioned){% endif %}. */
  redisUrl?: string;
}

/** Resources this service was created with; their URLs are required at runtime. */
export const REQUIRED_RESOURCES = {
  database: ${{ values.database | dump }},
  redis: ${{ values.redis | dump }},
} as const;

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a port number, got '${env.PORT}'`);
  }
  const logLevel = (env.LOG_LEVEL ?? 'info') as LogLevel;
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) {
    throw new Error(`LOG_LEVEL must be debug, info, warn or error, got '${env.LOG_LEVEL}'`);
  }
  const databaseUrl = env.DATABASE_URL || undefined;
  const redisUrl = env.REDIS_URL || undefined;
  if (REQUIRED_RESOURCES.database && !databaseUrl && env.NODE_ENV === 'production') {
    throw new Error('DATABASE_URL is required in production');
  }
  if (REQUIRED_RESOURCES.redis && !redisUrl && env.NODE_ENV === 'production') {
    throw new Error('REDIS_URL is required in production');
  }
  return { port, logLevel, databaseUrl, redisUrl };
}
