/**
 * The Paved provisioning backend plugin: resource types, cost estimates, resources with a
 * reconciled lifecycle, encrypted credentials and approvals.
 *
 * @packageDocumentation
 */
export { provisioningPlugin as default } from './plugin';
export {
  provisioningConditions,
  createProvisioningConditionalDecision,
  decideProvisioningPermission,
  provisioningPermissionRules,
  provisioningResourcePermissionResourceRef,
} from './permissions/rules';
export type { ProvisioningResourceQuery } from './permissions/rules';
export {
  RESOURCE_CHANGED_TOPIC,
  RESOURCE_SIGNAL_CHANNEL,
} from './service/ChangeNotifier';
