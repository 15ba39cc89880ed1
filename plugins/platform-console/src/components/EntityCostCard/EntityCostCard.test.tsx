/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { screen } from '@testing-library/react';
import { CostsApi, costsApiRef } from '../../api';
import { EntityCostCard } from './EntityCostCard';

// Rendering a whole page can take longer than jest's default 5 s on a busy 2-core CI machine.
jest.setTimeout(30_000);

const api = () =>
  ({
    getCosts: jest.fn(async () => ({
      months: ['2026-11', '2026-12'],
      demo: false,
      items: [{ key: 'r1', title: 'postgresql/orders-db', monthlyCostUsd: [{ month: '2026-11', usd: 60 }, { month: '2026-12', usd: 10 }], totalUsd: 70 }],
    })),
    getSummary: jest.fn(async () => ({
      month: '2026-12', soFarUsd: 10, forecastUsd: 60, accruedAt: '2026-12-06T00:00:00Z', demo: false, topResources: [],
    })),
    exportUrl: jest.fn(),
    exportCsv: jest.fn(),
  }) as unknown as jest.Mocked<CostsApi>;

const entity = (kind: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name: 'orders-api', namespace: 'default' },
});

describe('EntityCostCard', () => {
  it('shows a component with what it depends on', async () => {
    const costs = api();
    await renderInTestApp(
      <TestApiProvider apis={[[costsApiRef, costs]]}>
        <EntityProvider entity={entity('Component')}>
          <EntityCostCard />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(await screen.findByText('$10.00 this month so far, forecast $60.00')).toBeInTheDocument();
    expect(screen.getByRole('img', { name: 'Cost per resource per month' })).toBeInTheDocument();
    expect(costs.getCosts).toHaveBeenCalledWith({
      groupBy: 'resource',
      component: 'component:default/orders-api',
      includeDependencies: true,
    });
  });

  it('shows a system by its resources', async () => {
    const costs = api();
    await renderInTestApp(
      <TestApiProvider apis={[[costsApiRef, costs]]}>
        <EntityProvider entity={entity('System')}>
          <EntityCostCard />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(await screen.findByText("The system's resources")).toBeInTheDocument();
    expect(costs.getSummary).toHaveBeenCalledWith({ system: 'system:default/orders-api' });
  });
});
