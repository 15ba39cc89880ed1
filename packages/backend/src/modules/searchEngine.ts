/*
 * The Paved search engine: PostgreSQL full-text search when the search plugin's database is
 * PostgreSQL, Lunr (in memory) otherwise, and in both cases an index that is not built yet (right
 * after start, or a document type without documents) is an empty result instead of a 500.
 */
import {
  coreServices,
  createBackendModule,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { PgSearchEngine } from '@backstage/plugin-search-backend-module-pg';
import {
  LunrSearchEngine,
  QueryRequestOptions,
  QueryTranslator,
  SearchEngine,
} from '@backstage/plugin-search-backend-node';
import { searchEngineRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';

type SearchQuery = Parameters<SearchEngine['query']>[0];
type IndexableResultSet = Awaited<ReturnType<SearchEngine['query']>>;

/**
 * Delegates to a search engine and answers a missing index (`MissingIndexError`) with no results.
 */
export class MissingIndexTolerantSearchEngine implements SearchEngine {
  readonly #engine: SearchEngine;
  readonly #logger: LoggerService;

  constructor(options: { engine: SearchEngine; logger: LoggerService }) {
    this.#engine = options.engine;
    this.#logger = options.logger;
  }

  setTranslator(translator: QueryTranslator): void {
    this.#engine.setTranslator(translator);
  }

  getIndexer(type: string) {
    return this.#engine.getIndexer(type);
  }

  async query(
    query: SearchQuery,
    options?: QueryRequestOptions,
  ): Promise<IndexableResultSet> {
    try {
      return await this.#engine.query(query, options);
    } catch (error) {
      if ((error as Error)?.name === 'MissingIndexError') {
        this.#logger.info(
          `Search index not built yet, answering no results: ${(error as Error).message}`,
        );
        return { results: [], numberOfResults: 0 };
      }
      throw error;
    }
  }
}

/** The search engine module; replaces `@backstage/plugin-search-backend-module-pg`. */
export default createBackendModule({
  pluginId: 'search',
  moduleId: 'paved-engine',
  register(reg) {
    reg.registerInit({
      deps: {
        searchEngineRegistry: searchEngineRegistryExtensionPoint,
        database: coreServices.database,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ searchEngineRegistry, database, config, logger }) {
        const engine: SearchEngine = (await PgSearchEngine.supported(database))
          ? await PgSearchEngine.fromConfig(config, { database, logger })
          : new LunrSearchEngine({ logger });
        logger.info(
          `Search engine: ${engine instanceof LunrSearchEngine ? 'Lunr (in memory)' : 'PostgreSQL'}`,
        );
        searchEngineRegistry.setSearchEngine(
          new MissingIndexTolerantSearchEngine({ engine, logger }),
        );
      },
    });
  },
});
