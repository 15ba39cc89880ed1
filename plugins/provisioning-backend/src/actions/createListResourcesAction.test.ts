import { mockCredentials } from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { createListResourcesAction } from './createListResourcesAction';

describe('list-resources action', () => {
  it('filters through the service with the caller credentials and returns no secrets', async () => {
    const list = jest.fn(async () => ({
      items: [
        {
          id: 'r1', name: 'orders-db', type: 'postgresql', owner: 'group:default/orders-team',
          entityRef: 'component:default/orders-api', parameters: { size: 'small' }, state: 'ready' as const,
          drifted: true, reason: 'Drifted: connection limit is 50, declared 10', conditions: [],
          outputs: { host: 'db', database: 'orders_db' }, monthlyCostUsd: 15, billable: true, createdBy: 'user:default/dana',
          createdAt: '2026-11-22T00:00:00.000Z', updatedAt: '2026-11-22T00:00:00.000Z',
        },
      ],
      totals: [{ owner: 'group:default/orders-team', monthlyCostUsd: 15, count: 1 }],
    }));
    const registry = actionsRegistryServiceMock();
    createListResourcesAction({ actionsRegistry: registry, service: { list } });
    const credentials = mockCredentials.user('user:default/dana');
    const result = await registry.invoke({
      id: 'test:list-resources',
      input: { owner: 'group:default/orders-team', state: 'ready' },
      credentials,
    });
    expect(list).toHaveBeenCalledWith(
      { owners: ['group:default/orders-team'], type: undefined, states: ['ready'], entityRef: undefined, limit: 50 },
      credentials,
    );
    expect(result.output).toEqual({
      items: [
        {
          id: 'r1', name: 'orders-db', type: 'postgresql', owner: 'group:default/orders-team',
          entityRef: 'component:default/orders-api', state: 'ready', drifted: true,
          reason: 'Drifted: connection limit is 50, declared 10', monthlyCostUsd: 15,
          outputs: { host: 'db', database: 'orders_db' },
        },
      ],
      totals: [{ owner: 'group:default/orders-team', monthlyCostUsd: 15, count: 1 }],
    });
    await expect(
      registry.invoke({ id: 'test:list-resources', input: { state: 'bogus' }, credentials }),
    ).rejects.toThrow();
  });
});
