import { useApi } from '@backstage/core-plugin-api';
import { useSignal } from '@backstage/plugin-signals-react';
import type { Rollout } from '@paved/backstage-plugin-provisioning-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { provisioningApiRef } from '../../api';
import { usePollingFallback, useResourceSignal } from '../../hooks/useResourceSignal';

/** The signal channel on which the provisioning backend announces every step of a rollout. @internal */
export const ROLLOUT_SIGNAL_CHANNEL = 'provisioning:rollout';

/** Poll interval of a running rollout when signals are unavailable, in ms. @internal */
export const ROLLOUT_POLL_INTERVAL_MS = 2000;

/** Whether a rollout may still change on its own. @internal */
export const isActive = (r?: Rollout) => r?.status === 'running' || r?.status === 'paused';

/**
 * Loads a rollout and reloads it when the backend pushes a step of it (signal on `provisioning:rollout`) or a change
 * of one of its resources (`provisioning:resource`); without signals it polls every
 * {@link ROLLOUT_POLL_INTERVAL_MS} while the rollout is running.
 * @internal
 */
export function useRollout(id: string) {
  const api = useApi(provisioningApiRef);
  const [rollout, setRollout] = useState<Rollout | undefined>();
  const [error, setError] = useState<Error | undefined>();
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const reload = useCallback(async () => {
    try {
      const r = await api.getRollout(id);
      if (mounted.current) {
        setRollout(r);
        setError(undefined);
      }
    } catch (e) {
      if (mounted.current) setError(e as Error);
    }
  }, [api, id]);

  useEffect(() => {
    reload();
  }, [reload]);

  const { lastSignal, isSignalsAvailable } = useSignal<{ id?: string }>(ROLLOUT_SIGNAL_CHANNEL);
  useEffect(() => {
    if (lastSignal && lastSignal.id === id) reload();
  }, [lastSignal, id, reload]);
  const ids = useRef(new Set<string>());
  ids.current = new Set(rollout?.waves.flatMap(w => w.items.map(i => i.resourceId)) ?? []);
  // undefined: the signal connection became live, so re-read what may have been missed
  useResourceSignal(signal => {
    if (!signal || ids.current.has(signal.id)) reload();
  });
  usePollingFallback(reload, ROLLOUT_POLL_INTERVAL_MS, !isSignalsAvailable && rollout?.status === 'running');
  // with signals, a safety re-check every 15 s while running (a step published before the connection was up)
  usePollingFallback(reload, 15_000, isSignalsAvailable && rollout?.status === 'running');

  return { rollout, error, reload, setRollout };
}
