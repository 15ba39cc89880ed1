/***/
/**
 * The provisioning backend module for the catalog plugin.
 *
 * @packageDocumentation
 */

export { catalogModuleProvisioning as default } from './module';
