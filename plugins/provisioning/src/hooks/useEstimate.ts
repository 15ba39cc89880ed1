import { useApi } from '@backstage/core-plugin-api';
import { CostEstimate } from '@paved/backstage-plugin-provisioning-common';
import { useEffect, useState } from 'react';
import { provisioningApiRef } from '../api';

/** Debounce of estimate requests while parameters change, in ms. @internal */
export const ESTIMATE_DEBOUNCE_MS = 400;

/**
 * The monthly cost estimate and approval outcome of a request, recomputed by `POST /estimates`
 * {@link ESTIMATE_DEBOUNCE_MS} after the parameters last changed. Answers that arrive out of order are dropped.
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

  useEffect(() => {
    if (!typeId) return undefined;
    let cancelled = false;
    setResult(r => ({ ...r, loading: true }));
    const timer = setTimeout(() => {
      api
        .estimate({ type: typeId, parameters: JSON.parse(key) })
        .then(estimate => {
          if (!cancelled) setResult({ estimate, loading: false });
        })
        .catch(error => {
          if (!cancelled) setResult({ error, loading: false });
        });
    }, ESTIMATE_DEBOUNCE_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [api, typeId, key]);

  return result;
}
