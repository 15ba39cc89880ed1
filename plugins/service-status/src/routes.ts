import { createRouteRef } from '@backstage/core-plugin-api';

/**
 * Route of the "Service status" page.
 * @public
 */
export const rootRouteRef = createRouteRef({
  id: 'service-status',
});
