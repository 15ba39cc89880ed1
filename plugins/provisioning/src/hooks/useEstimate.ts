import { useApi } from '@backstage/core-plugin-api';
import { CostEstimate } from '@paved/backstage-plugin-provisioning-common';
import { useEffect, useState } from 'react';
import { provisioningApiRef } from '../api';

/** Debounce of estimate requests while parameters change, in ms. @internal */
export const ESTIMATE_DEBOUNCE_MS = 400;

/** Delay before a failed estimate is asked again (same parameters), in ms. @internal */
export const ESTIMATE_RETRY_MS = 3000;

/**
 * The monthly cost estimate and approval outcome of a request, recomputed by `POST /estimates`
 * {@link ESTIMATE_DEBOUNCE_MS} after the parameters last changed, and again after {@link ESTIMATE_RETRY_MS} when it
 * failed for a transient reason. Answers that arrive out of order are dropped.
 * @internal
 */
export function useEstimate(
  typeId: string | undefined,
  parameters: Record<string, unknown>,
): { estimate?: CostEstimate; loading: boolean; error?: Error } {
  const api = useApi(provisioningApiRef);
  const [result, setResult] = useState<{
    estimate?: CostEstimate;
    loading: boolean;
    error?: Error;
  }>({ loading: !!typeId });
  const key = JSON.stringify(parameters ?? {});
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!typeId) return undefined;
    let cancelled = false;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    setResult(r => ({ ...r, loading: true }));
    const timer = setTimeout(() => {
      api
        .estimate({ type: typeId, parameters: JSON.parse(key) })
        .then(estimate => {
          if (!cancelled) setResult({ estimate, loading: false });
        })
        .catch(error => {
          if (cancelled) return;
          setResult({ error, loading: false });
          // Transient failures (backend restarting, network) heal on their own; 4xx will not.
          const status = (error as { statusCode?: number }).statusCode;
          if (status === undefined || status >= 500) {
            retryTimer = setTimeout(
              () => setAttempt(a => a + 1),
              ESTIMATE_RETRY_MS,
            );
          }
        });
    }, ESTIMATE_DEBOUNCE_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
      if (retryTimer) clearTimeout(retryTimer);
    };
  }, [api, typeId, key, attempt]);

  return result;
}
