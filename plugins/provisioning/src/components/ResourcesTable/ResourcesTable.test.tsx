import { identityApiRef } from '@backstage/core-plugin-api';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
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
import { FALLBACK_POLL_INTERVAL_MS, ResourcesTable } from './ResourcesTable';

jest.setTimeout(30_000);

const mountedRoutes = {
  '/provisioning': rootRouteRef,
  '/catalog/:namespace/:kind/:name': entityRouteRef,
};

async function renderTable(
  api: ReturnType<typeof mockProvisioningApi>,
  ownership = ['user:default/dana.ortiz', 'group:default/orders-team'],
  signals?: ReturnType<typeof mockSignalApi>,
) {
  api.listTypes.mockResolvedValue({ items: [postgresType, redisType] });
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [provisioningApiRef, api],
        [
          identityApiRef,
          mockApis.identity({
            userEntityRef: 'user:default/dana.ortiz',
            ownershipEntityRefs: ownership,
          }),
        ],
        [catalogApiRef, catalogApiMock()],
        ...(signals ? [[signalApiRef, signals] as const] : []),
      ]}
    >
      <ResourcesTable pageSize={2} />
    </TestApiProvider>,
    { mountedRoutes },
  );
}

async function select(label: RegExp, option: string) {
  await userEvent.click(screen.getByRole('button', { name: label }));
  await userEvent.click(
    within(screen.getByRole('listbox')).getByRole('option', { name: option }),
  );
}

