/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ANNOTATION_SOURCE_LOCATION, Entity } from '@backstage/catalog-model';
import {
  CatalogProcessor,
  catalogProcessingExtensionPoint,
  LocationSpec,
} from '@backstage/plugin-catalog-node';
import { cloneUrlOf } from '../git/http/createGitHttpRouter';

const TECHDOCS_REF = 'backstage.io/techdocs-ref';

/**
 * Sets `backstage.io/source-location` of entities read from the embedded git server
 * (`<base>/paved-git/<repo>/raw/<ref>/...`) to the repository's clone URL
 * (`url:<external base>/paved-git/<repo>.git`), so "View source" and tools that clone use git's
 * smart HTTP. An annotation the entity declares itself is kept. A `backstage.io/techdocs-ref: dir:<path>` is
 * pinned to `url:<the directory it names>` (TechDocs would resolve it against the clone URL otherwise). Templates and Locations are left
 * alone (the scaffolder resolves a template's files against its source-location).
 *
 * @internal
 */
export class PavedGitSourceLocationProcessor implements CatalogProcessor {
  readonly #internalBase: string;
  readonly #externalBase: string;

  constructor(options: { internalBaseUrl: string; externalBaseUrl: string }) {
    this.#internalBase = options.internalBaseUrl.replace(/\/+$/, '');
    this.#externalBase = options.externalBaseUrl.replace(/\/+$/, '');
  }

  getProcessorName(): string {
    return 'PavedGitSourceLocationProcessor';
  }

  /** The repository name of a paved-git URL, or undefined. */
  repositoryOf(target: string): string | undefined {
    for (const base of [this.#internalBase, this.#externalBase]) {
      const prefix = `${base}/paved-git/`;
      if (target.startsWith(prefix)) {
        const m = /^([a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)\/(?:raw|blob|tree)\//.exec(
          target.slice(prefix.length),
        );
        if (m) return m[1];
      }
    }
    return undefined;
  }

  async preProcessEntity(entity: Entity, location: LocationSpec): Promise<Entity> {
    // Templates keep their location: the scaffolder reads a template's files relative to its
    // source-location, which must stay a readable directory URL, not a clone URL.
    if (location.type !== 'url' || entity.kind === 'Template' || entity.kind === 'Location') {
      return entity;
    }
    const repo = this.repositoryOf(location.target);
    const current = entity.metadata.annotations?.[ANNOTATION_SOURCE_LOCATION];
    if (!repo || (current && !current.includes('/paved-git/'))) return entity;
    // TechDocs resolves a `dir:` ref against the source-location, which is now a clone URL that no URL reader
    // reads as a tree: pin it to the directory it named, next to the file the entity was read from.
    const techdocs = entity.metadata.annotations?.[TECHDOCS_REF];
    const pinned: Record<string, string> = techdocs?.startsWith('dir:')
      ? { [TECHDOCS_REF]: `url:${new URL(techdocs.slice('dir:'.length) || '.', location.target).toString()}` }
      : {};
    return {
      ...entity,
      metadata: {
        ...entity.metadata,
        annotations: {
          ...entity.metadata.annotations,
          ...pinned,
          [ANNOTATION_SOURCE_LOCATION]: `url:${cloneUrlOf(this.#externalBase, repo)}`,
        },
      },
    };
  }
}

/**
 * Catalog module: {@link PavedGitSourceLocationProcessor}.
 * @public
 */
export const catalogModulePavedGitSourceLocation = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'paved-git-source-location',
  register({ registerInit }) {
    registerInit({
      deps: {
        processing: catalogProcessingExtensionPoint,
        discovery: coreServices.discovery,
      },
      async init({ processing, discovery }) {
        processing.addProcessor(
          new PavedGitSourceLocationProcessor({
            internalBaseUrl: await discovery.getBaseUrl('scaffolder'),
            externalBaseUrl: await discovery.getExternalBaseUrl('scaffolder'),
          }),
        );
      },
    });
  },
});
