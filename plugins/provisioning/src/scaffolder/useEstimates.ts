import { useApi } from '@backstage/core-plugin-api';
import { CostEstimate } from '@paved/backstage-plugin-provisioning-common';
import { useEffect, useState } from 'react';
import { provisioningApiRef } from '../api';
import { ESTIMATE_DEBOUNCE_MS } from '../hooks/useEstimate';
import { RequestedResource } from './options';

/**
 * Estimates of several resources at once (`POST /estimates` per resource, in parallel), recomputed
 * {@link ESTIMATE_DEBOUNCE_MS} after the requests last changed. Answers that arrive out of order are dropped.
 * @internal
 */
export function useEstimates(resources: RequestedResource[]): {
  estimates?: CostEstimate[];
  loading: boolean;
  error?: Error;
} {
  const api = useApi(provisioningApiRef);
  // Names do not change the price: leave them out of the key so typing a name does not re-estimate.
  const key = JSON.stringify(
    resources.map(r => ({ type: r.type, parameters: r.parameters })),
  );
  const [result, setResult] = useState<{
    estimates?: CostEstimate[];
    loading: boolean;
    error?: Error;
  }>({ loading: true });

  useEffect(() => {
    let cancelled = false;
    setResult(r => ({ ...r, loading: true }));
    const requests = JSON.parse(key) as Array<{
      type: string;
      parameters: Record<string, unknown>;
    }>;
    const timer = setTimeout(
      () => {
        Promise.all(requests.map(r => api.estimate(r)))
          .then(estimates => {
            if (!cancelled) setResult({ estimates, loading: false });
          })
          .catch(error => {
            if (!cancelled) setResult({ error, loading: false });
          });
      },
      requests.length === 0 ? 0 : ESTIMATE_DEBOUNCE_MS,
    );
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [api, key]);

  return result;
}