describe('ResourcesTable', () => {
  it('reloads on a resource signal and runs no polling timer while signals work', async () => {
    const setIntervalSpy = jest.spyOn(window, 'setInterval');
    const api = mockProvisioningApi();
    const signals = mockSignalApi({ echoFrom: api });
    const busy = makeResource({ state: 'provisioning' });
    api.listResources.mockResolvedValue({ items: [busy], totals: [] });
    await renderTable(api, undefined, signals);
    await waitFor(() =>
      expect(screen.getByTestId('resource-state')).toHaveTextContent(
        'provisioning',
      ),
    );
    expect(api.echoSignal).toHaveBeenCalled();
    const before = api.listResources.mock.calls.length;
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
    expect(api.listResources).toHaveBeenCalledTimes(before + 1);
    expect(
      setIntervalSpy.mock.calls.filter(
        ([, ms]) => ms === FALLBACK_POLL_INTERVAL_MS,
      ),
    ).toHaveLength(0);
    setIntervalSpy.mockRestore();
  });

  it('re-reads once when the signal connection becomes live, so a change published before it is not lost', async () => {
    const setIntervalSpy = jest.spyOn(window, 'setInterval');
    const clearIntervalSpy = jest.spyOn(window, 'clearInterval');
    const api = mockProvisioningApi();
    // No echo yet: the subscription is not proven, so the busy table polls as its fallback.
    const signals = mockSignalApi();
    const busy = makeResource({ state: 'provisioning' });
    api.listResources.mockResolvedValue({ items: [busy], totals: [] });
    await renderTable(api, undefined, signals);
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
    const pollTimer = setIntervalSpy.mock.results.find(
      (_r, i) => setIntervalSpy.mock.calls[i][1] === FALLBACK_POLL_INTERVAL_MS,
    )?.value;
    // The resource became ready before the subscription was up: no signal for it will come.
    api.listResources.mockResolvedValue({
      items: [{ ...busy, state: 'ready' }],
      totals: [],
    });
    const before = api.listResources.mock.calls.length;
    const nonce = api.echoSignal.mock.calls.at(-1)![0];
    act(() => signals.publish('provisioning:resource', { echo: nonce }));
    await waitFor(() =>
      expect(screen.getByTestId('resource-state')).toHaveTextContent('ready'),
    );
    expect(api.listResources).toHaveBeenCalledTimes(before + 1);
    // Live: the fallback timer is gone.
    expect(clearIntervalSpy).toHaveBeenCalledWith(pollTimer);
    setIntervalSpy.mockRestore();
    clearIntervalSpy.mockRestore();
  });

  it('polls while a resource is busy when signals are unavailable', async () => {
    const setIntervalSpy = jest.spyOn(window, 'setInterval');
    const api = mockProvisioningApi();
    api.listResources.mockResolvedValue({
      items: [makeResource({ state: 'provisioning' })],
      totals: [],
    });
    await renderTable(api);
    await waitFor(() =>
      expect(
        setIntervalSpy.mock.calls.filter(
          ([, ms]) => ms === FALLBACK_POLL_INTERVAL_MS,
        ),
      ).toHaveLength(1),
    );
    setIntervalSpy.mockRestore();
  });

  it('lists my teams by default with states, costs and totals per owner', async () => {
    const api = mockProvisioningApi();
    api.listResources.mockResolvedValue({
      items: [
        makeResource({ id: 'r1' }),
        makeResource({
          id: 'r2',
          name: 'orders-cache',
          type: 'redis',
          state: 'failed',
          monthlyCostUsd: 10,
        }),
      ],
      totals: [
        { owner: 'group:default/orders-team', monthlyCostUsd: 25, count: 2 },
      ],
    });
    await renderTable(api);
    await waitFor(() =>
      expect(screen.getByRole('link', { name: 'invoice-db' })).toHaveAttribute(
        'href',
        '/provisioning/resources/r1',
      ),
    );
    expect(api.listResources).toHaveBeenCalledWith({
      owner: ['group:default/orders-team'],
      limit: 2,
    });
    expect(
      screen.getAllByTestId('resource-state').map(e => e.textContent),
    ).toEqual(['ready', 'failed']);
    expect(screen.getByText('Redis cache')).toBeInTheDocument();
    expect(screen.getByText('$10.00/month')).toBeInTheDocument();
    expect(screen.getByTestId('owner-totals')).toHaveTextContent(
      'orders-team: $25.00/month (2 resources)',
    );
  });

  it('passes the owner, type and state filters to the API and pages with the cursor', async () => {
    const api = mockProvisioningApi();
    api.listResources.mockResolvedValue({
      items: [makeResource()],
      nextCursor: 'page-2',
      totals: [],
    });
    await renderTable(api);
    await screen.findByRole('link', { name: 'invoice-db' });

    await select(/State/, 'failed');
    await waitFor(() =>
      expect(api.listResources).toHaveBeenLastCalledWith({
        owner: ['group:default/orders-team'],
        state: 'failed',
        limit: 2,
      }),
    );
    await select(/Type/, 'PostgreSQL database');
    await waitFor(() =>
      expect(api.listResources).toHaveBeenLastCalledWith({
        owner: ['group:default/orders-team'],
        type: 'postgresql',
        state: 'failed',
        limit: 2,
      }),
    );
    await select(/Owner/, 'All owners');
    await waitFor(() =>
      expect(api.listResources).toHaveBeenLastCalledWith({
        type: 'postgresql',
        state: 'failed',
        limit: 2,
      }),
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Next page' }),
    );
    await waitFor(() =>
      expect(api.listResources).toHaveBeenLastCalledWith({
        type: 'postgresql',
        state: 'failed',
        cursor: 'page-2',
        limit: 2,
      }),
    );
  });

  it('shows an empty state', async () => {
    const api = mockProvisioningApi();
    api.listResources.mockResolvedValue({ items: [], totals: [] });
    await renderTable(api);
    expect(await screen.findByText('No resources')).toBeInTheDocument();
  });

  it('explains when the user is in no team, without calling the API', async () => {
    const api = mockProvisioningApi();
    await renderTable(api, ['user:default/dana.ortiz']);
    expect(
      await screen.findByText('You are not a member of any team'),
    ).toBeInTheDocument();
    expect(api.listResources).not.toHaveBeenCalled();
  });

  it('shows errors with a retry', async () => {
    const api = mockProvisioningApi();
    api.listResources.mockRejectedValue(apiError(500, 'boom'));
    await renderTable(api);
    expect(
      await screen.findByText(/Could not load resources/),
    ).toBeInTheDocument();
    api.listResources.mockResolvedValue({ items: [], totals: [] });
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('No resources')).toBeInTheDocument();
  });
});
