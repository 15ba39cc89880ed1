/*
 * Development backend for the provisioning plugin: `yarn start` in this directory.
 *
 * Uses mock auth (every request is the mock user unless a mock token is given), a mock catalog with the
 * demo groups, the real postgres driver against the local server when PAVED_DEV_POSTGRES_URL is set
 * (e.g. postgresql://postgres@127.0.0.1:5432), and the provisioning section of ../../app-config.yaml
 * when started with `--config ../../app-config.yaml`.
 *
 *   curl localhost:7007/api/provisioning/v1/types
 *   curl localhost:7007/api/provisioning/v1/resources -H 'Content-Type: application/json' \
 *     -H 'Authorization: Bearer mock-user-token:{"sub":"user:default/dana.ortiz"}' \
 *     -d '{"name":"demo-db","type":"postgresql","owner":"group:default/orders-team","parameters":{"size":"small"}}'
 */
import { createBackend } from '@backstage/backend-defaults';
import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';

const groups = ['platform-team', 'orders-team', 'payments-team', 'storefront-team'];

const backend = createBackend();
backend.add(mockServices.auth.factory());
backend.add(mockServices.httpAuth.factory());
backend.add(
  createServiceFactory({
    service: coreServices.userInfo,
    deps: {},
    factory: () => ({
      async getUserInfo(credentials: BackstageCredentials) {
        const ref = (credentials.principal as { userEntityRef: string })
          .userEntityRef;
        // everyone is in the orders team in this harness
        return {
          userEntityRef: ref,
          ownershipEntityRefs: [ref, 'group:default/orders-team'],
        };
      },
    }),
  }),
);
backend.add(
  catalogServiceMock.factory({
    entities: groups.map(name => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name, namespace: 'default' },
      spec: { type: 'team', children: [] },
    })),
  }),
);
if (process.env.PAVED_DEV_POSTGRES_URL) {
  const u = new URL(process.env.PAVED_DEV_POSTGRES_URL);
  backend.add(
    mockServices.rootConfig.factory({
      data: {
        backend: {
          baseUrl: 'http://localhost:7007',
          listen: { port: 7007 },
          database: { client: 'better-sqlite3', connection: ':memory:' },
        },
        provisioning: {
          drivers: {
            postgres: {
              connection: {
                host: u.hostname,
                port: Number(u.port || 5432),
                user: decodeURIComponent(u.username || 'postgres'),
                database: 'postgres',
              },
            },
          },
          types: [
            {
              id: 'postgresql',
              title: 'PostgreSQL database',
              driver: 'postgres',
              parameters: {
                type: 'object',
                properties: {
                  size: {
                    type: 'string',
                    enum: ['small', 'medium', 'large'],
                    default: 'small',
                  },
                },
              },
              pricing: { small: 15, medium: 60, large: 240 },
              policy: { approvalRequiredForSizes: ['large'] },
            },
            {
              // ephemeral: POST /resources with { ttl: '2h' }; extend with POST /resources/{id}/extend
              id: 'preview-postgresql',
              title: 'Preview PostgreSQL database',
              driver: 'postgres',
              parameters: {
                type: 'object',
                properties: {
                  size: { type: 'string', enum: ['small'], default: 'small' },
                },
              },
              pricing: { small: 15 },
              ttl: { default: '2h', max: '7d', required: true },
            },
          ],
        },
      },
    }),
  );
  backend.add(
    import('@paved/backstage-plugin-provisioning-backend-module-postgres'),
  );
}
backend.add(import('../src'));

backend.start();
