import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import searchPlugin from '@backstage/plugin-search-backend';
import {
  LunrSearchEngine,
  TestPipeline,
} from '@backstage/plugin-search-backend-node';
import { searchIndexRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import { Readable } from 'node:stream';
import searchEngineModule, {
  MissingIndexTolerantSearchEngine,
} from './searchEngine';

describe('MissingIndexTolerantSearchEngine', () => {
  it('answers a missing index with no results and queries built indexes as before', async () => {
    const lunr = new LunrSearchEngine({ logger: mockServices.logger.mock() });
    const engine = new MissingIndexTolerantSearchEngine({
      engine: lunr,
      logger: mockServices.logger.mock(),
    });
    // Lunr alone throws for a type without an index.
    await expect(lunr.query({ term: 'orders', types: ['techdocs'] })).rejects.toMatchObject({
      name: 'MissingIndexError',
    });
    await expect(engine.query({ term: 'orders', types: ['techdocs'] })).resolves.toEqual({
      results: [],
      numberOfResults: 0,
    });

    await TestPipeline.fromIndexer(await engine.getIndexer('software-catalog'))
      .withDocuments([
        { title: 'Orders API', text: 'Accepts, prices and tracks customer orders.', location: '/catalog/default/component/orders-api' },
        { title: 'Payments API', text: 'Card payments.', location: '/catalog/default/component/payments-api' },
      ])
      .execute();
    const found = await engine.query({ term: 'orders' });
    expect(found.results.map(r => r.document.title)).toEqual(['Orders API']);
    // A built and a missing index together: the built one answers.
    const mixed = await engine.query({ term: 'orders', types: ['software-catalog', 'techdocs'] });
    expect(mixed.results).toHaveLength(1);
  });

  it('makes the search API answer 200, not 500, before any index is built', async () => {
    // A techdocs collator whose schedule has not run yet: the type exists, its index does not.
    const notYetCollated = createBackendModule({
      pluginId: 'search',
      moduleId: 'test-techdocs-collator',
      register(reg) {
        reg.registerInit({
          deps: { indexRegistry: searchIndexRegistryExtensionPoint },
          async init({ indexRegistry }) {
            indexRegistry.addCollator({
              schedule: { run: async () => {} },
              factory: { type: 'techdocs', getCollator: async () => Readable.from([]) },
            });
          },
        });
      },
    });
    const { server } = await startTestBackend({
      features: [
        searchPlugin,
        searchEngineModule,
        notYetCollated,
        mockServices.rootConfig.factory({ data: { permission: { enabled: false } } }),
      ],
    });
    const res = await fetch(
      `http://localhost:${server.port()}/api/search/query?term=orders&types%5B0%5D=techdocs`,
      { headers: { Authorization: mockCredentials.user.header() } },
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ results: [] });
  });
});
