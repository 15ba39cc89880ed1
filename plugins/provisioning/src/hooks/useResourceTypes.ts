import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { provisioningApiRef } from '../api';

/** Loads the offerings (resource types). @internal */
export function useResourceTypes() {
  const api = useApi(provisioningApiRef);
  return useAsyncRetry(async () => (await api.listTypes()).items, [api]);
}
