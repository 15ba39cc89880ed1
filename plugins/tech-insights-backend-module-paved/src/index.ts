/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/**
 * Tech Insights module of Paved: fact retrievers for Paved scorecards.
 *
 * @packageDocumentation
 */
export { techInsightsModulePavedFacts as default } from './module';
export {
  createPavedFactRetriever,
  PAVED_FACT_RETRIEVER_ID,
} from './facts/pavedFactRetriever';
export { createHttpPavedSources } from './sources/PavedSources';
export type {
  PavedSources,
  PavedResourceFacts,
  PavedOpenIncident,
} from './sources/PavedSources';
