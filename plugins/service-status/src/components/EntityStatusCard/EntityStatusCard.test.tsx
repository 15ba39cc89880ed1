import { screen, waitFor, within } from '@testing-library/react';
import { ResponseError } from '@backstage/errors';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { serviceStatusApiRef } from '../../api';
import {
  createApiMock,
  DB_MESSAGE,
  degradedStatus,
  history,
  mountedRoutes,
  openIncident,
  ORDERS_API,
  WithEntity,
} from '../../testUtils/fixtures';

// Rendering a whole page can take longer than jest's default 5 s on a busy 2-core CI machine.
jest.setTimeout(30_000);
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

  it('labels a degraded probe with its reason, never as failed', async () => {
    api.getEntityStatus.mockResolvedValue({
      ...degradedStatus,
      entityRef: 'resource:default/orders-db',
      healthState: 'degraded',
      reasons: [],
      dependencies: [],
      lastProbe: {
        entityRef: 'resource:default/orders-db',
        at: new Date().toISOString(),
        state: 'degraded',
        httpStatus: 200,
        latencyMs: 8,
        error: DB_MESSAGE,
      },
    });
    render();
    expect(
      await screen.findByText(
        new RegExp(
          `^Last probe answered degraded: ${DB_MESSAGE} \\(HTTP 200 in 8 ms, `,
        ),
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Last probe failed/)).not.toBeInTheDocument();
  });

  it('labels only a down probe as failed', async () => {
    api.getEntityStatus.mockResolvedValue({
      ...degradedStatus,
      lastProbe: {
        entityRef: ORDERS_API,
        at: new Date().toISOString(),
        state: 'down',
        httpStatus: 503,
        error: 'HTTP 503 Service Unavailable: card processor unreachable',
      },
    });
    render();
    expect(
      await screen.findByText(
        /^Last probe failed: HTTP 503 Service Unavailable: card processor unreachable, /,
      ),
    ).toBeInTheDocument();
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
    expect(
      await screen.findByTestId('status-chip-degraded'),
    ).toBeInTheDocument();
    const reason = screen.getByTestId('reason-degraded');
    expect(reason).toHaveTextContent(
      `degraded: Orders database is degraded since 10:42 UTC: ${DB_MESSAGE}`,
    );
    // the dependency is named by its title, linked to its page; no raw ref
    expect(
      within(reason).getByRole('link', { name: 'Orders database' }),
    ).toHaveAttribute('href', '/catalog/default/resource/orders-db');
    expect(reason).not.toHaveTextContent('resource:default/orders-db');
    expect(api.getEntityStatus).toHaveBeenCalledWith(ORDERS_API);
    expect(screen.getByText('1 open incident')).toBeInTheDocument();
    expect(
      screen.getByText(/Last probe: HTTP 200 in 14 ms/),
    ).toBeInTheDocument();
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
    expect(
      await screen.findByTestId('status-chip-unknown'),
    ).toBeInTheDocument();
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
          {
            status: 404,
            statusText: 'Not Found',
            headers: { 'Content-Type': 'application/json' },
          },
        ),
      ),
    );
    render();
    await waitFor(() =>
      expect(screen.getAllByText(/No such entity/).length).toBeGreaterThan(0),
    );
  });
});
