import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Entity } from '@backstage/catalog-model';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { serviceStatusApiRef } from '../../api';
import {
  createApiMock,
  mountedRoutes,
  summary,
} from '../../testUtils/fixtures';
import { ServiceStatusOverview, ServiceStatusPage } from './ServiceStatusPage';

jest.setTimeout(30_000);

const catalogEntities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name: 'orders-team',
      namespace: 'default',
      title: 'Orders team',
    },
    spec: { type: 'team', children: [] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'payments-team', namespace: 'default' },
    spec: { type: 'team', children: [] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'orders', namespace: 'default' },
    spec: { owner: 'group:default/orders-team' },
  },
];

const rows = [
  summary('storefront-web', {
    owner: 'group:default/storefront-team',
    system: 'system:default/storefront',
    lastProbe: {
      entityRef: 'component:default/storefront-web',
      at: new Date().toISOString(),
      state: 'up',
      httpStatus: 200,
      latencyMs: 9.6,
    },
  }),
  summary('fraud-check', {
    state: 'down',
    healthState: 'down',
    owner: 'group:default/payments-team',
    system: 'system:default/payments',
    reasons: [
      {
        state: 'down',
        source: 'probe',
        entityRef: 'component:default/fraud-check',
        message: 'down: HTTP 503 from /healthz',
      },
    ],
    openIncidentCount: 1,
  }),
  summary('orders-api', {
    title: 'Orders API',
    state: 'degraded',
    reasons: [
      {
        state: 'degraded',
        source: 'dependency',
        entityRef: 'resource:default/orders-db',
        entityTitle: 'Orders database',
        cause: 'connection limit nearly reached: 97 of 100 connections in use',
        message:
          'degraded: Orders database is degraded since 10:42 UTC: connection limit nearly reached: 97 of 100 connections in use',
      },
    ],
    owner: 'group:default/orders-team',
    system: 'system:default/orders',
  }),
];

