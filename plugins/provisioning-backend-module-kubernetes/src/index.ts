/***/
/**
 * The kubernetes backend module for the provisioning plugin.
 *
 * @packageDocumentation
 */

export { provisioningModuleKubernetes as default } from './module';
