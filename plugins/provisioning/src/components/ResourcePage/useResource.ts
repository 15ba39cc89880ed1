import { useApi } from '@backstage/core-plugin-api';
import {
  Resource,
  ResourceEvent,
} from '@paved/backstage-plugin-provisioning-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { provisioningApiRef } from '../../api';
import { TERMINAL_STATES } from '../../format';
import { useResourceSignal } from '../../hooks/useResourceSignal';

/** Poll interval while a resource is not in a terminal state and the signal connection is not live, in ms. @internal */
export const POLL_INTERVAL_MS = 2000;

/**
 * Loads a resource and its events, and reloads both when the backend pushes a change of the resource (signal on
 * `provisioning:resource`) and when the signal connection becomes live (a change published before the page's
 * subscription was up would otherwise be lost). While the connection is not live (no signal API, the first echo
 * not back yet, or a connection that stopped delivering) it polls every {@link POLL_INTERVAL_MS} while the resource
 * is not in a terminal state (ready, failed, deleted); while it is live, it does not poll at all.
 * @internal
 */
export function useResource(id: string) {
  const api = useApi(provisioningApiRef);
  const [resource, setResource] = useState<Resource | undefined>();
  const [events, setEvents] = useState<ResourceEvent[]>([]);
  const [error, setError] = useState<Error | undefined>();
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const mounted = useRef(true);
  // A change of this resource reloads it. The connection becoming live reloads it too, through the effect below
  // (it depends on `isLive`), so `undefined` needs nothing here.
  const { isLive } = useResourceSignal(signal => {
    if (signal?.id === id) setTick(t => t + 1);
  });

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const load = useCallback(async (): Promise<
    { resource: Resource } | { error: Error }
  > => {
    try {
      const [r, e] = await Promise.all([
        api.getResource(id),
        api.listEvents(id).catch(() => undefined),
      ]);
      if (mounted.current) {
        setResource(r);
        if (e) setEvents(e.items);
        setError(undefined);
      }
      return { resource: r };
    } catch (e) {
      if (mounted.current) setError(e as Error);
      return { error: e as Error };
    } finally {
      if (mounted.current) setLoading(false);
    }
  }, [api, id]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    let failures = 0;
    const pollResource = async () => {
      const result = await load();
      if (stopped) return;
      if ('resource' in result) {
        failures = 0;
        if (!isLive && !TERMINAL_STATES.has(result.resource.state)) {
          timer = setTimeout(pollResource, POLL_INTERVAL_MS);
        }
        return;
      }
      // Keep polling through transient failures (backend restarting, network), backing off up to 30 s;
      // stop on answers that will not change by waiting (4xx, e.g. 404 once it is gone).
      const status = (result.error as { statusCode?: number }).statusCode;
      if (status === undefined || status >= 500) {
        failures += 1;
        timer = setTimeout(
          pollResource,
          Math.min(POLL_INTERVAL_MS * 2 ** failures, 30_000),
        );
      }
    };
    pollResource();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [load, tick, isLive]);

  /** Replace the resource with a fresh answer (e.g. of an action) and reload (restarting polling, if polling). */
  const refresh = useCallback((updated?: Resource) => {
    if (updated) setResource(updated);
    setTick(t => t + 1);
  }, []);

  return { resource, events, error, loading, refresh };
}
