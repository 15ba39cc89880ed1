import { screen, waitFor, within } from '@testing-library/react';
import { mockInventoryApi, renderInventory } from './__testUtils__/inventory';

jest.setTimeout(30_000);

// a file of its own: usePermission caches decisions per permission for the whole test file
describe('InventoryContent for everyone else', () => {
  it('shows the inventory without the repair and accept actions', async () => {
    const api = mockInventoryApi();
    await renderInventory(api, false);
    const row = await screen.findByTestId('inventory-orders-db');
    await waitFor(() => expect(row).toHaveTextContent('$60.00/month'));
    expect(within(row).queryByRole('button', { name: 'Repair' })).not.toBeInTheDocument();
    expect(within(row).queryByRole('button', { name: 'Accept' })).not.toBeInTheDocument();
  });
});
