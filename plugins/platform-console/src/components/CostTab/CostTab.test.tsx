/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { CostsApi, costsApiRef, CostsResponse } from '../../api';
import { CostTab } from './CostTab';

// Rendering a whole page can take longer than jest's default 5 s on a busy 2-core CI machine.
jest.setTimeout(30_000);

const months = ['2026-11', '2026-12'];
const response = (keys: Array<[string, number, number, string?]>, demo = true): CostsResponse => ({
  months,
  demo,
  items: keys.map(([key, a, b, title]) => ({
    key,
    ...(title ? { title } : {}),
    monthlyCostUsd: [
      { month: months[0], usd: a },
      { month: months[1], usd: b },
    ],
    totalUsd: a + b,
  })),
});

function mockApi() {
  return {
    getCosts: jest.fn(async ({ groupBy }: { groupBy: string }) => {
      if (groupBy === 'owner') return response([['group:default/orders-team', 300, 120], ['group:default/payments-team', 200, 80]]);
      if (groupBy === 'system') return response([['system:default/orders', 300, 120]]);
      if (groupBy === 'component') return response([['component:default/orders-api', 250, 100]]);
      return response([['demo-orders-db', 240, 90, 'postgresql/orders-db']]);
    }),
    getSummary: jest.fn(async () => ({
      month: '2026-12',
      soFarUsd: 200,
      forecastUsd: 1033.33,
      accruedAt: '2026-12-06T00:00:00.000Z',
      demo: true,
      topResources: [
        { resourceId: 'demo-payments-db', title: 'postgresql/payments-db', owner: 'group:default/payments-team', component: 'component:default/payments-api', usd: 46.45, demo: true },
      ],
    })),
    exportUrl: jest.fn(),
    exportCsv: jest.fn(async () => 'BilledCost\n'),
  } as unknown as jest.Mocked<CostsApi>;
}

describe('CostTab', () => {
  it('shows cost per team, this month and forecast, and drills down to a single database', async () => {
    const api = mockApi();
    await renderInTestApp(
      <TestApiProvider apis={[[costsApiRef, api]]}>
        <CostTab />
      </TestApiProvider>,
    );
    expect(await screen.findByText('Cost per team per month')).toBeInTheDocument();
    expect(screen.getByRole('img', { name: 'Cost per team per month' })).toBeInTheDocument();
    expect(await screen.findByLabelText('This month so far')).toHaveTextContent('$200.00');
    expect(screen.getByLabelText('Forecast to month end')).toHaveTextContent('$1,033.33');
    expect(screen.getByText('postgresql/payments-db')).toBeInTheDocument();
    expect(screen.getByText(/Demo data/)).toBeInTheDocument();
    expect(api.getCosts).toHaveBeenCalledWith({ groupBy: 'owner' });

    fireEvent.click(screen.getByRole('button', { name: 'orders-team' }));
    expect(await screen.findByText('Cost per system per month')).toBeInTheDocument();
    expect(api.getCosts).toHaveBeenLastCalledWith({ groupBy: 'system', owner: 'group:default/orders-team' });
    fireEvent.click(await screen.findByRole('button', { name: 'orders' }));
    fireEvent.click(await screen.findByRole('button', { name: 'orders-api' }));
    expect(await screen.findByText('Cost per resource per month')).toBeInTheDocument();
    expect(api.getCosts).toHaveBeenLastCalledWith({
      groupBy: 'resource',
      owner: 'group:default/orders-team',
      system: 'system:default/orders',
      component: 'component:default/orders-api',
    });
    fireEvent.click(await screen.findByRole('button', { name: 'postgresql/orders-db' }));
    expect(await screen.findByText('Resource postgresql/orders-db')).toBeInTheDocument();

    // back up to all teams through the breadcrumbs
    fireEvent.click(screen.getByRole('button', { name: 'All teams' }));
    expect(await screen.findByText('Cost per team per month')).toBeInTheDocument();
  });

  it('downloads the FOCUS CSV of the current view', async () => {
    const api = mockApi();
    const createObjectURL = jest.fn(() => 'blob:x');
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    await renderInTestApp(
      <TestApiProvider apis={[[costsApiRef, api]]}>
        <CostTab />
      </TestApiProvider>,
    );
    const button = await screen.findByRole('button', { name: 'Export CSV (FOCUS)' });
    await waitFor(() => expect(button).toBeEnabled());
    fireEvent.click(button);
    await waitFor(() => expect(api.exportCsv).toHaveBeenCalledWith({ from: '2026-11', to: '2026-12' }));
    await waitFor(() => expect(createObjectURL).toHaveBeenCalled());
  });
});
