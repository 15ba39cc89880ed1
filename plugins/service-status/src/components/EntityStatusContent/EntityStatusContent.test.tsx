import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { serviceStatusApiRef } from '../../api';
import {
  createApiMock,
  DB_MESSAGE,
  degradedStatus,
  history,
  iso,
  mountedRoutes,
  openIncident,
  ORDERS_API,
  WithEntity,
} from '../../testUtils/fixtures';
import { EntityStatusContent } from './EntityStatusContent';

jest.setTimeout(20_000);

describe('EntityStatusContent', () => {
  const api = createApiMock();
  const user = userEvent.setup({ delay: null });
  const owner = mockApis.identity({
    userEntityRef: 'user:default/dana.ortiz',
    ownershipEntityRefs: [
      'user:default/dana.ortiz',
      'group:default/orders-team',
    ],
  });
  const stranger = mockApis.identity({
    userEntityRef: 'user:default/li.wei',
    ownershipEntityRefs: [
      'user:default/li.wei',
      'group:default/storefront-team',
    ],
  });

  const render = (identity = owner) => {
    const alertApi = mockApis.alert();
    renderInTestApp(
      <WithEntity>
        <EntityStatusContent />
      </WithEntity>,
      {
        apis: [[serviceStatusApiRef, api], identity, alertApi],
        mountedRoutes,
      },
    );
    return { alertApi };
  };

  beforeEach(() => {
    jest.resetAllMocks();
    api.getEntityStatus.mockResolvedValue(degradedStatus);
    api.getEntityHistory.mockResolvedValue(history);
    api.listIncidents.mockResolvedValue({ items: [] });
    api.listDeployments.mockResolvedValue({ items: [] });
  });

  it('shows progress while the status loads', async () => {
    api.getEntityStatus.mockReturnValue(new Promise(() => {}));
    render();
    expect((await screen.findAllByTestId('progress')).length).toBeGreaterThan(
      0,
    );
  });

  it('shows state, reasons, dependencies with links, uptime, deployments and incidents', async () => {
    api.listIncidents.mockResolvedValue({ items: [openIncident] });
    api.listDeployments.mockResolvedValue({
      items: [
        {
          id: 'd-1',
          entityRef: ORDERS_API,
          environment: 'production',
          version: '1.4.2',
          commit: 'abcdef1234567',
          status: 'succeeded',
          startedAt: iso(90),
          finishedAt: iso(85),
          createdBy: 'external:ci',
          createdAt: iso(85),
        },
      ],
      nextCursor: 'next-1',
    });
    render();

    const reason = await screen.findByTestId('reason-degraded');
    expect(reason).toHaveTextContent(
      `degraded: Orders database is degraded since 10:42 UTC: ${DB_MESSAGE}`,
    );
    expect(
      within(reason).getByRole('link', { name: 'Orders database' }),
    ).toHaveAttribute('href', '/catalog/default/resource/orders-db');
    expect(api.getEntityStatus).toHaveBeenCalledWith(ORDERS_API);
    expect(api.getEntityHistory).toHaveBeenCalledWith(ORDERS_API, {
      hours: 24,
    });
    expect(
      screen.getByText('Health source: HTTP health probe'),
    ).toBeInTheDocument();

    const dependencies = screen.getByRole('table', { name: 'Dependencies' });
    const rows = within(dependencies).getAllByRole('row');
    // Worst first: the degraded database before the healthy SDK.
    expect(rows[1]).toHaveTextContent('Orders database');
    expect(rows[1]).toHaveTextContent('Degraded');
    expect(rows[1]).toHaveTextContent(DB_MESSAGE);
    expect(rows[2]).toHaveTextContent('commerce-sdk');
    expect(
      within(rows[1]).getByRole('link', { name: 'Orders database' }),
    ).toHaveAttribute('href', '/catalog/default/resource/orders-db');

    expect(await screen.findByText('99.93%')).toBeInTheDocument();
    expect(screen.getByTestId('uptime-30d')).toHaveTextContent('no samples');

    expect(await screen.findByText('1.4.2')).toBeInTheDocument();
    expect(screen.getByText(/abcdef1 · external:ci/)).toBeInTheDocument();
    expect(api.listDeployments).toHaveBeenCalledWith({
      entityRef: ORDERS_API,
      cursor: undefined,
      limit: 10,
    });

    expect(await screen.findByText('Checkout errors')).toBeInTheDocument();
    expect(
      screen.getByText('Elevated 5xx on POST /orders'),
    ).toBeInTheDocument();
    expect(api.listIncidents).toHaveBeenCalledWith({
      entityRef: ORDERS_API,
      state: 'open',
      limit: 20,
    });

    // Paging of deployments passes the cursor on.
    await user.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() =>
      expect(api.listDeployments).toHaveBeenLastCalledWith({
        entityRef: ORDERS_API,
        cursor: 'next-1',
        limit: 10,
      }),
    );
  });

  it('asks for a longer latency history when another range is chosen', async () => {
    render();
    await user.click(await screen.findByRole('button', { name: '7d' }));
    await waitFor(() =>
      expect(api.getEntityHistory).toHaveBeenLastCalledWith(ORDERS_API, {
        hours: 168,
      }),
    );
  });

  it('shows empty states without deployments, incidents or dependencies', async () => {
    api.getEntityStatus.mockResolvedValue({
      ...degradedStatus,
      state: 'up',
      reasons: [],
      dependencies: [],
    });
    render();
    expect(await screen.findByText('All checks pass.')).toBeInTheDocument();
    expect(
      screen.getByText(
        'This entity declares no dependencies (spec.dependsOn).',
      ),
    ).toBeInTheDocument();
    expect(await screen.findByText('No incidents.')).toBeInTheDocument();
    expect(
      await screen.findByText(/No deployments reported yet/),
    ).toBeInTheDocument();
  });

  it('shows the error when the status cannot be loaded', async () => {
    api.getEntityStatus.mockRejectedValue(new Error('status backend is down'));
    render();
    expect(
      (await screen.findAllByText(/status backend is down/)).length,
    ).toBeGreaterThan(0);
  });

  it('offers incident actions to owners of the entity', async () => {
    render(owner);
    expect(
      await screen.findByRole('button', { name: /open incident/i }),
    ).toBeInTheDocument();
  });

  it('offers incident actions to members of the platform team', async () => {
    render(
      mockApis.identity({
        userEntityRef: 'user:default/priya.raman',
        ownershipEntityRefs: [
          'user:default/priya.raman',
          'group:default/platform-team',
        ],
      }),
    );
    expect(
      await screen.findByRole('button', { name: /open incident/i }),
    ).toBeInTheDocument();
  });

  it('offers no incident actions to users who do not own the entity', async () => {
    api.listIncidents.mockResolvedValue({ items: [openIncident] });
    render(stranger);
    expect(await screen.findByText('Checkout errors')).toBeInTheDocument();
    expect(
      screen.getByText(
        'Only owners of this entity and the platform team can open incidents.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /open incident/i }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Resolve' }),
    ).not.toBeInTheDocument();
  });
});
