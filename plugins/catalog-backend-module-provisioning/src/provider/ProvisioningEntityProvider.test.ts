import { mockServices } from '@backstage/backend-test-utils';
import {
  entityEnvelopeSchemaValidator,
  resourceEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import type {
  EntityProviderConnection,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import type { EventsService } from '@backstage/plugin-events-node';
import type {
  Resource,
  ResourceType,
} from '@paved/backstage-plugin-provisioning-common';
import type {
  ListResourcesRequest,
  ProvisioningService,
} from '@paved/backstage-plugin-provisioning-node';
import {
  ProvisioningEntityProvider,
  RESOURCE_CHANGED_TOPIC,
} from './ProvisioningEntityProvider';

const postgresType: ResourceType = {
  id: 'postgresql',
  title: 'PostgreSQL database',
  description: 'A database',
  driver: 'postgres',
  parameters: { type: 'object' },
  pricing: { small: 15 },
  policy: { approvalRequiredForSizes: [] },
  repairDrift: false,
  entityType: 'database',
  naming: {
    pattern: '^[a-z](?:[-a-z0-9]{0,38}[a-z0-9])?$',
    maxLength: 40,
    reserved: [],
    description:
      "lowercase letters, digits and '-', starting with a letter and not ending with '-', at most 40 characters",
  },
};
const redisType: ResourceType = {
  ...postgresType,
  id: 'redis',
  title: 'Redis cache',
  driver: 'redis',
  entityType: 'cache',
};

function resource(overrides: Partial<Resource>): Resource {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    name: 'invoice-db',
    type: 'postgresql',
    owner: 'group:default/orders-team',
    parameters: { size: 'small' },
    state: 'ready',
    drifted: false,
    conditions: [],
    outputs: { host: 'db.internal', port: '5432', username: 'invoice_db' },
    monthlyCostUsd: 15,
    billable: true,
    createdBy: 'user:default/dana.ortiz',
    createdAt: '2026-11-01T10:00:00.000Z',
    updatedAt: '2026-11-01T10:00:00.000Z',
    ...overrides,
  };
}

function setup(pages: Resource[][]) {
  const provisioning: jest.Mocked<ProvisioningService> = {
    listTypes: jest.fn().mockResolvedValue([postgresType, redisType]),
    listResources: jest.fn(async (request: ListResourcesRequest, _options) => {
      const index = request.cursor ? Number(request.cursor) : 0;
      return {
        items: pages[index] ?? [],
        nextCursor: index + 1 < pages.length ? String(index + 1) : undefined,
        totals: [],
      };
    }),
    estimate: jest.fn(),
    getResource: jest.fn(),
    createResource: jest.fn(),
    deleteResource: jest.fn(),
  };
  const logger = mockServices.logger.mock();
  const connection = {
    applyMutation: jest.fn<Promise<void>, [EntityProviderMutation]>(
      async () => {},
    ),
    refresh: jest.fn(),
  } satisfies EntityProviderConnection;
  const provider = ProvisioningEntityProvider.create({
    provisioning,
    auth: mockServices.auth(),
    logger,
    appBaseUrl: 'http://localhost:3000/',
  });
  return { provisioning, logger, connection, provider };
}

function lastEntities(connection: {
  applyMutation: jest.Mock<Promise<void>, [EntityProviderMutation]>;
}) {
  const mutation = connection.applyMutation.mock.calls.at(-1)![0];
  if (mutation.type !== 'full') throw new Error('expected a full mutation');
  return mutation.entities;
}

describe('ProvisioningEntityProvider', () => {
  it('is named provisioning', () => {
    expect(setup([]).provider.getProviderName()).toBe('provisioning');
  });

  it('makes every live resource a Resource entity, paging through all resources', async () => {
    const { provider, connection, provisioning } = setup([
      [
        resource({
          entityRef: 'component:default/invoice-api',
          system: 'system:default/orders',
          drifted: true,
        }),
        resource({
          id: '00000000-0000-4000-8000-000000000002',
          name: 'sessions',
          type: 'redis',
          owner: 'group:default/storefront-team',
          parameters: {},
          state: 'provisioning',
        }),
      ],
      [
        resource({
          id: '00000000-0000-4000-8000-000000000003',
          name: 'old-db',
          state: 'deleted',
        }),
      ],
    ]);
    await provider.connect(connection);
    await provider.refresh();

    expect(provisioning.listResources).toHaveBeenCalledTimes(2);
    expect(provisioning.listResources.mock.calls[1][0]).toMatchObject({
      cursor: '1',
    });
    expect(provisioning.listResources.mock.calls[0][1].credentials).toEqual(
      expect.objectContaining({
        principal: expect.objectContaining({ type: 'service' }),
      }),
    );

    const entities = lastEntities(connection);
    expect(entities).toHaveLength(2);
    expect(entities[0]).toEqual({
      locationKey: 'provisioning:00000000-0000-4000-8000-000000000001',
      entity: {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: {
          name: 'invoice-db',
          namespace: 'default',
          title: 'invoice-db',
          description: 'PostgreSQL database, size small',
          annotations: {
            'paved.dev/resource-id': '00000000-0000-4000-8000-000000000001',
            'paved.dev/resource-state': 'ready',
            'paved.dev/resource-type': 'postgresql',
            'paved.dev/resource-drifted': 'true',
            'backstage.io/managed-by-location':
              'provisioning:00000000-0000-4000-8000-000000000001',
            'backstage.io/managed-by-origin-location':
              'provisioning:00000000-0000-4000-8000-000000000001',
          },
          tags: ['provisioned'],
          links: [
            {
              url: 'http://localhost:3000/provisioning/resources/00000000-0000-4000-8000-000000000001',
              title: 'Manage in the portal',
              icon: 'dashboard',
            },
          ],
        },
        spec: {
          type: 'database',
          owner: 'group:default/orders-team',
          system: 'system:default/orders',
          dependencyOf: ['component:default/invoice-api'],
        },
      },
    });
    expect(entities[1].entity).toMatchObject({
      metadata: {
        name: 'sessions',
        description: 'Redis cache',
        annotations: { 'paved.dev/resource-state': 'provisioning' },
      },
      spec: { type: 'cache', owner: 'group:default/storefront-team' },
    });
    expect(entities[1].entity.spec).not.toHaveProperty('dependencyOf');
    expect(entities[1].entity.spec).not.toHaveProperty('system');

    // Valid entities, and nothing from outputs (let alone secrets) leaks into them.
    for (const { entity } of entities) {
      expect(() => entityEnvelopeSchemaValidator()(entity)).not.toThrow();
      await expect(resourceEntityV1alpha1Validator.check(entity)).resolves.toBe(
        true,
      );
      expect(JSON.stringify(entity)).not.toContain('db.internal');
    }
  });

  it('removes deleted resources with the next full mutation', async () => {
    const pages = [[resource({})]];
    const { provider, connection } = setup(pages);
    await provider.connect(connection);
    await provider.refresh();
    expect(lastEntities(connection)).toHaveLength(1);
    pages[0] = [];
    await provider.refresh();
    expect(lastEntities(connection)).toEqual([]);
  });

  it('gives resources of different types with the same name distinct entity names', async () => {
    const { provider, connection } = setup([
      [
        resource({
          id: '00000000-0000-4000-8000-00000000000b',
          name: 'orders',
          type: 'redis',
          createdAt: '2026-11-02T00:00:00.000Z',
        }),
        resource({
          id: '00000000-0000-4000-8000-00000000000a',
          name: 'orders',
          type: 'postgresql',
          createdAt: '2026-11-01T00:00:00.000Z',
        }),
      ],
    ]);
    await provider.connect(connection);
    await provider.refresh();
    expect(
      lastEntities(connection).map(e => [
        e.entity.metadata.name,
        e.entity.metadata.annotations!['paved.dev/resource-type'],
      ]),
    ).toEqual([
      ['orders-redis', 'redis'],
      ['orders', 'postgresql'],
    ]);
  });

  it('keeps its entities and logs at debug while the provisioning backend is unreachable at startup', async () => {
    const { provider, connection, provisioning, logger } = setup([
      [resource({})],
    ]);
    provisioning.listTypes.mockRejectedValueOnce(
      new Error('connect ECONNREFUSED'),
    );
    await provider.connect(connection);
    await expect(provider.refresh()).resolves.toBeUndefined();
    expect(connection.applyMutation).not.toHaveBeenCalled();
    expect(logger.debug).toHaveBeenCalledWith(
      expect.stringContaining('ECONNREFUSED'),
    );
    expect(logger.warn).not.toHaveBeenCalled();

    await provider.refresh();
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);

    // After it has worked once, failures are warnings, and still never wipe the entities.
    provisioning.listResources.mockRejectedValueOnce(new Error('HTTP 503'));
    await provider.refresh();
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('HTTP 503'),
    );
  });

  it('refreshes on its schedule and on resource-changed events', async () => {
    const { provisioning, connection } = setup([[resource({})]]);
    const taskRunner = { run: jest.fn() };
    const events = { subscribe: jest.fn(), publish: jest.fn() };
    const provider = ProvisioningEntityProvider.create({
      provisioning,
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      appBaseUrl: 'http://localhost:3000',
      taskRunner,
      events: events as jest.Mocked<EventsService>,
    });
    await provider.connect(connection);

    expect(taskRunner.run).toHaveBeenCalledWith({
      id: 'provisioning:refresh',
      fn: expect.any(Function),
    });
    await taskRunner.run.mock.calls[0][0].fn();
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);

    expect(events.subscribe).toHaveBeenCalledWith(
      expect.objectContaining({ topics: [RESOURCE_CHANGED_TOPIC] }),
    );
    await events.subscribe.mock.calls[0][0].onEvent({
      topic: RESOURCE_CHANGED_TOPIC,
      eventPayload: { resourceId: 'x' },
    });
    // a payload without an id: full refresh
    expect(connection.applyMutation).toHaveBeenCalledTimes(2);
  });

  it('coalesces refreshes requested while one runs', async () => {
    const { provider, connection, provisioning } = setup([[resource({})]]);
    await provider.connect(connection);
    await Promise.all([
      provider.refresh(),
      provider.refresh(),
      provider.refresh(),
    ]);
    expect(provisioning.listTypes).toHaveBeenCalledTimes(2);
    expect(connection.applyMutation).toHaveBeenCalledTimes(2);
  });

  it('applies a change event as a delta keyed by the changed resource, without re-listing', async () => {
    const first = resource({});
    const { provider, connection, provisioning } = setup([[first]]);
    await provider.connect(connection);
    await provider.refresh();
    expect(provisioning.listResources).toHaveBeenCalledTimes(1);

    const added = resource({ id: '00000000-0000-4000-8000-000000000002', name: 'orders-cache', type: 'redis' });
    provisioning.getResource.mockResolvedValueOnce(added);
    await provider.applyChange(added.id);
    expect(connection.applyMutation.mock.calls.at(-1)![0]).toEqual({
      type: 'delta',
      added: [expect.objectContaining({ locationKey: `provisioning:${added.id}`, entity: expect.objectContaining({ metadata: expect.objectContaining({ name: 'orders-cache' }) }) })],
      removed: [],
    });

    provisioning.getResource.mockResolvedValueOnce({ ...first, state: 'deleted' });
    await provider.applyChange(first.id);
    expect(connection.applyMutation.mock.calls.at(-1)![0]).toEqual({
      type: 'delta',
      added: [],
      removed: [{ entityRef: 'resource:default/invoice-db', locationKey: `provisioning:${first.id}` }],
    });
    // never re-listed
    expect(provisioning.listResources).toHaveBeenCalledTimes(1);

    // a name shared across types needs the full picture: full refresh
    provisioning.getResource.mockResolvedValueOnce(resource({ id: '00000000-0000-4000-8000-000000000003', name: 'orders-cache' }));
    await provider.applyChange('00000000-0000-4000-8000-000000000003');
    expect(provisioning.listResources).toHaveBeenCalledTimes(2);
    expect(connection.applyMutation.mock.calls.at(-1)![0].type).toBe('full');
  });
});
