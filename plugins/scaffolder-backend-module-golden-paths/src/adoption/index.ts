/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
export { AdoptionService } from './AdoptionService';
export { ScaffolderRunReader } from './ScaffolderRunReader';
export { createHttpAdoptionSources } from './PlatformSources';
export type { AdoptionSources, DeploymentSummary } from './PlatformSources';
export { createAdoptionRouter } from './router';
export type * from './types';
