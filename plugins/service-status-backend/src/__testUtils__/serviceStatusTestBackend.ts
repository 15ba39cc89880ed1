import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { serviceStatusPlugin } from '../plugin';
import { SampleStore } from '../database/SampleStore';

function component(
  name: string,
  owner: string,
  options: {
    healthUrl?: string;
    dependsOn?: string[];
    kind?: string;
    annotations?: Record<string, string>;
  } = {},
): Entity {
  const kind = options.kind ?? 'Component';
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        ...(options.healthUrl
          ? { 'paved.dev/health-url': options.healthUrl }
          : {}),
        ...options.annotations,
      },
    },
    spec: { type: 'service', owner, system: 'commerce' },
    relations: [
      { type: 'ownedBy', targetRef: `group:default/${owner}` },
      { type: 'partOf', targetRef: 'system:default/commerce' },
      ...(options.dependsOn ?? []).map(targetRef => ({
        type: 'dependsOn',
        targetRef,
      })),
    ],
  };
}

export const seededEntities: Entity[] = [
  component('orders-api', 'orders-team', {
    healthUrl: 'http://127.0.0.1:1/healthz',
    dependsOn: ['resource:default/orders-db', 'component:default/payments-api'],
  }),
  component('orders-db', 'orders-team', {
    kind: 'Resource',
    healthUrl: 'http://127.0.0.1:1/db',
  }),
  component('payments-api', 'payments-team', {
    healthUrl: 'http://127.0.0.1:1/pay',
    dependsOn: [
      'component:default/orders-api',
      'component:default/fraud-check',
    ],
  }),
  component('fraud-check', 'payments-team', {
    healthUrl: 'http://127.0.0.1:1/fraud',
  }),
  component('storefront-web', 'storefront-team', {
    dependsOn: ['component:default/orders-api'],
  }),
  component('sessions-cache', 'storefront-team', {
    kind: 'Resource',
    annotations: { 'paved.dev/resource-state': 'provisioning' },
  }),
];

const ownership: Record<string, string[]> = {
  'user:default/dana': ['user:default/dana', 'group:default/orders-team'],
  'user:default/pat': ['user:default/pat', 'group:default/platform-team'],
  'user:default/eve': ['user:default/eve', 'group:default/storefront-team'],
};

/**
 * The catalog's read permission, as a policy would decide it: `user:default/mallory` (a contractor)
 * may read only the storefront team's entities.
 */
function mayRead(credentials: unknown, entity: Entity): boolean {
  const principal = (credentials as { principal?: { userEntityRef?: string } } | undefined)?.principal;
  if (principal?.userEntityRef !== 'user:default/mallory') return true;
  return (entity.spec as { owner?: string } | undefined)?.owner === 'storefront-team';
}

function permissionAwareCatalog() {
  const catalog = catalogServiceMock({ entities: seededEntities });
  const byRefs = catalog.getEntitiesByRefs.bind(catalog);
  catalog.getEntitiesByRefs = async (request, options) => {
    const { items } = await byRefs(request, options);
    return {
      items: items.map(e => {
        if (!e) return e;
        const full = seededEntities.find(x => stringifyEntityRef(x) === stringifyEntityRef(e));
        return full && mayRead((options as { credentials?: unknown } | undefined)?.credentials, full) ? e : undefined;
      }),
    };
  };
  return catalog;
}

/**
 * Starts the service-status plugin in a test backend on the given database,
 * with a mocked catalog (the entities above; its `getEntitiesByRefs` applies a read permission,
 * see `mayRead`), ownership-aware user info and
 * seeded health samples (orders-db down since `downSince`, fraud-check degraded).
 */
export async function startSeededServiceStatusBackend(
  databases: TestDatabases,
  databaseId: Parameters<TestDatabases['init']>[0],
) {
  const knex = await databases.init(databaseId);
  const { server } = await startTestBackend({
    features: [
      serviceStatusPlugin,
      createServiceFactory({
        service: catalogServiceRef,
        deps: {},
        factory: permissionAwareCatalog,
      }),
      mockServices.database.factory({ knex }),
      mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
      mockServices.rootConfig.factory({
        data: { serviceStatus: { platformGroup: 'platform-team' } },
      }),
      mockServices.userInfo.mock({
        getUserInfo: async credentials => {
          const userEntityRef = (
            credentials.principal as { userEntityRef: string }
          ).userEntityRef;
          return {
            userEntityRef,
            ownershipEntityRefs: ownership[userEntityRef] ?? [userEntityRef],
          };
        },
      }).factory,
    ],
  });
  const samples = SampleStore.create({ knex });
  const now = Date.now();
  const downSince = now - 30 * 60_000;
  await samples.recordSamples([
    {
      entityRef: 'component:default/orders-api',
      at: now,
      state: 'up',
      source: 'probe',
      httpStatus: 200,
      latencyMs: 12,
    },
    {
      entityRef: 'resource:default/orders-db',
      at: downSince,
      state: 'down',
      source: 'probe',
      error: 'ECONNREFUSED',
    },
    {
      entityRef: 'component:default/payments-api',
      at: now,
      state: 'up',
      source: 'probe',
      httpStatus: 200,
      latencyMs: 20,
    },
    {
      entityRef: 'component:default/fraud-check',
      at: now,
      state: 'degraded',
      source: 'probe',
      httpStatus: 200,
      latencyMs: 1500,
      error: 'slow: 1500 ms (over 1000 ms)',
    },
  ]);
  // keep orders-db down but fresh
  await samples.recordSamples([
    {
      entityRef: 'resource:default/orders-db',
      at: now,
      state: 'down',
      source: 'probe',
      error: 'ECONNREFUSED',
    },
  ]);
  return { server, knex, downSince };
}