describe('ServiceStatusOverview', () => {
  const api = createApiMock();
  const user = userEvent.setup({ delay: null });

  const render = (
    element = <ServiceStatusOverview refreshIntervalMs={0} />,
    initialRouteEntries?: string[],
  ) =>
    renderInTestApp(element, {
      apis: [
        [serviceStatusApiRef, api],
        catalogApiMock({ entities: catalogEntities }),
      ],
      mountedRoutes,
      initialRouteEntries,
    });

  const bodyRows = () =>
    within(screen.getByRole('table', { name: 'Services' }))
      .getAllByRole('row')
      .slice(1);

  beforeEach(() => {
    jest.resetAllMocks();
    api.listStatuses.mockResolvedValue({ items: rows });
  });

  it('shows progress while loading', async () => {
    api.listStatuses.mockReturnValue(new Promise(() => {}));
    render();
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
  });

  it('lists services worst first with state, reason, owner, system and counts', async () => {
    render();
    await screen.findByRole('table', { name: 'Services' });
    expect(api.listStatuses).toHaveBeenCalledWith({
      owner: undefined,
      system: undefined,
      state: undefined,
      cursor: undefined,
      limit: 100,
    });
    const [first, second, third] = bodyRows();
    expect(first).toHaveTextContent('fraud-check');
    expect(first).toHaveTextContent('Down');
    expect(first).toHaveTextContent('down: HTTP 503 from /healthz');
    expect(second).toHaveTextContent('Orders API');
    // the reason names the dependency by title, linked to its page
    expect(second).toHaveTextContent(
      'degraded: Orders database is degraded since 10:42 UTC: connection limit nearly reached',
    );
    expect(
      within(second).getByRole('link', { name: 'Orders database' }),
    ).toHaveAttribute('href', '/catalog/default/resource/orders-db');
    expect(third).toHaveTextContent('storefront-web');
    expect(third).toHaveTextContent('10 ms');
    expect(
      within(first).getByRole('link', { name: /payments-team/ }),
    ).toHaveAttribute('href', '/catalog/default/group/payments-team');
    expect(screen.getByText('1 down')).toBeInTheDocument();
    expect(screen.getByText('1 degraded')).toBeInTheDocument();
    expect(screen.getByText('1 up')).toBeInTheDocument();
  });

  it('sorts by name when the column header is clicked', async () => {
    render();
    await screen.findByRole('table', { name: 'Services' });
    await user.click(screen.getByRole('button', { name: 'Name' }));
    expect(bodyRows().map(row => row.textContent)).toEqual([
      expect.stringContaining('fraud-check'),
      expect.stringContaining('Orders API'),
      expect.stringContaining('storefront-web'),
    ]);
    await user.click(screen.getByRole('button', { name: 'Name' }));
    expect(bodyRows()[0]).toHaveTextContent('storefront-web');
  });

  it('reads filters from the URL and passes them to the API', async () => {
    render(undefined, [
      '/?state=down&state=degraded&owner=group:default/payments-team&state=bogus',
    ]);
    await screen.findByRole('table', { name: 'Services' });
    expect(api.listStatuses).toHaveBeenCalledWith({
      owner: ['group:default/payments-team'],
      system: undefined,
      state: ['down', 'degraded'],
      cursor: undefined,
      limit: 100,
    });
  });

  it('filters by owner, system and state chosen in the selects', async () => {
    render();
    await screen.findByRole('table', { name: 'Services' });

    await user.click(screen.getByRole('button', { name: /^Owner / }));
    await user.click(
      await screen.findByRole('option', { name: 'Orders team' }),
    );
    await user.keyboard('{Escape}');
    await waitFor(() =>
      expect(api.listStatuses).toHaveBeenLastCalledWith(
        expect.objectContaining({ owner: ['group:default/orders-team'] }),
      ),
    );

    await user.click(screen.getByRole('button', { name: /^System / }));
    await user.click(await screen.findByRole('option', { name: 'orders' }));
    await user.keyboard('{Escape}');
    await user.click(screen.getByRole('button', { name: /^State / }));
    await user.click(await screen.findByRole('option', { name: 'Down' }));
    await user.keyboard('{Escape}');
    await waitFor(() =>
      expect(api.listStatuses).toHaveBeenLastCalledWith({
        owner: ['group:default/orders-team'],
        system: ['system:default/orders'],
        state: ['down'],
        cursor: undefined,
        limit: 100,
      }),
    );

    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() =>
      expect(api.listStatuses).toHaveBeenLastCalledWith(
        expect.objectContaining({ owner: undefined, state: undefined }),
      ),
    );
  });

  it('pages with the cursor and goes back', async () => {
    api.listStatuses
      .mockResolvedValueOnce({ items: rows, nextCursor: 'page-2' })
      .mockResolvedValueOnce({ items: [summary('refunds-admin')] })
      .mockResolvedValue({ items: rows, nextCursor: 'page-2' });
    render();
    await screen.findByRole('table', { name: 'Services' });
    expect(
      screen.getByRole('button', { name: 'Previous page' }),
    ).toBeDisabled();

    await user.click(screen.getByRole('button', { name: 'Next page' }));
    expect(await screen.findByText('refunds-admin')).toBeInTheDocument();
    expect(api.listStatuses).toHaveBeenLastCalledWith(
      expect.objectContaining({ cursor: 'page-2' }),
    );
    expect(screen.getByText('Page 2')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Next page' })).toBeDisabled();

    await user.click(screen.getByRole('button', { name: 'Previous page' }));
    expect(await screen.findByText('fraud-check')).toBeInTheDocument();
    expect(api.listStatuses).toHaveBeenLastCalledWith(
      expect.objectContaining({ cursor: undefined }),
    );
  });

  it('refreshes automatically until auto-refresh is switched off', async () => {
    render(<ServiceStatusOverview refreshIntervalMs={50} />);
    await screen.findByRole('table', { name: 'Services' });
    await waitFor(() =>
      expect(api.listStatuses.mock.calls.length).toBeGreaterThan(2),
    );
    await user.click(screen.getByRole('checkbox', { name: /Auto-refresh/ }));
    const calls = api.listStatuses.mock.calls.length;
    await new Promise(resolve => setTimeout(resolve, 300));
    expect(api.listStatuses.mock.calls.length).toBeLessThanOrEqual(calls + 1);
  });

  it('says so when nothing matches', async () => {
    api.listStatuses.mockResolvedValue({ items: [] });
    render();
    expect(
      await screen.findByText('No services match these filters.'),
    ).toBeInTheDocument();
  });

  it('shows the error when the overview cannot be loaded', async () => {
    api.listStatuses.mockRejectedValue(new Error('overview unavailable'));
    render();
    expect(
      (await screen.findAllByText(/overview unavailable/)).length,
    ).toBeGreaterThan(0);
  });

  it('renders with a page header for the legacy frontend system', async () => {
    render(<ServiceStatusPage refreshIntervalMs={0} />);
    expect(
      await screen.findByRole('heading', { name: 'Service status' }),
    ).toBeInTheDocument();
    expect(await screen.findByText('fraud-check')).toBeInTheDocument();
  });
});
