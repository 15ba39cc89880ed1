import { identityApiRef } from '@backstage/core-plugin-api';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { TestApiProvider, mockApis, renderInTestApp } from '@backstage/test-utils';
import type { Recommendation } from '@paved/backstage-plugin-provisioning-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { InventoryApi, inventoryApiRef, provisioningApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { makeResource, mockProvisioningApi, postgresType } from '../../testUtils';
import { ResourcePage } from './ResourcePage';

jest.setTimeout(30_000);

const resource = makeResource({ name: 'ledger-db', parameters: { size: 'medium' }, monthlyCostUsd: 60 });
const rec: Recommendation = {
  resourceId: resource.id, resourceName: 'ledger-db', type: 'postgresql', owner: resource.owner, kind: 'oversized',
  action: 'resize', currentSize: 'medium', recommendedSize: 'small', currentMonthlyCostUsd: 60,
  recommendedMonthlyCostUsd: 15, monthlySavingUsd: 45,
  message: 'medium -> small saves $45.00/month: peak 3 of 25 connections over 7 days',
  evidence: { windowDays: 7, from: '2026-11-30', to: '2026-12-06', sampledDays: 7, demo: false },
};

async function render(options: { ownership: string[]; routeEntries?: string[] }) {
  const api = mockProvisioningApi();
  api.listTypes.mockResolvedValue({ items: [postgresType] });
  api.listDependents.mockResolvedValue({ items: [] });
  api.getResource.mockResolvedValue(resource);
  api.listEvents.mockResolvedValue({ items: [] });
  api.estimate.mockImplementation(async ({ parameters }) => ({
    type: 'postgresql', size: parameters.size as string, monthlyCostUsd: parameters.size === 'medium' ? 60 : 15,
    currency: 'USD', requiresApproval: false, approval: { required: false },
  }));
  const inventory: jest.Mocked<InventoryApi> = {
    getInventory: jest.fn(),
    listRecommendations: jest.fn(async () => ({ items: [rec], totalMonthlySavingUsd: 45 })),
    repairResource: jest.fn(),
    acceptDrift: jest.fn(),
  };
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [provisioningApiRef, api],
        [inventoryApiRef, inventory],
        [identityApiRef, mockApis.identity({ ownershipEntityRefs: options.ownership })],
        [catalogApiRef, catalogApiMock()],
        [permissionApiRef, mockApis.permission({ authorize: () => AuthorizeResult.DENY })],
      ]}
    >
      <ResourcePage id={resource.id} />
    </TestApiProvider>,
    {
      mountedRoutes: { '/provisioning': rootRouteRef, '/catalog/:namespace/:kind/:name': entityRouteRef },
      ...(options.routeEntries ? { routeEntries: options.routeEntries } : {}),
    },
  );
  await screen.findByRole('heading', { name: 'ledger-db', hidden: true });
  return { api, inventory };
}

describe('ResourcePage rightsizing', () => {
  it('shows the recommendation to the owners, with one click to the update pre-filled with the new size', async () => {
    const { inventory } = await render({ ownership: ['user:default/dana', 'group:default/orders-team'] });
    const banner = await screen.findByTestId('recommendation');
    expect(banner).toHaveTextContent('medium -> small saves $45.00/month: peak 3 of 25 connections over 7 days');
    expect(inventory.listRecommendations).toHaveBeenCalledWith({ resourceId: resource.id });
    await userEvent.click(within(banner).getByRole('button', { name: 'Resize to small' }));
    const dialog = screen.getByRole('dialog');
    expect(within(dialog).getByTestId('update-changes')).toHaveTextContent('size: "medium" → "small"');
    await waitFor(() => expect(within(dialog).getByTestId('estimate-amount')).toHaveTextContent('$15.00/month'));
  });

  it('opens the pre-filled update from a recommendation link (?resize=small)', async () => {
    await render({ ownership: ['user:default/dana', 'group:default/orders-team'], routeEntries: ['/?resize=small'] });
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByTestId('update-changes')).toHaveTextContent('size: "medium" → "small"');
  });

  it('shows no recommendation to others', async () => {
    const { inventory } = await render({ ownership: ['user:default/sam', 'group:default/payments-team'] });
    expect(screen.queryByTestId('recommendation')).not.toBeInTheDocument();
    expect(inventory.listRecommendations).not.toHaveBeenCalled();
  });
});
