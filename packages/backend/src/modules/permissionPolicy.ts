/*
 * The Paved permission policy: the provisioning rules as conditional decisions on the provisioning
 * resource type (owners request and manage their resources, only owners read credentials, everyone
 * signed in reads, the platform team approves and may do the rest) and allow-all for everything else.
 * The provisioning backend hard-codes none of this: replace this policy and yours is authoritative.
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { decideProvisioningPermission } from '@paved/backstage-plugin-provisioning-backend';

/** Default approving group, as in the provisioning backend's config. */
export const DEFAULT_APPROVERS = 'group:default/platform-team';

/**
 * Applies the provisioning rules; allows everything else.
 */
export class PavedPermissionPolicy implements PermissionPolicy {
  readonly #approvers: string;

  constructor(options: { approvers: string }) {
    this.#approvers = options.approvers;
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    return (
      decideProvisioningPermission(request, user, {
        approvers: this.#approvers,
      }) ?? { result: AuthorizeResult.ALLOW }
    );
  }
}

/** Registers {@link PavedPermissionPolicy} with the permission backend. */
export const permissionModulePavedPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'paved-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        policy: policyExtensionPoint,
      },
      async init({ config, policy }) {
        policy.setPolicy(
          new PavedPermissionPolicy({
            approvers:
              config.getOptionalString('provisioning.approvers') ??
              DEFAULT_APPROVERS,
          }),
        );
      },
    });
  },
});

export default permissionModulePavedPolicy;
