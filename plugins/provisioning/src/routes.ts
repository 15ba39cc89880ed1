import { createRouteRef, createSubRouteRef } from '@backstage/core-plugin-api';

/** The Self-service page, `/provisioning`. @public */
export const rootRouteRef = createRouteRef({ id: 'provisioning' });

/** The request form of one resource type, `/provisioning/request/:typeId`. @public */
export const requestRouteRef = createSubRouteRef({
  id: 'provisioning/request',
  parent: rootRouteRef,
  path: '/request/:typeId',
});

/** The page of one resource, `/provisioning/resources/:id`. @public */
export const resourceRouteRef = createSubRouteRef({
  id: 'provisioning/resource',
  parent: rootRouteRef,
  path: '/resources/:id',
});

/** The Approvals view, `/provisioning/approvals`. @public */
export const approvalsRouteRef = createSubRouteRef({
  id: 'provisioning/approvals',
  parent: rootRouteRef,
  path: '/approvals',
});

/** The Rollouts view (type versions and rollouts), `/provisioning/rollouts`. @public */
export const rolloutsRouteRef = createSubRouteRef({
  id: 'provisioning/rollouts',
  parent: rootRouteRef,
  path: '/rollouts',
});

/** The page of one rollout, `/provisioning/rollouts/:id`. @public */
export const rolloutRouteRef = createSubRouteRef({
  id: 'provisioning/rollout',
  parent: rootRouteRef,
  path: '/rollouts/:id',
});
