import {
  mockApis,
  renderInTestApp,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import homePlugin from '@backstage/plugin-home/alpha';
import { provisioningApiRef } from '@paved/backstage-plugin-provisioning';
import { serviceStatusApiRef } from '@paved/backstage-plugin-service-status';
import type { Resource } from '@paved/backstage-plugin-provisioning-common';
import type { EntityStatusSummary } from '@paved/backstage-plugin-service-status-common';
import { configure, screen, within } from '@testing-library/react';
import { homeModule } from './homeModule';
import { ApprovalsCard } from './widgets/ApprovalsCard';
import { DeliveryCard } from './widgets/DeliveryCard';
import { GoldenPathsCard } from './widgets/GoldenPathsCard';
import { MyResourcesCard } from './widgets/MyResourcesCard';
import { MyServicesCard } from './widgets/MyServicesCard';

jest.setTimeout(30_000);
// The first render loads lazy widgets and translations: allow for a busy machine.
configure({ asyncUtilTimeout: 10_000 });

// Demo-like data: Dana is a developer on the orders team (see app-config.yaml's guest sign-in).
const dana = mockApis.identity({
  userEntityRef: 'user:default/dana.ortiz',
  ownershipEntityRefs: ['user:default/dana.ortiz', 'group:default/orders-team'],
});
const NOW = Date.parse('2026-12-01T12:00:00Z');

function status(
  name: string,
  title: string,
  state: EntityStatusSummary['state'],
  reason?: string,
): EntityStatusSummary {
  return {
    entityRef: `component:default/${name}`,
    kind: 'Component',
    namespace: 'default',
    name,
    title,
    owner: 'group:default/orders-team',
    system: 'system:default/orders',
    state,
    healthState: state,
    healthSource: 'probe',
    reasons: reason
      ? [
          {
            state,
            source: 'dependency',
            entityRef: 'resource:default/orders-db',
            message: reason,
          },
        ]
      : [],
  } as EntityStatusSummary;
}

function resource(
  name: string,
  state: Resource['state'],
  monthlyCostUsd: number,
): Resource {
  return {
    id: `id-${name}`,
    name,
    type: 'postgresql',
    owner: 'group:default/orders-team',
    entityRef: 'component:default/orders-api',
    parameters: { size: 'small' },
    state,
    drifted: false,
    conditions: [],
    outputs: {},
    monthlyCostUsd,
    billable: state !== 'requested' && state !== 'awaiting-approval',
    createdBy: 'user:default/dana.ortiz',
    createdAt: '2026-12-01T10:00:00Z',
    updatedAt: '2026-12-01T10:00:00Z',
  };
}

function statusApi() {
  return {
    getEntityStatus: jest.fn(),
    getEntityHistory: jest.fn(),
    listStatuses: jest.fn().mockResolvedValue({
      items: [
        status('fulfilment-worker', 'Fulfilment worker', 'up'),
        status(
          'orders-api',
          'Orders API',
          'degraded',
          'degraded: depends on Orders database (connection limit nearly reached)',
        ),
      ],
    }),
    listDeployments: jest.fn().mockImplementation(async ({ entityRef }) => ({
      items:
        entityRef === 'component:default/orders-api'
          ? [
              {
                id: 'd1',
                entityRef,
                environment: 'production',
                version: '1.4.2',
                status: 'succeeded',
                startedAt: '2026-12-01T11:55:00Z',
                createdBy: 'external:ci',
                createdAt: '2026-12-01T11:55:00Z',
              },
            ]
          : [],
    })),
    listIncidents: jest.fn().mockResolvedValue({
      items: [
        {
          id: 'i1',
          entityRef: 'component:default/orders-api',
          title: 'Checkout errors',
          severity: 'sev2',
          state: 'investigating',
          createdBy: 'user:default/dana.ortiz',
          createdAt: '2026-12-01T09:00:00Z',
          updatedAt: '2026-12-01T09:00:00Z',
          updates: [],
        },
        {
          id: 'i2',
          entityRef: 'component:default/payments-api',
          title: 'Someone else’s incident',
          severity: 'sev1',
          state: 'investigating',
          createdBy: 'user:default/sam',
          createdAt: '2026-12-01T09:00:00Z',
          updatedAt: '2026-12-01T09:00:00Z',
          updates: [],
        },
      ],
    }),
    openIncident: jest.fn(),
    updateIncident: jest.fn(),
    resolveIncident: jest.fn(),
    getDeliveryMetrics: jest.fn(),
  };
}

function provisioningApi(items: Resource[] = []) {
  return {
    listResources: jest.fn().mockImplementation(async query => {
      const matching = items.filter(
        r => !query?.state || r.state === query.state,
      );
      return {
        items: matching,
        totals: [
          {
            owner: 'group:default/orders-team',
            count: matching.length,
            monthlyCostUsd: matching.reduce((s, r) => s + r.monthlyCostUsd, 0),
          },
        ],
      };
    }),
  };
}

const discovery = {
  getBaseUrl: async (id: string) => `http://localhost:7007/api/${id}`,
};
function fetchAnswering(httpStatus: number, body: unknown = {}) {
  const fetch = jest.fn().mockResolvedValue(
    new Response(JSON.stringify(body), {
      status: httpStatus,
      headers: { 'Content-Type': 'application/json' },
    }),
  );
  return { fetch };
}

describe('Paved home widgets', () => {
  it('lists my services worst first, with the reason and a link to the entity', async () => {
    const api = statusApi();
    await renderInTestApp(<MyServicesCard />, {
      apis: [dana, [serviceStatusApiRef, api]],
    });
    const list = await screen.findByRole('list', { name: 'My services' });
    const items = within(list).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent('Orders API');
    expect(items[0]).toHaveTextContent('connection limit nearly reached');
    expect(items[0]).toHaveTextContent('Degraded');
    expect(items[1]).toHaveTextContent('Fulfilment worker');
    expect(
      within(list).getByRole('link', { name: 'Orders API' }),
    ).toHaveAttribute('href', '/catalog/default/component/orders-api');
    expect(api.listStatuses).toHaveBeenCalledWith({
      owner: ['user:default/dana.ortiz', 'group:default/orders-team'],
      kind: ['Component'],
      limit: 100,
    });
  });

  it("shows my teams' resources with their monthly cost and the total", async () => {
    const api = provisioningApi([
      resource('orders-cache', 'ready', 15),
      resource('invoice-db', 'provisioning', 60),
    ]);
    await renderInTestApp(<MyResourcesCard />, {
      apis: [dana, [provisioningApiRef, api]],
    });
    const list = await screen.findByRole('list', { name: 'My resources' });
    expect(
      within(list).getByText('postgresql · $15.00/month'),
    ).toBeInTheDocument();
    expect(
      within(list).getByRole('link', { name: 'invoice-db' }),
    ).toHaveAttribute('href', '/provisioning/resources/id-invoice-db');
    expect(screen.getByTestId('resources-total')).toHaveTextContent(
      '$75.00/month in total',
    );
    expect(api.listResources).toHaveBeenCalledWith({
      owner: ['group:default/orders-team'],
      limit: 50,
    });
  });

  it('says so when my teams have no resources', async () => {
    await renderInTestApp(<MyResourcesCard />, {
      apis: [dana, [provisioningApiRef, provisioningApi([])]],
    });
    expect(
      await screen.findByText(/Your teams have no resources yet/),
    ).toBeInTheDocument();
  });

  it('shows my requests awaiting approval and leaves out the approver list when the endpoint says 403', async () => {
    const fetchApi = fetchAnswering(403, {
      error: { name: 'NotAllowedError' },
    });
    await renderInTestApp(<ApprovalsCard />, {
      apis: [
        dana,
        [
          provisioningApiRef,
          provisioningApi([
            resource('big-db', 'awaiting-approval', 240),
            resource('ok-db', 'ready', 15),
          ]),
        ],
        [discoveryApiRef, discovery],
        [fetchApiRef, fetchApi],
      ],
    });
    const mine = await screen.findByRole('list', {
      name: 'My requests awaiting approval',
    });
    expect(within(mine).getAllByRole('listitem')).toHaveLength(1);
    expect(mine).toHaveTextContent('big-db');
    expect(mine).toHaveTextContent('$240.00/month');
    expect(screen.queryByText('For you to approve')).not.toBeInTheDocument();
    expect(fetchApi.fetch).toHaveBeenCalledWith(
      'http://localhost:7007/api/provisioning/v1/approvals',
    );
  });

  it('lists requests for an approver to approve, and copes with a backend without the endpoint (404)', async () => {
    const other = {
      ...resource('search-db', 'awaiting-approval', 240),
      owner: 'group:default/search-team',
    };
    const rendered = await renderInTestApp(<ApprovalsCard />, {
      apis: [
        dana,
        [provisioningApiRef, provisioningApi([])],
        [discoveryApiRef, discovery],
        [fetchApiRef, fetchAnswering(200, { items: [other] })],
      ],
    });
    const list = await screen.findByRole('list', {
      name: 'Requests for me to approve',
    });
    expect(list).toHaveTextContent('search-db');
    expect(list).toHaveTextContent('postgresql for search-team');
    rendered.unmount();

    await renderInTestApp(<ApprovalsCard />, {
      apis: [
        dana,
        [provisioningApiRef, provisioningApi([])],
        [discoveryApiRef, discovery],
        [fetchApiRef, fetchAnswering(404)],
      ],
    });
    expect(
      await screen.findByText('Nothing is waiting for approval.'),
    ).toBeInTheDocument();
  });

  it('shows open incidents and recent deployments of my services only', async () => {
    await renderInTestApp(<DeliveryCard now={() => NOW} />, {
      apis: [dana, [serviceStatusApiRef, statusApi()]],
    });
    const incidents = await screen.findByRole('list', {
      name: 'Open incidents',
    });
    expect(within(incidents).getAllByRole('listitem')).toHaveLength(1);
    expect(incidents).toHaveTextContent('Checkout errors');
    expect(incidents).toHaveTextContent(
      'Orders API · sev2 · investigating · opened 3 h ago',
    );
    const deployments = screen.getByRole('list', {
      name: 'Recent deployments',
    });
    expect(
      within(deployments).getByRole('link', { name: 'Orders API 1.4.2' }),
    ).toHaveAttribute('href', '/catalog/default/component/orders-api/status');
    expect(deployments).toHaveTextContent('production · succeeded · 5 min ago');
  });

  it('links each golden path to its form', async () => {
    const catalogApi = catalogApiMock({
      entities: [
        {
          apiVersion: 'scaffolder.backstage.io/v1beta3',
          kind: 'Template',
          metadata: {
            name: 'typescript-service',
            namespace: 'default',
            title: 'TypeScript HTTP service',
            description: 'A service with a database',
          },
          spec: {},
        },
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'orders-api', namespace: 'default' },
          spec: {},
        },
      ],
    });
    await renderInTestApp(<GoldenPathsCard />, {
      apis: [[catalogApiRef, catalogApi]],
    });
    const list = await screen.findByRole('list', { name: 'Golden paths' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(1);
    expect(
      within(list).getByRole('link', { name: 'TypeScript HTTP service' }),
    ).toHaveAttribute('href', '/create/templates/default/typescript-service');
  });
});

describe('Paved home page', () => {
  it('renders the Paved widgets in order, with the handbook, and none of the stock widgets', async () => {
    renderTestApp({
      features: [homePlugin, homeModule],
      initialRouteEntries: ['/home'],
      apis: [
        dana,
        [serviceStatusApiRef, statusApi()],
        [provisioningApiRef, provisioningApi([])],
        [discoveryApiRef, discovery],
        [fetchApiRef, fetchAnswering(403)],
        [catalogApiRef, catalogApiMock({ entities: [] })],
      ],
      config: {
        app: {
          extensions: [
            { 'home-page-widget:home/toolkit': false },
            { 'home-page-widget:home/world-clock': false },
            { 'home-page-widget:home/starred-entities': false },
            { 'home-page-widget:home/random-joke': false },
            { 'home-page-widget:home/most-visited': false },
            { 'home-page-widget:home/recently-visited': false },
          ],
        },
      },
    });
    expect(
      await screen.findByRole(
        'list',
        { name: 'My services' },
        { timeout: 15_000 },
      ),
    ).toBeInTheDocument();
    const titles = [
      'My services',
      'My resources',
      'Waiting for approval',
      'Incidents and deployments',
      'Start from a golden path',
      'Platform handbook',
    ];
    const shown = [];
    for (const title of titles)
      shown.push(await screen.findByText(title, { selector: 'span' }));
    // in this order on the page
    for (let i = 1; i < shown.length; i++) {
      expect(
        shown[i - 1].compareDocumentPosition(shown[i]) &
          Node.DOCUMENT_POSITION_FOLLOWING,
      ).toBeTruthy();
    }
    expect(screen.getByRole('link', { name: 'The handbook' })).toHaveAttribute(
      'href',
      '/docs/default/component/paved-portal',
    );
    for (const link of screen.getAllByRole('link')) {
      expect(link.getAttribute('href') ?? '').not.toMatch(/^https?:/);
    }
    expect(screen.queryByText(/visit tracking/i)).not.toBeInTheDocument();
    expect(screen.queryByText('NYC')).not.toBeInTheDocument();
  });
});
