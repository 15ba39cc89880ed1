import {
  AuthorizeResult,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  provisioningRolloutManagePermission,
  provisioningResourceApprovePermission,
  provisioningResourceCredentialsReadPermission,
  provisioningResourceReadPermission,
  Resource,
  RESOURCE_PERMISSION_RESOURCE_TYPE,
} from '@paved/backstage-plugin-provisioning-common';
import { z } from 'zod';

/**
 * Query criteria that provisioning permission rules translate to.
 * @public
 */
export type ProvisioningResourceQuery = {
  /** Owner entity refs the resource must have one of. */
  owners?: string[];
  /** Resource type ids the resource must have one of. */
  types?: string[];
};

/**
 * Permission resource ref of provisioned resources (`provisioning-resource`).
 * @public
 */
export const provisioningResourcePermissionResourceRef =
  createPermissionResourceRef<Resource, ProvisioningResourceQuery>().with({
    pluginId: 'provisioning',
    resourceType: RESOURCE_PERMISSION_RESOURCE_TYPE,
  });

const isResourceOwner = createPermissionRule({
  name: 'IS_RESOURCE_OWNER',
  description:
    'Allow resources owned by one of the given entity refs (usually the user ownership claims)',
  resourceRef: provisioningResourcePermissionResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe('Entity refs, e.g. the user and their groups'),
  }),
  apply: (resource, { claims }) => claims.includes(resource.owner),
  toQuery: ({ claims }) => ({ owners: claims }),
});

const isResourceType = createPermissionRule({
  name: 'IS_RESOURCE_TYPE',
  description: 'Allow resources of the given resource types',
  resourceRef: provisioningResourcePermissionResourceRef,
  paramsSchema: z.object({
    types: z.array(z.string()).describe('Resource type ids, e.g. postgresql'),
  }),
  apply: (resource, { types }) => types.includes(resource.type),
  toQuery: ({ types }) => ({ types }),
});

/**
 * Permission rules of provisioned resources.
 * @public
 */
export const provisioningPermissionRules = { isResourceOwner, isResourceType };

const conditionExports = createConditionExports({
  resourceRef: provisioningResourcePermissionResourceRef,
  rules: provisioningPermissionRules,
});

/**
 * Condition factories for permission policies, e.g.
 * `provisioningConditions.isResourceOwner({ claims: user.info.ownershipEntityRefs })`.
 * @public
 */
export const provisioningConditions = conditionExports.conditions;

/**
 * Builds a conditional decision for a provisioning resource permission.
 * @public
 */
export const createProvisioningConditionalDecision =
  conditionExports.createConditionalDecision;

/**
 * The default Paved decision for provisioning permissions, as conditional decisions on the provisioning
 * resource type (so that an adopter's own policy is authoritative; the backend hard-codes none of it):
 * - credentials: members of the owning group only (approvers included: they manage, they do not read secrets);
 * - members of the approvers group may do everything else, including approve, reject and force-remove;
 * - every signed-in user may read;
 * - requesting (create), updating, withdrawing, retrying and deleting: owners only (`IS_RESOURCE_OWNER`);
 * - approve and reject: approvers only;
 * - `provisioning.rollout.manage` (start, pause, resume, abort rollouts): approvers only.
 *
 * @param request - the policy query
 * @param user - the user, if the request is on behalf of one
 * @param options - `approvers`: entity ref of the approving group
 * @returns a decision, or `undefined` when the permission is not a provisioning permission
 * @public
 */
export function decideProvisioningPermission(
  request: PolicyQuery,
  user: PolicyQueryUser | undefined,
  options: { approvers: string },
): PolicyDecision | undefined {
  const { permission } = request;
  if (permission.name === provisioningRolloutManagePermission.name) {
    // rollouts change every resource of a type: the platform team (approvers) only
    const refs = user?.info.ownershipEntityRefs ?? [];
    return {
      result: refs.includes(options.approvers) ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
    };
  }
  if (!permission.name.startsWith('provisioning.resource.')) {
    return undefined;
  }
  if (!user) {
    return { result: AuthorizeResult.DENY };
  }
  const claims = user.info.ownershipEntityRefs ?? [];
  if (
    permission.name === provisioningResourceCredentialsReadPermission.name &&
    isResourcePermission(permission, RESOURCE_PERMISSION_RESOURCE_TYPE)
  ) {
    return createProvisioningConditionalDecision(
      permission,
      provisioningConditions.isResourceOwner({ claims }),
    );
  }
  if (claims.includes(options.approvers)) {
    return { result: AuthorizeResult.ALLOW };
  }
  if (permission.name === provisioningResourceReadPermission.name) {
    return { result: AuthorizeResult.ALLOW };
  }
  if (permission.name === provisioningResourceApprovePermission.name) {
    return { result: AuthorizeResult.DENY };
  }
  if (
    isResourcePermission(permission, RESOURCE_PERMISSION_RESOURCE_TYPE)
  ) {
    return createProvisioningConditionalDecision(
      permission,
      provisioningConditions.isResourceOwner({ claims }),
    );
  }
  return { result: AuthorizeResult.DENY };
}
