import { createPermission } from '@backstage/plugin-permission-common';

/** Permission resource type for provisioned resources. @public */
export const RESOURCE_PERMISSION_RESOURCE_TYPE = 'provisioning-resource';

/**
 * Request a new resource. A resource permission: conditions (e.g. `IS_RESOURCE_OWNER`) are evaluated against the
 * requested resource (its owner and type), so a policy decides for which groups a user may request.
 * @public
 */
export const provisioningResourceCreatePermission = createPermission({
  name: 'provisioning.resource.create',
  attributes: { action: 'create' },
  resourceType: RESOURCE_PERMISSION_RESOURCE_TYPE,
});

/** Read a resource (list, get, events). @public */
export const provisioningResourceReadPermission = createPermission({
  name: 'provisioning.resource.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_PERMISSION_RESOURCE_TYPE,
});

/** Change a resource's parameters or retry it. @public */
export const provisioningResourceUpdatePermission = createPermission({
  name: 'provisioning.resource.update',
  attributes: { action: 'update' },
  resourceType: RESOURCE_PERMISSION_RESOURCE_TYPE,
});

/** Delete a resource. @public */
export const provisioningResourceDeletePermission = createPermission({
  name: 'provisioning.resource.delete',
  attributes: { action: 'delete' },
  resourceType: RESOURCE_PERMISSION_RESOURCE_TYPE,
});

/** Approve or reject a request that needs approval. @public */
export const provisioningResourceApprovePermission = createPermission({
  name: 'provisioning.resource.approve',
  attributes: { action: 'update' },
  resourceType: RESOURCE_PERMISSION_RESOURCE_TYPE,
});

/** Reveal a resource's credentials (the default policy: members of the owning group only, approvers included). @public */
export const provisioningResourceCredentialsReadPermission = createPermission({
  name: 'provisioning.resource.credentials.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_PERMISSION_RESOURCE_TYPE,
});

/**
 * Start, pause, resume and abort rollouts of resource type versions (a basic permission; the default policy
 * grants it to the platform team, the approvers group). Reading rollouts needs no permission beyond sign-in.
 * @public
 */
export const provisioningRolloutManagePermission = createPermission({
  name: 'provisioning.rollout.manage',
  attributes: { action: 'update' },
});
/**
 * Manage the fleet from the inventory: repair a drifted resource (re-apply its declared state) or accept its
 * drift (adopt what exists as the declared state). A basic permission; the default policy grants it to the
 * platform team (the approving group) only.
 * @public
 */
export const provisioningInventoryManagePermission = createPermission({
  name: 'provisioning.inventory.manage',
  attributes: { action: 'update' },
});

/** Every provisioning permission. @public */
export const provisioningPermissions = [
  provisioningResourceCreatePermission,
  provisioningResourceReadPermission,
  provisioningResourceUpdatePermission,
  provisioningResourceDeletePermission,
  provisioningResourceApprovePermission,
  provisioningResourceCredentialsReadPermission,
  provisioningRolloutManagePermission,
  provisioningInventoryManagePermission,
];
