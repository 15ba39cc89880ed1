/***/
/**
 * The redis backend module for the provisioning plugin.
 *
 * @packageDocumentation
 */

export { provisioningModuleRedis as default } from './module';
