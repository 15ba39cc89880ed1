import { useApi } from '@backstage/core-plugin-api';
import {
  Resource,
  ResourceEvent,
} from '@paved/backstage-plugin-provisioning-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { provisioningApiRef } from '../../api';
import { TERMINAL_STATES } from '../../format';

/** Poll interval while a resource is not in a terminal state, in ms. @internal */
export const POLL_INTERVAL_MS = 2000;

/**
 * Loads a resource and its events, and polls both every {@link POLL_INTERVAL_MS} while the resource is not in a
 * terminal state (ready, failed, deleted).
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

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const load = useCallback(async () => {
    try {
      const [r, e] = await Promise.all([
        api.getResource(id),
        api.listEvents(id).catch(() => undefined),
      ]);
      if (!mounted.current) return undefined;
      setResource(r);
      if (e) setEvents(e.items);
      setError(undefined);
      return r;
    } catch (e) {
      if (mounted.current) setError(e as Error);
      return undefined;
    } finally {
      if (mounted.current) setLoading(false);
    }
  }, [api, id]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const run = async () => {
      const r = await load();
      if (stopped) return;
      if (r && !TERMINAL_STATES.has(r.state)) {
        timer = setTimeout(run, POLL_INTERVAL_MS);
      }
    };
    run();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [load, tick]);

  /** Replace the resource with a fresh answer (e.g. of an action) and restart polling. */
  const refresh = useCallback((updated?: Resource) => {
    if (updated) setResource(updated);
    setTick(t => t + 1);
  }, []);

  return { resource, events, error, loading, refresh };
}
