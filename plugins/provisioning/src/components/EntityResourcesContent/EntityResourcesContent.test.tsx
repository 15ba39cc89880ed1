import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  catalogApiRef,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes, useLocation } from 'react-router-dom';
import { provisioningApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import {
  apiError,
  makeResource,
  mockProvisioningApi,
  mockSignalApi,
  postgresType,
  redisType,
} from '../../testUtils';
import { FALLBACK_POLL_INTERVAL_MS } from '../ResourcesTable/ResourcesTable';
import { EntityResourcesContent } from './EntityResourcesContent';

jest.setTimeout(30_000);

const mountedRoutes = {
  '/provisioning': rootRouteRef,
  '/catalog/:namespace/:kind/:name': entityRouteRef,
};

const component: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders-api', namespace: 'default' },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'orders-team',
    system: 'orders',
  },
};

function Where() {
  const location = useLocation();
  return (
    <div data-testid="location">{location.pathname + location.search}</div>
  );
}

async function renderContent(
  api: ReturnType<typeof mockProvisioningApi>,
  options: {
    entity?: Entity;
    catalog?: Entity[];
    signals?: ReturnType<typeof mockSignalApi>;
  } = {},
) {
  api.listTypes.mockResolvedValue({ items: [postgresType, redisType] });
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [provisioningApiRef, api],
        [catalogApiRef, catalogApiMock({ entities: options.catalog ?? [] })],
        ...(options.signals ? [[signalApiRef, options.signals] as const] : []),
      ]}
    >
      <EntityProvider entity={options.entity ?? component}>
        <Routes>
          <Route path="/" element={<EntityResourcesContent />} />
          <Route path="/provisioning/*" element={<Where />} />
        </Routes>
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes },
  );
}

describe('EntityResourcesContent', () => {
  it('reloads on a resource signal and runs no polling timer while signals work', async () => {
    const setIntervalSpy = jest.spyOn(window, 'setInterval');
    const api = mockProvisioningApi();
    const signals = mockSignalApi({ echoFrom: api });
    const busy = makeResource({ name: 'orders-db', state: 'provisioning' });
    api.listResources.mockResolvedValue({ items: [busy], totals: [] });
    await renderContent(api, { signals });
    await waitFor(() =>
      expect(screen.getByTestId('resource-state')).toHaveTextContent(
        'provisioning',
      ),
    );
    // Initial read, then one re-read when the connection was proven live.
    await waitFor(() => expect(api.listResources).toHaveBeenCalledTimes(2));
    api.listResources.mockResolvedValue({
      items: [{ ...busy, state: 'ready' }],
      totals: [],
    });
    act(() =>
      signals.publish('provisioning:resource', {
        id: busy.id,
        eventId: 'e2',
        state: 'ready',
      }),
    );
    await waitFor(() =>
      expect(screen.getByTestId('resource-state')).toHaveTextContent('ready'),
    );
    expect(api.listResources).toHaveBeenCalledTimes(3);
    expect(
      setIntervalSpy.mock.calls.filter(
        ([, ms]) => ms === FALLBACK_POLL_INTERVAL_MS,
      ),
    ).toHaveLength(0);
    setIntervalSpy.mockRestore();
  });

  it('re-reads when the signal connection becomes live, and polls a busy resource until then', async () => {
    const setIntervalSpy = jest.spyOn(window, 'setInterval');
    const api = mockProvisioningApi();
    const signals = mockSignalApi();
    const busy = makeResource({ name: 'orders-db', state: 'provisioning' });
    api.listResources.mockResolvedValue({ items: [busy], totals: [] });
    await renderContent(api, { signals });
    await waitFor(() =>
      expect(screen.getByTestId('resource-state')).toHaveTextContent(
        'provisioning',
      ),
    );
    await waitFor(() =>
      expect(
        setIntervalSpy.mock.calls.filter(
          ([, ms]) => ms === FALLBACK_POLL_INTERVAL_MS,
        ),
      ).toHaveLength(1),
    );
    api.listResources.mockResolvedValue({
      items: [{ ...busy, state: 'ready' }],
      totals: [],
    });
    const nonce = api.echoSignal.mock.calls.at(-1)![0];
    act(() => signals.publish('provisioning:resource', { echo: nonce }));
    await waitFor(() =>
      expect(screen.getByTestId('resource-state')).toHaveTextContent('ready'),
    );
    expect(api.listResources).toHaveBeenCalledTimes(2);
    setIntervalSpy.mockRestore();
  });

  it('polls a busy resource when the app has no signals', async () => {
    const setIntervalSpy = jest.spyOn(window, 'setInterval');
    const api = mockProvisioningApi();
    api.listResources.mockResolvedValue({
      items: [makeResource({ state: 'provisioning' })],
      totals: [],
    });
    await renderContent(api);
    await waitFor(() =>
      expect(
        setIntervalSpy.mock.calls.filter(
          ([, ms]) => ms === FALLBACK_POLL_INTERVAL_MS,
        ),
      ).toHaveLength(1),
    );
    expect(api.echoSignal).not.toHaveBeenCalled();
    setIntervalSpy.mockRestore();
  });

  it('lists the resources of the entity with state, cost and total', async () => {
    const api = mockProvisioningApi();
    api.listResources.mockResolvedValue({
      items: [
        makeResource({ name: 'orders-db', monthlyCostUsd: 60 }),
        makeResource({
          name: 'orders-cache',
          type: 'redis',
          monthlyCostUsd: 10,
          state: 'provisioning',
        }),
      ],
      totals: [],
    });
    await renderContent(api);
    expect(
      await screen.findByRole('link', { name: 'orders-db' }),
    ).toBeInTheDocument();
    expect(api.listResources).toHaveBeenCalledWith({
      entityRef: 'component:default/orders-api',
    });
    expect(
      screen.getAllByTestId('resource-state').map(e => e.textContent),
    ).toEqual(['ready', 'provisioning']);
    expect(screen.getByTestId('entity-resources-total')).toHaveTextContent(
      'Total: $70.00/month',
    );
  });

  it('opens the request form with owner, entity and system filled in', async () => {
    const api = mockProvisioningApi();
    api.listResources.mockResolvedValue({ items: [], totals: [] });
    await renderContent(api);
    expect(await screen.findByText('No resources yet')).toBeInTheDocument();
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'Request a resource' }),
      ).toBeEnabled(),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Request a resource' }),
    );
    await userEvent.click(
      screen.getByRole('menuitem', { name: 'PostgreSQL database' }),
    );
    const location = await screen.findByTestId('location');
    const url = new URL(location.textContent!, 'http://x');
    expect(url.pathname).toBe('/provisioning/request/postgresql');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      owner: 'group:default/orders-team',
      entityRef: 'component:default/orders-api',
      system: 'system:default/orders',
    });
  });

  it('shows API errors', async () => {
    const api = mockProvisioningApi();
    api.listResources.mockRejectedValue(apiError(403, 'denied'));
    await renderContent(api);
    expect(
      await screen.findByText(/Could not load resources/),
    ).toBeInTheDocument();
  });
});

