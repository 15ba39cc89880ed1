/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/**
 * Scaffolder module of Paved for golden paths on day 2: provenance of generated repositories and
 * upgrades of services to newer template versions by 3-way merge.
 *
 * @packageDocumentation
 */

export { scaffolderModuleGoldenPaths as default } from './module';
export * from './lib/versions';
export {
  PROVENANCE_PATH,
  parseProvenance,
  nonSecretValues,
  type Provenance,
} from './lib/provenance';
