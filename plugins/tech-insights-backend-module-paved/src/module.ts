/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { techInsightsFactRetrieversExtensionPoint } from '@backstage-community/plugin-tech-insights-node';
import {
  createPavedFactRetriever,
  PAVED_FACT_RETRIEVER_ID,
} from './facts/pavedFactRetriever';
import { createHttpPavedSources } from './sources/PavedSources';

/**
 * Tech Insights module of Paved: adds the `pavedFactRetriever` (see
 * {@link createPavedFactRetriever}) to the community Tech Insights backend. Like every fact
 * retriever it runs only when `techInsights.factRetrievers.pavedFactRetriever.cadence` is set in
 * config; scorecard checks over its facts are defined in config too
 * (`techInsights.factChecker.checks`, with `@backstage-community/plugin-tech-insights-backend-module-jsonfc`).
 *
 * @public
 */
export const techInsightsModulePavedFacts = createBackendModule({
  pluginId: 'tech-insights',
  moduleId: 'paved-facts',
  register(env) {
    env.registerInit({
      deps: {
        retrievers: techInsightsFactRetrieversExtensionPoint,
        catalog: catalogServiceRef,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        logger: coreServices.logger,
      },
      async init({ retrievers, catalog, discovery, auth, logger }) {
        retrievers.addFactRetrievers({
          [PAVED_FACT_RETRIEVER_ID]: createPavedFactRetriever({
            catalog,
            sources: createHttpPavedSources({ discovery, auth }),
            logger: logger.child({ retriever: PAVED_FACT_RETRIEVER_ID }),
          }),
        });
      },
    });
  },
});
