import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { TestApiProvider, mockApis, renderInTestApp } from '@backstage/test-utils';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { provisioningApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { apiError, mockProvisioningApi, mockSignalApi, redisType } from '../../testUtils';
import { RolloutPage } from './RolloutPage';
import { RolloutsView } from './RolloutsView';
import { parseWaves } from './StartRolloutDialog';
import { makeRollout, versionedPostgres } from './testData';

jest.setTimeout(30_000);

function render(
  element: JSX.Element,
  api: ReturnType<typeof mockProvisioningApi>,
  signals?: ReturnType<typeof mockSignalApi>,
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [provisioningApiRef, api],
        [permissionApiRef, mockApis.permission({ authorize: () => AuthorizeResult.ALLOW })],
        ...(signals ? [[signalApiRef, signals] as const] : []),
      ]}
    >
      <Routes>
        <Route path="/" element={element} />
        <Route path="/provisioning/rollouts/:id" element={<RolloutPage />} />
      </Routes>
    </TestApiProvider>,
    { mountedRoutes: { '/provisioning': rootRouteRef } },
  );
}

describe('parseWaves', () => {
  it('reads percentages and refuses what cannot be a plan', () => {
    expect(parseWaves('5, 25')).toEqual([5, 25]);
    expect(parseWaves('10% 20%')).toEqual([10, 20]);
    expect(parseWaves('')).toEqual([]);
    expect(parseWaves('60, 50')).toBeUndefined();
    expect(parseWaves('0')).toBeUndefined();
    expect(parseWaves('2.5')).toBeUndefined();
  });
});

describe('RolloutsView', () => {
  it('shows each type with its version and how many resources are behind, and the rollouts', async () => {
    const api = mockProvisioningApi();
    api.listTypes.mockResolvedValue({ items: [versionedPostgres, { ...redisType, version: '1.0.0', resourcesBehind: 0 }] });
    api.listRollouts.mockResolvedValue({ items: [makeRollout({ status: 'succeeded', applied: 3 })] });
    await render(<RolloutsView />, api);
    const row = await screen.findByTestId('type-row-postgresql');
    expect(row).toHaveTextContent('1.1.0');
    expect(row).toHaveTextContent('Connection limits 20 / 40 / 80');
    expect(screen.getByTestId('behind-postgresql')).toHaveTextContent('3');
    expect(screen.getByTestId('behind-redis')).toHaveTextContent('0');
    const rollouts = screen.getAllByTestId('rollout-row');
    expect(rollouts[0]).toHaveTextContent('3 of 3 applied');
    expect(within(rollouts[0]).getByRole('link', { name: 'postgresql' })).toHaveAttribute(
      'href',
      '/provisioning/rollouts/5e1c2a1e-0000-4000-8000-000000000001',
    );
    // nothing behind: no start button
    expect(within(screen.getByTestId('type-row-redis')).queryByRole('button')).toBeNull();
  });

  it('starts a rollout in waves with a soak time and opens it', async () => {
    const api = mockProvisioningApi();
    api.listTypes.mockResolvedValue({ items: [versionedPostgres] });
    api.listRollouts.mockResolvedValue({ items: [] });
    api.createRollout.mockResolvedValue(makeRollout());
    api.getRollout.mockResolvedValue(makeRollout());
    await render(<RolloutsView />, api);
    await waitFor(() => expect(screen.getByRole('button', { name: 'Start rollout' })).toBeInTheDocument());
    await userEvent.click(screen.getByRole('button', { name: 'Start rollout' }));
    const dialog = screen.getByRole('dialog');
    expect(dialog).toHaveTextContent('3 resource(s) are behind version 1.1.0');
    const waves = within(dialog).getByRole('textbox', { name: 'Wave sizes (%)' });
    await userEvent.clear(waves);
    await userEvent.type(waves, '60, 50');
    expect(within(dialog).getByRole('button', { name: 'Start rollout' })).toBeDisabled();
    await userEvent.clear(waves);
    await userEvent.type(waves, '10, 30');
    const soak = within(dialog).getByRole('textbox', { name: 'Soak time (seconds)' });
    await userEvent.clear(soak);
    await userEvent.type(soak, '30');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Start rollout' }));
    await waitFor(() =>
      expect(api.createRollout).toHaveBeenCalledWith({
        type: 'postgresql',
        targetVersion: '1.1.0',
        strategy: 'percent',
        waves: [10, 30],
        soakSeconds: 30,
      }),
    );
    expect(await screen.findByText('Rollout of postgresql 1.1.0')).toBeInTheDocument();
  });

  it('shows why a start was refused', async () => {
    const api = mockProvisioningApi();
    api.listTypes.mockResolvedValue({ items: [versionedPostgres] });
    api.listRollouts.mockResolvedValue({ items: [] });
    api.createRollout.mockRejectedValue(apiError(409, "A rollout of 'postgresql' is already in progress"));
    await render(<RolloutsView />, api);
    await waitFor(() => expect(screen.getByRole('button', { name: 'Start rollout' })).toBeInTheDocument());
    await userEvent.click(screen.getByRole('button', { name: 'Start rollout' }));
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Start rollout' }));
    expect(await screen.findByText(/already in progress/)).toBeInTheDocument();
  });
});

