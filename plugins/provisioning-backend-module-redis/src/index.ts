/**
 * The built-in Redis driver of the Paved provisioning backend: an ACL user per resource, restricted to its
 * key prefix.
 *
 * @packageDocumentation
 */

export { provisioningModuleRedis as default } from './module';
export { MEMORY_BUDGET_CONDITION, RedisDriver, type RedisDriverOptions } from './RedisDriver';
export {
  readRedisDriverConfig,
  DEFAULT_REDIS_COMMANDS,
  type RedisDriverConfig,
} from './config';
