import { screen, waitFor } from '@testing-library/react';
import { ResponseError } from '@backstage/errors';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { serviceStatusApiRef } from '../../api';
import {
  createApiMock,
  degradedStatus,
  history,
  mountedRoutes,
  openIncident,
  ORDERS_API,
  WithEntity,
} from '../../testUtils/fixtures';
import { EntityStatusCard } from './EntityStatusCard';

describe('EntityStatusCard', () => {
  const api = createApiMock();

  const render = () =>
    renderInTestApp(
      <WithEntity>
        <EntityStatusCard />
      </WithEntity>,
      {
        apis: [[serviceStatusApiRef, api], mockApis.identity()],
        mountedRoutes,
      },
    );

  beforeEach(() => {
    jest.resetAllMocks();
    api.getEntityHistory.mockResolvedValue(history);
  });

  it('shows a progress bar while loading', async () => {
    api.getEntityStatus.mockReturnValue(new Promise(() => {}));
    render();
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
  });

  it('shows the state, reasons, uptime and last probe of the entity', async () => {
    api.getEntityStatus.mockResolvedValue({
      ...degradedStatus,
      openIncidents: [openIncident],
    });
    render();
    expect(await screen.findByTestId('status-chip-degraded')).toBeInTheDocument();
    expect(screen.getByTestId('reason-degraded')).toHaveTextContent(
      'degraded: resource:default/orders-db is at its connection limit',
    );
    expect(api.getEntityStatus).toHaveBeenCalledWith(ORDERS_API);
    expect(
      screen.getByText(
        'degraded: resource:default/orders-db is at its connection limit',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('1 open incident')).toBeInTheDocument();
    expect(screen.getByText(/Last probe: HTTP 200 in 14 ms/)).toBeInTheDocument();
    expect(await screen.findByText('99.93%')).toBeInTheDocument();
    expect(screen.getByText('98.50%')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /view status/i })).toHaveAttribute(
      'href',
      '/catalog/default/component/orders-api/status',
    );
  });

  it('explains how to get a health signal when there is none', async () => {
    api.getEntityStatus.mockResolvedValue({
      ...degradedStatus,
      state: 'unknown',
      healthState: 'unknown',
      healthSource: 'none',
      reasons: [],
      lastProbe: undefined,
      dependencies: [],
    });
    render();
    expect(await screen.findByTestId('status-chip-unknown')).toBeInTheDocument();
    expect(screen.getByText(/paved.dev\/health-url/)).toBeInTheDocument();
    expect(screen.getByText('No open incidents')).toBeInTheDocument();
  });

  it('shows the error when the status cannot be loaded', async () => {
    api.getEntityStatus.mockRejectedValue(
      await ResponseError.fromResponse(
        new Response(
          JSON.stringify({
            error: { name: 'NotFoundError', message: 'No such entity' },
            request: { method: 'GET', url: '/v1/status' },
            response: { statusCode: 404 },
          }),
          { status: 404, statusText: 'Not Found', headers: { 'Content-Type': 'application/json' } },
        ),
      ),
    );
    render();
    await waitFor(() =>
      expect(screen.getAllByText(/No such entity/).length).toBeGreaterThan(0),
    );
  });
});
