import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { apiError, makeResource } from '../../testUtils';
import { drifted, mockInventoryApi, renderInventory } from './__testUtils__/inventory';

jest.setTimeout(30_000);

describe('InventoryContent', () => {
  it('lists everything with owner, type, size, cost and state, and filters by drifted', async () => {
    const api = mockInventoryApi();
    await renderInventory(api, true);
    const row = await screen.findByTestId('inventory-orders-db');
    expect(row).toHaveTextContent('postgresql');
    expect(row).toHaveTextContent('medium');
    expect(row).toHaveTextContent('$60.00/month');
    expect(row).toHaveTextContent('database orders_db does not exist');
    expect(within(row).getByRole('link', { name: 'orders-db' })).toHaveAttribute('href', `/provisioning/resources/${drifted.id}`);
    expect(screen.getByTestId('inventory-old-db')).toHaveTextContent('gone-api, which it belongs to, is not in the catalog');
    // type versions: behind the type's current version, or at it; deviations from the golden path
    await waitFor(() => expect(row).toHaveTextContent('1.0.0 (behind 1.1.0)'));
    expect(screen.getByTestId('inventory-old-db')).toHaveTextContent('1.1.0');
    expect(screen.getByTestId('inventory-old-db')).not.toHaveTextContent('behind');
    expect(screen.getByTestId('inventory-old-db')).toHaveTextContent('off the golden path: connectionLimit = 120');
    expect(screen.getByTestId('filter-drifted')).toHaveTextContent('Drifted (1)');

    await userEvent.click(screen.getByTestId('filter-drifted'));
    await waitFor(() => expect(screen.queryByTestId('inventory-old-db')).not.toBeInTheDocument());
    expect(api.getInventory).toHaveBeenLastCalledWith({ filter: 'drifted' });
    expect(screen.getByTestId('inventory-orders-db')).toBeInTheDocument();
  });

  it('pages through a large inventory from the server, 100 rows at a time', async () => {
    const api = mockInventoryApi();
    const fleet = Array.from({ length: 250 }, (_, i) => {
      const name = `db-${String(i).padStart(3, '0')}`;
      return { resource: makeResource({ id: `id-${name}`, name }), size: 'small', monthlyCostUsd: 15, flags: [] };
    });
    api.getInventory.mockImplementation(async (query = {}) => {
      const offset = query.offset ?? 0;
      const limit = query.limit ?? 100;
      return {
        items: fleet.slice(offset, offset + limit), totalItems: fleet.length, offset, limit,
        counts: { all: 250, drifted: 0, failed: 0, 'awaiting-approval': 0, orphaned: 0, expensive: 0 },
        expensiveMonthlyUsd: 100, catalogChecked: true,
      };
    });
    await renderInventory(api, true);
    expect(await screen.findByTestId('inventory-db-000')).toBeInTheDocument();
    expect(api.getInventory).toHaveBeenLastCalledWith({});
    expect(screen.getByText('1-100 of 250')).toBeInTheDocument();
    expect(screen.queryByTestId('inventory-db-100')).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(await screen.findByTestId('inventory-db-199')).toBeInTheDocument();
    expect(screen.queryByTestId('inventory-db-000')).not.toBeInTheDocument();
    expect(screen.getByText('101-200 of 250')).toBeInTheDocument();
    expect(api.getInventory).toHaveBeenLastCalledWith({ offset: 100 });

    // the filter starts over at the first page
    await userEvent.click(screen.getByTestId('filter-drifted'));
    await waitFor(() => expect(api.getInventory).toHaveBeenLastCalledWith({ filter: 'drifted' }));
  });

  it('lets the platform team repair or accept a drifted resource, and shows why it failed', async () => {
    const api = mockInventoryApi();
    api.repairResource.mockResolvedValue({ ...drifted, state: 'updating' });
    api.acceptDrift.mockRejectedValue(apiError(409, 'Nothing exists to adopt: database orders_db does not exist. Repair it to re-create it, or delete it'));
    await renderInventory(api, true);
    const row = await screen.findByTestId('inventory-orders-db');
    await waitFor(() => expect(within(row).getByRole('button', { name: 'Repair' })).toBeInTheDocument());
    expect(within(screen.getByTestId('inventory-old-db')).queryByRole('button', { name: 'Repair' })).not.toBeInTheDocument();

    await userEvent.click(within(row).getByRole('button', { name: 'Accept' }));
    expect(await screen.findByTestId('inventory-message')).toHaveTextContent('Nothing exists to adopt');
    expect(api.acceptDrift).toHaveBeenCalledWith(drifted.id);

    await userEvent.click(within(await screen.findByTestId('inventory-orders-db')).getByRole('button', { name: 'Repair' }));
    await waitFor(() => expect(screen.getByTestId('inventory-message')).toHaveTextContent('Repairing orders-db'));
    expect(api.repairResource).toHaveBeenCalledWith(drifted.id);
  });
});
