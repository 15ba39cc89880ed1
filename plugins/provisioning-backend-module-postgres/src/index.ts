/***/
/**
 * The postgres backend module for the provisioning plugin.
 *
 * @packageDocumentation
 */

export { provisioningModulePostgres as default } from './module';
