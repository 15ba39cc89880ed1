import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import type {
  DeliveryMetrics,
  DeliveryMetricsResponse,
} from '@paved/backstage-plugin-service-status-common';
import { serviceStatusApiRef } from '../../api';
import { createApiMock, mountedRoutes } from '../../testUtils/fixtures';
import { DeliveryMetricsContent } from './DeliveryMetricsContent';

jest.setTimeout(30_000);

function metrics(
  key: string,
  extra: Partial<DeliveryMetrics> = {},
): DeliveryMetrics {
  return {
    key,
    kind: 'team',
    deployments: 24,
    deploymentsPerWeek: 2.11,
    failedChanges: 2,
    changeFailureRate: 0.083,
    restores: 2,
    medianTimeToRestoreHours: 3,
    leadTimeSamples: 23,
    medianLeadTimeHours: 3,
    services: 1,
    bands: {
      deploymentFrequency: 'high',
      changeFailureRate: 'high',
      timeToRestore: 'high',
      leadTime: 'elite',
    },
    trend: [
      {
        weekStart: '2026-03-02T00:00:00.000Z',
        deployments: 2,
        failedChanges: 1,
        changeFailureRate: 0.5,
        restores: 0,
      },
      {
        weekStart: '2026-03-09T00:00:00.000Z',
        deployments: 3,
        failedChanges: 0,
        changeFailureRate: 0,
        restores: 0,
      },
    ],
    ...extra,
  };
}

const response = (groupBy: 'team' | 'service'): DeliveryMetricsResponse => ({
  groupBy,
  weeks: 12,
  from: '2025-12-22T00:00:00.000Z',
  to: '2026-03-11T12:00:00.000Z',
  environment: 'production',
  items:
    groupBy === 'team'
      ? [
          metrics('group:default/orders-team'),
          metrics('group:default/payments-team', {
            deploymentsPerWeek: 0.09,
            changeFailureRate: undefined,
            medianLeadTimeHours: undefined,
            bands: { deploymentFrequency: 'low' },
          }),
        ]
      : [metrics('component:default/orders-api', { kind: 'service' })],
  total: metrics('all'),
});

describe('DeliveryMetricsContent', () => {
  const api = createApiMock();

  beforeEach(() => {
    api.getDeliveryMetrics.mockImplementation(async query =>
      response(query?.groupBy ?? 'team'),
    );
  });

  it('shows the metrics per team with bands, a trend chart, and switches to services', async () => {
    await renderInTestApp(<DeliveryMetricsContent />, {
      apis: [[serviceStatusApiRef, api]],
      mountedRoutes,
    });
    const table = await screen.findByRole('table', {
      name: 'Delivery metrics',
    });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent('orders-team');
    expect(rows[0]).toHaveTextContent('2.11');
    expect(rows[0]).toHaveTextContent('8.3%');
    expect(rows[0]).toHaveTextContent('3 h');
    expect(within(rows[0]).getAllByText('high')).toHaveLength(3);
    expect(within(rows[0]).getByText('elite')).toBeInTheDocument();
    expect(rows[1]).toHaveTextContent('payments-team');
    expect(within(rows[1]).getByText('low')).toBeInTheDocument();
    expect(screen.getByTestId('delivery-trend-chart')).toBeInTheDocument();
    expect(screen.getByText(/all services/)).toBeInTheDocument();
    expect(api.getDeliveryMetrics).toHaveBeenCalledWith({
      groupBy: 'team',
      weeks: 12,
    });

    await userEvent.click(rows[0]);
    expect(
      screen.getByText(/Weekly trend: group:default\/orders-team/),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Per service' }));
    expect(await screen.findByText('orders-api')).toBeInTheDocument();
    expect(api.getDeliveryMetrics).toHaveBeenLastCalledWith({
      groupBy: 'service',
      weeks: 12,
    });
  });
});
