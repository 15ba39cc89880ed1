/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { urlReaderFactoriesServiceRef } from '@backstage/backend-defaults/urlReader';
import { FolderUrlReader } from './FolderUrlReader';
import { PavedGitUrlReader } from './PavedGitUrlReader';

/**
 * Adds the embedded git server's URL reader to `coreServices.urlReader` of every plugin, ahead of
 * Backstage's own readers (so the catalog and TechDocs read `…/api/scaffolder/paved-git/…` URLs
 * in-process instead of over HTTP), and a reader of `file://` URLs inside `paved.reading.folders`.
 *
 * @public
 */
export const pavedGitUrlReaderServiceFactory = createServiceFactory({
  service: urlReaderFactoriesServiceRef,
  deps: { discovery: coreServices.discovery },
  async factory({ discovery }) {
    // The URLs publish:paved-git writes (internal base URL) and those a person may paste (external).
    const pavedGit = PavedGitUrlReader.factory({
      scaffolderBaseUrls: [
        await discovery.getBaseUrl('scaffolder'),
        await discovery.getExternalBaseUrl('scaffolder'),
      ],
    });
    // Plus `file://` URLs inside `paved.reading.folders` (none unless configured).
    return options => [
      ...pavedGit(options),
      ...FolderUrlReader.factory(options),
    ];
  },
});
