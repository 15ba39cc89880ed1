/*
 * The Paved permission policy: the provisioning rules as conditional decisions on the provisioning
 * resource type (owners request and manage their resources, only owners read credentials, everyone
 * signed in reads, the platform team approves and may do the rest), developer tools for the platform team only,
 * and allow-all for everything else.
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
 * Permissions of the portal's developer tools (template editor, actions and templating-extensions tabs, the
 * DevTools/Visualizer page): granted to the platform team (the approving group) only.
 */
export const PLATFORM_TEAM_ONLY_PERMISSIONS: readonly string[] = [
  'scaffolder.template.management',
  'devtools.administer',
  // repair / accept drift from the provisioning inventory (issue 13)
  'provisioning.inventory.manage',
];

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
    if (PLATFORM_TEAM_ONLY_PERMISSIONS.includes(request.permission.name)) {
      const refs = user?.info.ownershipEntityRefs ?? [];
      return {
        result: refs.includes(this.#approvers)
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      };
    }
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
