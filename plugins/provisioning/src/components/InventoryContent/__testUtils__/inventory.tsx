import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { TestApiProvider, mockApis, renderInTestApp } from '@backstage/test-utils';
import type { InventoryItem } from '@paved/backstage-plugin-provisioning-common';
import { InventoryApi, inventoryApiRef, provisioningApiRef } from '../../../api';
import { rootRouteRef } from '../../../routes';
import { makeResource, mockProvisioningApi, postgresType } from '../../../testUtils';
import { InventoryContent } from '../InventoryContent';

/* Test helpers of the InventoryContent tests. @internal */
export const drifted = makeResource({
  name: 'orders-db', parameters: { size: 'medium' }, monthlyCostUsd: 60, drifted: true,
  reason: 'Missing from the infrastructure: database orders_db does not exist',
  appliedVersion: '1.0.0',
});
export const orphan = makeResource({
  name: 'old-db', entityRef: 'component:default/gone-api', monthlyCostUsd: 15, appliedVersion: '1.1.0',
  deviations: [{ parameter: 'connectionLimit', value: 120, justification: 'batch jobs need more connections', approvedBy: 'user:default/priya.raman' }],
});
const items: InventoryItem[] = [
  { resource: drifted, size: 'medium', monthlyCostUsd: 60, flags: ['drifted'] },
  { resource: orphan, size: 'small', monthlyCostUsd: 15, flags: ['orphaned'], orphanReasons: ['component:default/gone-api, which it belongs to, is not in the catalog'] },
];
const counts = { all: 2, drifted: 1, failed: 0, 'awaiting-approval': 0, orphaned: 1, expensive: 0 };

export function mockInventoryApi(): jest.Mocked<InventoryApi> {
  return {
    getInventory: jest.fn(async query => {
      const matching = query?.filter ? items.filter(i => i.flags.includes(query.filter!)) : items;
      return {
        items: matching, totalItems: matching.length, offset: 0, limit: 100,
        counts, expensiveMonthlyUsd: 100, catalogChecked: true,
      };
    }),
    listRecommendations: jest.fn(),
    repairResource: jest.fn(),
    acceptDrift: jest.fn(),
  };
}

export async function renderInventory(api: InventoryApi, platformTeam: boolean) {
  // the type is at 1.1.0: a resource applied at 1.0.0 is behind
  const provisioning = mockProvisioningApi();
  provisioning.listTypes.mockResolvedValue({ items: [{ ...postgresType, version: '1.1.0' }] });
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [inventoryApiRef, api],
        [provisioningApiRef, provisioning],
        [catalogApiRef, catalogApiMock()],
        [permissionApiRef, mockApis.permission({ authorize: () => (platformTeam ? AuthorizeResult.ALLOW : AuthorizeResult.DENY) })],
      ]}
    >
      <InventoryContent />
    </TestApiProvider>,
    { mountedRoutes: { '/provisioning': rootRouteRef, '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

