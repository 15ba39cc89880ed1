import { TestApiProvider } from '@backstage/test-utils';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { act, renderHook } from '@testing-library/react';
import { PropsWithChildren } from 'react';
import { provisioningApiRef } from '../api';
import { apiError, mockProvisioningApi, mockSignalApi } from '../testUtils';
import { SIGNAL_LIVENESS, useResourceSignal } from './useResourceSignal';

// Rendering a whole page can take longer than jest's default 5 s on a busy 2-core CI machine.
jest.setTimeout(30_000);

function setup(options: { echo: boolean }) {
  const api = mockProvisioningApi();
  const signals = mockSignalApi(options.echo ? { echoFrom: api } : {});
  const wrapper = ({ children }: PropsWithChildren<{}>) => (
    <TestApiProvider
      apis={[
        [provisioningApiRef, api],
        [signalApiRef, signals],
      ]}
    >
      {children}
    </TestApiProvider>
  );
  return { api, signals, wrapper };
}

/** Lets the echo promises and React state settle. */
async function flush(ms = 0) {
  await act(async () => {
    jest.advanceTimersByTime(ms);
    await Promise.resolve();
  });
}

describe('useResourceSignal', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('is live once its echo comes back, and asks the caller to re-read once', async () => {
    const { api, wrapper } = setup({ echo: true });
    const onChange = jest.fn();
    const { result } = renderHook(() => useResourceSignal(onChange), {
      wrapper,
    });
    await flush();
    expect(result.current).toEqual({ isSignalsAvailable: true, isLive: true });
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(onChange).toHaveBeenCalledWith(undefined);
    // No more echo requests until the heartbeat.
    await flush(SIGNAL_LIVENESS.heartbeatIntervalMs - 1);
    expect(api.echoSignal).toHaveBeenCalledTimes(1);
    await flush(1);
    expect(api.echoSignal).toHaveBeenCalledTimes(2);
    expect(result.current.isLive).toBe(true);
    expect(onChange).toHaveBeenCalledTimes(1);
  });

  it('passes resource signals on and ignores echoes and other messages', async () => {
    const { signals, wrapper } = setup({ echo: true });
    const onChange = jest.fn();
    renderHook(() => useResourceSignal(onChange), { wrapper });
    await flush();
    onChange.mockClear();
    act(() => {
      signals.publish('provisioning:resource', { echo: 'someone-else' });
      signals.publish('provisioning:resource', { nothing: true });
      signals.publish('provisioning:resource', { id: 'r1', eventId: 'e1' });
    });
    expect(onChange.mock.calls).toEqual([[{ id: 'r1', eventId: 'e1' }]]);
  });

  it('probes until an echo arrives, is not live meanwhile, then re-reads once', async () => {
    const { api, signals, wrapper } = setup({ echo: false });
    const onChange = jest.fn();
    const { result } = renderHook(() => useResourceSignal(onChange), {
      wrapper,
    });
    await flush();
    expect(api.echoSignal).toHaveBeenCalledTimes(1);
    let elapsed = 0;
    for (const delay of SIGNAL_LIVENESS.probeDelaysMs) {
      await flush(delay);
      elapsed += delay;
    }
    expect(api.echoSignal).toHaveBeenCalledTimes(
      1 + SIGNAL_LIVENESS.probeDelaysMs.length,
    );
    await flush(SIGNAL_LIVENESS.probeIntervalMs);
    expect(api.echoSignal).toHaveBeenCalledTimes(
      2 + SIGNAL_LIVENESS.probeDelaysMs.length,
    );
    expect(elapsed).toBeGreaterThan(SIGNAL_LIVENESS.confirmTimeoutMs);
    expect(result.current.isLive).toBe(false);
    expect(onChange).not.toHaveBeenCalled();

    const nonce = api.echoSignal.mock.calls.at(-1)![0];
    act(() => signals.publish('provisioning:resource', { echo: nonce }));
    await flush();
    expect(result.current.isLive).toBe(true);
    expect(onChange).toHaveBeenCalledWith(undefined);
  });

  it('stops being live when a heartbeat is not echoed, and re-reads when it is again', async () => {
    const { api, signals, wrapper } = setup({ echo: true });
    const onChange = jest.fn();
    const { result } = renderHook(() => useResourceSignal(onChange), {
      wrapper,
    });
    await flush();
    expect(result.current.isLive).toBe(true);
    // The connection stops delivering: echoes are lost from now on.
    api.echoSignal.mockImplementation(async (nonce: string) => ({ nonce }));
    await flush(SIGNAL_LIVENESS.heartbeatIntervalMs);
    expect(result.current.isLive).toBe(true);
    await flush(SIGNAL_LIVENESS.confirmTimeoutMs);
    expect(result.current.isLive).toBe(false);

    const nonce = api.echoSignal.mock.calls.at(-1)![0];
    act(() => signals.publish('provisioning:resource', { echo: nonce }));
    await flush();
    expect(result.current.isLive).toBe(true);
    expect(onChange.mock.calls).toEqual([[undefined], [undefined]]);
  });

  it('gives up probing for good when the backend has no echo endpoint (4xx)', async () => {
    const { api, wrapper } = setup({ echo: false });
    api.echoSignal.mockRejectedValue(apiError(404, 'Not found'));
    const { result } = renderHook(() => useResourceSignal(jest.fn()), {
      wrapper,
    });
    await flush();
    await flush(60_000);
    expect(api.echoSignal).toHaveBeenCalledTimes(1);
    expect(result.current.isLive).toBe(false);
  });

  it('shares one probe between the components of a page', async () => {
    const { api, wrapper } = setup({ echo: true });
    const a = renderHook(() => useResourceSignal(jest.fn()), { wrapper });
    const b = renderHook(() => useResourceSignal(jest.fn()), { wrapper });
    await flush();
    expect(a.result.current.isLive).toBe(true);
    expect(b.result.current.isLive).toBe(true);
    expect(api.echoSignal).toHaveBeenCalledTimes(1);
  });

  it('is never live without a signal API', async () => {
    const api = mockProvisioningApi();
    const wrapper = ({ children }: PropsWithChildren<{}>) => (
      <TestApiProvider apis={[[provisioningApiRef, api]]}>
        {children}
      </TestApiProvider>
    );
    const { result } = renderHook(() => useResourceSignal(jest.fn()), {
      wrapper,
    });
    await flush(10_000);
    expect(result.current).toEqual({
      isSignalsAvailable: false,
      isLive: false,
    });
    expect(api.echoSignal).not.toHaveBeenCalled();
  });
});
