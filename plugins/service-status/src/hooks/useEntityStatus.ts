import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useInterval from 'react-use/esm/useInterval';
import { serviceStatusApiRef } from '../api';

/** How often the entity views refresh, in ms. @internal */
export const REFRESH_INTERVAL_MS = 30_000;

/**
 * Loads an entity's rolled-up status and reloads it every 30 s (keeping the previous value
 * visible while reloading).
 * @internal
 */
export function useEntityStatus(entityRef: string, refreshMs = REFRESH_INTERVAL_MS) {
  const api = useApi(serviceStatusApiRef);
  const state = useAsyncRetry(
    () => api.getEntityStatus(entityRef),
    [api, entityRef],
  );
  useInterval(state.retry, refreshMs > 0 ? refreshMs : null);
  return state;
}

/**
 * Loads an entity's uptime and latency history (`hours` of hourly buckets) and reloads it
 * every 30 s.
 * @internal
 */
export function useEntityHistory(
  entityRef: string,
  hours?: number,
  refreshMs = REFRESH_INTERVAL_MS,
) {
  const api = useApi(serviceStatusApiRef);
  const state = useAsyncRetry(
    () => api.getEntityHistory(entityRef, hours ? { hours } : undefined),
    [api, entityRef, hours],
  );
  useInterval(state.retry, refreshMs > 0 ? refreshMs : null);
  return state;
}
