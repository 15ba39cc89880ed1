import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { Resource } from '@paved/backstage-plugin-provisioning-common';
import type { ProvisioningService } from '@paved/backstage-plugin-provisioning-node';
import { dependsOnRefreshKey, ProvisionedDependsOnProcessor } from './DependsOnProcessor';

const component: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders-api', namespace: 'default' },
  spec: {
    type: 'service',
    owner: 'group:default/orders-team',
    dependsOn: ['resource:orders-db', 'resource:default/orders-cache', 'component:default/auth', 'resource:hand-made'],
  },
};

describe('ProvisionedDependsOnProcessor', () => {
  it('drops dependsOn entries of deleted provisioned resources and asks to be refreshed on them', async () => {
    const byName: Record<string, Partial<Resource>[]> = {
      'orders-db': [{ state: 'deleted' }, { state: 'deleted' }],
      'orders-cache': [{ state: 'ready' }],
    };
    const provisioning = {
      listResources: jest.fn(async ({ name }: { name?: string }) => ({
        items: (byName[name!] ?? []) as Resource[],
        totals: [],
      })),
    } as unknown as jest.Mocked<ProvisioningService>;
    const processor = new ProvisionedDependsOnProcessor({
      provisioning,
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
    });
    const emit = jest.fn();
    const out = await processor.preProcessEntity(component, {} as any, emit);
    expect(out.spec?.dependsOn).toEqual(['resource:default/orders-cache', 'component:default/auth', 'resource:hand-made']);
    expect(emit.mock.calls.map(c => c[0])).toEqual(
      ['resource:default/orders-db', 'resource:default/orders-cache', 'resource:default/hand-made'].map(ref => ({
        type: 'refresh',
        key: dependsOnRefreshKey(ref),
      })),
    );
    expect(provisioning.listResources).toHaveBeenCalledWith(
      { name: 'orders-db', includeDeleted: true, limit: 20 },
      expect.anything(),
    );
  });

  it('keeps the entity as it is when provisioning cannot be reached', async () => {
    const provisioning = {
      listResources: jest.fn().mockRejectedValue(new Error('down')),
    } as unknown as jest.Mocked<ProvisioningService>;
    const processor = new ProvisionedDependsOnProcessor({
      provisioning,
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
    });
    expect(await processor.preProcessEntity(component, {} as any, jest.fn())).toBe(component);
  });
});