describe('RolloutPage', () => {
  const renderPage = (api: ReturnType<typeof mockProvisioningApi>, signals?: ReturnType<typeof mockSignalApi>) =>
    renderInTestApp(
      <TestApiProvider
        apis={[
          [provisioningApiRef, api],
          [permissionApiRef, mockApis.permission({ authorize: () => AuthorizeResult.ALLOW })],
          ...(signals ? [[signalApiRef, signals] as const] : []),
        ]}
      >
        <Routes>
          <Route path="/provisioning/rollouts/:id" element={<RolloutPage />} />
        </Routes>
      </TestApiProvider>,
      {
        mountedRoutes: { '/provisioning': rootRouteRef },
        routeEntries: ['/provisioning/rollouts/5e1c2a1e-0000-4000-8000-000000000001'],
      },
    );

  it('shows live progress per wave from signals and aborts', async () => {
    const api = mockProvisioningApi();
    const signals = mockSignalApi();
    api.getRollout.mockResolvedValueOnce(makeRollout());
    await renderPage(api, signals);
    const canary = await screen.findByTestId('wave-0');
    expect(canary).toHaveTextContent('Wave 1 of 2: canary');
    expect(within(canary).getByTestId('status-passed')).toBeInTheDocument();
    expect(screen.getByTestId('wave-1')).toHaveTextContent('0 of 2 applied');
    // the backend finishes an item of wave 2 and signals it
    const progressed = makeRollout();
    progressed.applied = 2;
    progressed.waves[1] = { ...progressed.waves[1], applied: 1, items: [{ ...progressed.waves[1].items[0], status: 'applied' }, progressed.waves[1].items[1]] };
    api.getRollout.mockResolvedValue(progressed);
    act(() => signals.publish('provisioning:rollout', { id: progressed.id, status: 'running' }));
    await waitFor(() => expect(screen.getByTestId('wave-1')).toHaveTextContent('1 of 2 applied'));

    api.steerRollout.mockResolvedValue(
      makeRollout({
        status: 'aborted',
        reason: 'Aborted by user:default/priya.shah',
        waves: progressed.waves.map(w => ({ ...w, status: w.index === 0 ? 'passed' : 'aborted' })),
      }),
    );
    expect(screen.getByRole('button', { name: 'Pause' })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Abort' }));
    await waitFor(() => expect(api.steerRollout).toHaveBeenCalledWith(progressed.id, 'abort'));
    expect(await screen.findByTestId('rollout-reason')).toHaveTextContent('Aborted by user:default/priya.shah');
    expect(screen.queryByRole('button', { name: 'Abort' })).toBeNull();
  });

  it('shows the reason of a failed rollout and the rolled back resource', async () => {
    const api = mockProvisioningApi();
    const failed = makeRollout({
      status: 'failed',
      reason: 'Wave 1 failed its health gate: db-1 is down',
      currentWave: 0,
      applied: 0,
    });
    failed.waves[0] = { ...failed.waves[0], status: 'failed', applied: 0, rolledBack: 1, items: [{ ...failed.waves[0].items[0], status: 'rolled-back', message: 'rolled back to 1.0.0' }] };
    api.getRollout.mockResolvedValue(failed);
    await renderPage(api);
    expect(await screen.findByTestId('rollout-reason')).toHaveTextContent('db-1 is down');
    expect(screen.getByTestId('wave-0')).toHaveTextContent('1 rolled back');
    expect(screen.getByTestId('wave-0')).toHaveTextContent('rolled back to 1.0.0');
    expect(screen.queryByRole('button', { name: 'Resume' })).toBeNull();
  });

  it('polls a running rollout when signals are unavailable', async () => {
    jest.useFakeTimers({ advanceTimers: true });
    try {
      const api = mockProvisioningApi();
      api.getRollout.mockResolvedValue(makeRollout());
      await renderPage(api);
      await screen.findByTestId('wave-0');
      const calls = api.getRollout.mock.calls.length;
      await act(async () => {
        jest.advanceTimersByTime(2100);
      });
      await waitFor(() => expect(api.getRollout.mock.calls.length).toBeGreaterThan(calls));
    } finally {
      jest.useRealTimers();
    }
  });
});