describe('EntityResourcesContent on a system', () => {
  it('lists the resources of the system and of its components', async () => {
    const api = mockProvisioningApi();
    api.listTypes.mockResolvedValue({ items: [postgresType] });
    api.listResources.mockImplementation(async ({ entityRef } = {}) => ({
      items:
        entityRef === 'component:default/orders-api'
          ? [makeResource({ id: 'a', name: 'orders-db' })]
          : [makeResource({ id: 'b', name: 'orders-bus', entityRef })],
      totals: [],
    }));
    const system: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: { name: 'orders', namespace: 'default' },
      spec: { owner: 'group:default/orders-team' },
    };
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [provisioningApiRef, api],
          [
            catalogApiRef,
            catalogApiMock({
              entities: [
                { ...component },
                {
                  ...component,
                  metadata: { name: 'payments-api', namespace: 'default' },
                  spec: { ...component.spec, system: 'payments' },
                },
              ],
            }),
          ],
        ]}
      >
        <EntityProvider entity={system}>
          <EntityResourcesContent />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes },
    );
    expect(
      await screen.findByRole('link', { name: 'orders-db' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'orders-bus' }),
    ).toBeInTheDocument();
    const queried = api.listResources.mock.calls
      .map(c => c[0]?.entityRef)
      .sort();
    expect(queried).toEqual([
      'component:default/orders-api',
      'system:default/orders',
    ]);
  });

  it('says how the other catalog resources relate instead of "No resources yet"', async () => {
    const resourceEntity = (name: string, annotations = {}): Entity => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: { name, namespace: 'default', annotations },
      spec: { type: 'database', owner: 'orders-team' },
    });
    const api = mockProvisioningApi();
    api.listResources.mockResolvedValue({ items: [], totals: [] });
    await renderContent(api, {
      entity: {
        ...component,
        relations: [
          { type: 'dependsOn', targetRef: 'resource:default/orders-db' },
          { type: 'dependsOn', targetRef: 'resource:default/orders-events' },
          { type: 'dependsOn', targetRef: 'resource:default/shared-cache' },
          { type: 'ownedBy', targetRef: 'group:default/orders-team' },
        ],
      },
      catalog: [
        resourceEntity('orders-db'),
        resourceEntity('orders-events'),
        resourceEntity('shared-cache', { 'paved.dev/resource-id': 'r-other' }),
      ],
    });
    const related = await screen.findByTestId('related-catalog-resources');
    expect(related).toHaveTextContent(
      '2 catalog resources related through dependsOn were not provisioned through Paved: orders-db, orders-events',
    );
    expect(related).toHaveTextContent(
      '1 provisioned resource related through dependsOn belongs to another entity: shared-cache',
    );
    expect(screen.getByRole('link', { name: 'orders-db' })).toHaveAttribute(
      'href',
      '/catalog/default/resource/orders-db',
    );
    expect(screen.queryByText('No resources yet')).toBeNull();
  });
});
