import { createBackend } from '@backstage/backend-defaults';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';

// Development harness: the plugin with a mocked catalog and mocked auth (every request is
// user:default/mock). Start with `yarn start` in this directory, then e.g.:
//
//   curl 'http://localhost:7007/api/service-status/v1/status?entityRef=component:default/orders-api'
//   curl 'http://localhost:7007/api/service-status/v1/statuses'
//   curl -X POST http://localhost:7007/api/service-status/v1/incidents -H 'Content-Type: application/json' \
//     -d '{"entityRef":"component:default/orders-api","title":"Checkout errors","severity":"sev1","message":"Looking"}'
//
// Run the demo health services (scripts of the service-status frontend plugin) for live probes.

const backend = createBackend();

backend.add(mockServices.auth.factory());
backend.add(mockServices.httpAuth.factory());
// The mock user is a member of the platform team, so it may manage incidents anywhere.
backend.add(
  createServiceFactory({
    service: coreServices.userInfo,
    deps: {},
    factory: () => ({
      getUserInfo: async () => ({
        userEntityRef: 'user:default/mock',
        ownershipEntityRefs: [
          'user:default/mock',
          'group:default/platform-team',
        ],
      }),
    }),
  }),
);

const component = (
  name: string,
  owner: string,
  healthUrl: string | undefined,
  dependsOn: string[] = [],
  kind = 'Component',
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: {
    name,
    namespace: 'default',
    annotations: healthUrl
      ? { 'paved.dev/health-url': healthUrl }
      : ({} as Record<string, string>),
  },
  spec: { type: 'service', owner, lifecycle: 'production' },
  relations: [
    { type: 'ownedBy', targetRef: `group:default/${owner}` },
    ...dependsOn.map(targetRef => ({ type: 'dependsOn', targetRef })),
  ],
});

backend.add(
  catalogServiceMock.factory({
    entities: [
      component('orders-api', 'orders-team', 'http://127.0.0.1:7101/healthz', [
        'resource:default/orders-db',
        'component:default/payments-api',
      ]),
      component(
        'payments-api',
        'payments-team',
        'http://127.0.0.1:7102/healthz',
        ['component:default/fraud-check'],
      ),
      component(
        'fraud-check',
        'payments-team',
        'http://127.0.0.1:7103/healthz',
      ),
      {
        ...component('orders-db', 'orders-team', undefined, [], 'Resource'),
        metadata: {
          name: 'orders-db',
          namespace: 'default',
          annotations: { 'paved.dev/resource-state': 'ready' },
        },
      },
    ],
  }),
);

backend.add(import('../src'));

backend.start();
