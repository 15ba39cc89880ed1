import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  provisioningInventoryManagePermission,
  provisioningResourceApprovePermission,
  provisioningResourceCreatePermission,
  provisioningResourceCredentialsReadPermission,
  provisioningResourceDeletePermission,
  provisioningResourceReadPermission,
  provisioningResourceUpdatePermission,
  provisioningRolloutManagePermission,
} from '@paved/backstage-plugin-provisioning-common';
import { createPermission } from '@backstage/plugin-permission-common';
import {
  PavedPermissionPolicy,
  permissionModulePavedPolicy,
} from './permissionPolicy';

const user = (ref: string, groups: string[]): PolicyQueryUser =>
  ({
    identity: { type: 'user', userEntityRef: ref, ownershipEntityRefs: [ref, ...groups] },
    info: { userEntityRef: ref, ownershipEntityRefs: [ref, ...groups] },
    token: 'token',
    credentials: {} as any,
  }) as unknown as PolicyQueryUser;

describe('PavedPermissionPolicy', () => {
  const policy = new PavedPermissionPolicy({ approvers: 'group:default/platform-team' });
  const dana = user('user:default/dana', ['group:default/orders-team']);
  const alex = user('user:default/alex', ['group:default/platform-team']);

  it('lets everyone signed in read, and allows other plugins', async () => {
    expect(await policy.handle({ permission: provisioningResourceReadPermission }, dana)).toEqual({ result: AuthorizeResult.ALLOW });
    const other = createPermission({ name: 'catalog.entity.delete', attributes: { action: 'delete' } });
    expect(await policy.handle({ permission: other }, dana)).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('lets owners request, update, delete and reveal credentials of their own resources only (conditional decisions)', async () => {
    for (const permission of [
      provisioningResourceCreatePermission,
      provisioningResourceUpdatePermission,
      provisioningResourceDeletePermission,
      provisioningResourceCredentialsReadPermission,
    ]) {
      expect(await policy.handle({ permission }, dana)).toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'provisioning',
        resourceType: 'provisioning-resource',
        conditions: {
          rule: 'IS_RESOURCE_OWNER',
          resourceType: 'provisioning-resource',
          params: { claims: ['user:default/dana', 'group:default/orders-team'] },
        },
      });
    }
  });

  it('lets only the platform team start, pause, resume and abort rollouts', async () => {
    expect(await policy.handle({ permission: provisioningRolloutManagePermission }, dana)).toEqual({ result: AuthorizeResult.DENY });
    expect(await policy.handle({ permission: provisioningRolloutManagePermission }, alex)).toEqual({ result: AuthorizeResult.ALLOW });
    expect(await policy.handle({ permission: provisioningRolloutManagePermission })).toEqual({ result: AuthorizeResult.DENY });
  });

  it('lets only the platform team approve; denies provisioning without a user', async () => {
    expect(await policy.handle({ permission: provisioningResourceApprovePermission }, dana)).toEqual({ result: AuthorizeResult.DENY });
    expect(await policy.handle({ permission: provisioningResourceApprovePermission }, alex)).toEqual({ result: AuthorizeResult.ALLOW });
    expect(await policy.handle({ permission: provisioningResourceDeletePermission }, alex)).toEqual({ result: AuthorizeResult.ALLOW });
    expect(await policy.handle({ permission: provisioningResourceReadPermission })).toEqual({ result: AuthorizeResult.DENY });
  });

  it('keeps credentials to the owning group, approvers included', async () => {
    expect(await policy.handle({ permission: provisioningResourceCredentialsReadPermission }, alex)).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      conditions: { rule: 'IS_RESOURCE_OWNER', params: { claims: ['user:default/alex', 'group:default/platform-team'] } },
    });
  });

  it('shows developer tools (template editor, DevTools) to the platform team only', async () => {
    for (const name of ['scaffolder.template.management', 'devtools.administer']) {
      const permission = createPermission({ name, attributes: {} });
      expect(await policy.handle({ permission }, dana)).toEqual({ result: AuthorizeResult.DENY });
      expect(await policy.handle({ permission }, alex)).toEqual({ result: AuthorizeResult.ALLOW });
      expect(await policy.handle({ permission })).toEqual({ result: AuthorizeResult.DENY });
    }
  });

  it('lets only the platform team repair or accept drift from the inventory', async () => {
    const permission = provisioningInventoryManagePermission;
    expect(await policy.handle({ permission }, dana)).toEqual({ result: AuthorizeResult.DENY });
    expect(await policy.handle({ permission }, alex)).toEqual({ result: AuthorizeResult.ALLOW });
    expect(await policy.handle({ permission })).toEqual({ result: AuthorizeResult.DENY });
  });

  it('is registered by the module with the configured approvers', async () => {
    const setPolicy = jest.fn();
    await startTestBackend({
      extensionPoints: [[policyExtensionPoint, { setPolicy }]],
      features: [
        permissionModulePavedPolicy,
        mockServices.rootConfig.factory({ data: { provisioning: { approvers: 'group:default/ops' } } }),
      ],
    });
    const registered = setPolicy.mock.calls[0][0] as PavedPermissionPolicy;
    const ops = user('user:default/o', ['group:default/ops']);
    expect(await registered.handle({ permission: provisioningResourceApprovePermission }, ops)).toEqual({ result: AuthorizeResult.ALLOW });
  });
});
