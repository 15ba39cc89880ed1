import {
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  CatalogProcessor,
  EntityProvider,
  EntityProviderMutation,
  catalogProcessingExtensionPoint,
} from '@backstage/plugin-catalog-node';
import {
  EventsService,
  eventsServiceFactory,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import {
  ProvisioningService,
  provisioningServiceRef,
} from '@paved/backstage-plugin-provisioning-node';
import { catalogModuleProvisioningEntityProvider } from './module';

describe('catalogModuleProvisioningEntityProvider', () => {
  it('adds the provider, which refreshes when the provisioning backend publishes a change', async () => {
    const providers: EntityProvider[] = [];
    const processors: CatalogProcessor[] = [];
    let events: EventsService | undefined;
    const listResources = jest.fn().mockResolvedValue({
      items: [
        {
          id: '00000000-0000-4000-8000-000000000001',
          name: 'invoice-db',
          type: 'postgresql',
          owner: 'group:default/orders-team',
          entityRef: 'component:default/invoice-api',
          parameters: { size: 'small' },
          state: 'ready',
          drifted: false,
          conditions: [],
          outputs: {},
          monthlyCostUsd: 15,
          createdBy: 'user:default/dana.ortiz',
          createdAt: '2026-11-01T10:00:00.000Z',
          updatedAt: '2026-11-01T10:00:00.000Z',
        },
      ],
      totals: [],
    });
    const provisioning = {
      listTypes: jest.fn().mockResolvedValue([]),
      listResources,
    } as unknown as ProvisioningService;

    const backend = await startTestBackend({
      extensionPoints: [
        [
          catalogProcessingExtensionPoint,
          {
            addEntityProvider: (
              ...p: Array<EntityProvider | EntityProvider[]>
            ) => providers.push(...p.flat()),
            addProcessor: (...p: Array<CatalogProcessor | CatalogProcessor[]>) =>
              processors.push(...p.flat()),
          },
        ],
      ],
      features: [
        catalogModuleProvisioningEntityProvider,
        eventsServiceFactory,
        createServiceFactory({
          service: provisioningServiceRef,
          deps: {},
          factory: () => provisioning,
        }),
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'https://portal.example.com' },
            catalog: {
              providers: {
                provisioning: {
                  schedule: {
                    frequency: { hours: 1 },
                    timeout: { minutes: 1 },
                    initialDelay: { hours: 1 },
                  },
                },
              },
            },
          },
        }),
        createBackendModule({
          pluginId: 'catalog',
          moduleId: 'test-publisher',
          register(reg) {
            reg.registerInit({
              deps: { e: eventsServiceRef },
              async init({ e }) {
                events = e;
              },
            });
          },
        }),
      ],
    });

    expect(providers.map(p => p.getProviderName())).toEqual(['provisioning']);
    expect(processors.map(p => p.getProcessorName())).toEqual(['ProvisionedDependsOnProcessor']);
    const mutations: EntityProviderMutation[] = [];
    await providers[0].connect({
      applyMutation: async m => {
        mutations.push(m);
      },
      refresh: async () => {},
    });
    expect(mutations).toEqual([]); // the schedule's first run is an hour away

    await events!.publish({
      topic: 'paved.provisioning.resource-changed',
      eventPayload: { resourceId: '00000000-0000-4000-8000-000000000001' },
    });
    for (let i = 0; i < 50 && mutations.length === 0; i++) {
      await new Promise(r => setTimeout(r, 20));
    }
    expect(mutations).toHaveLength(1);
    expect(mutations[0]).toMatchObject({
      type: 'full',
      entities: [
        {
          entity: {
            metadata: {
              name: 'invoice-db',
              links: [
                {
                  url: 'https://portal.example.com/provisioning/resources/00000000-0000-4000-8000-000000000001',
                },
              ],
            },
            spec: { dependencyOf: ['component:default/invoice-api'] },
          },
        },
      ],
    });
    await backend.stop();
  });
});
