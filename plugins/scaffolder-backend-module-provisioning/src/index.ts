/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/**
 * Scaffolder module of Paved: actions to request, await and release provisioned resources, publish
 * scaffolded repositories to local git, and register them in the catalog.
 *
 * @packageDocumentation
 */

export { scaffolderModuleProvisioningFeatures as default } from './module';
export { scaffolderModuleProvisioning } from './module';
export { pavedGitUrlReaderServiceFactory } from './git/pavedGitUrlReaderServiceFactory';
