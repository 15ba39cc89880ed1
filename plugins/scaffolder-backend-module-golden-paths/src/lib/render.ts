/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { LoggerService, UrlReaderService } from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { createFetchTemplateAction } from '@backstage/plugin-scaffolder-backend';
import { fetchContents } from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { Provenance, writeProvenance } from './provenance';
import { findVersion, readVersions, TemplateVersion } from './versions';

/** Everything needed to render skeletons of templates. @internal */
export interface Renderer {
  /** Copies the template's directory (template.yaml, versions.yaml, every skeleton) to `dir`. */
  fetchTemplate(options: { templateUrl: string; dir: string }): Promise<void>;
  /**
   * Renders one released version with the recorded values into `outputDir`, as `fetch:template`
   * does in a run, then writes its provenance (exactly what a run of that version committed).
   */
  renderVersion(options: {
    /** A directory filled by {@link Renderer.fetchTemplate}. */
    templateDir: string;
    provenance: Provenance;
    outputDir: string;
  }): Promise<TemplateVersion>;
}

/**
 * A renderer that uses the scaffolder's own `fetch:template` action (same nunjucks setup, filters
 * and file-name templating as a task), so a re-rendered version is byte-identical to what a run made.
 * @internal
 */
export function createRenderer(options: {
  reader: UrlReaderService;
  integrations: ScmIntegrations;
  logger: LoggerService;
}): Renderer {
  const { reader, integrations, logger } = options;
  const fetchTemplate = createFetchTemplateAction({ reader, integrations });
  return {
    async fetchTemplate({ templateUrl, dir }) {
      await fetchContents({
        reader,
        integrations,
        baseUrl: templateUrl,
        fetchUrl: '.',
        outputPath: dir,
      });
    },
    async renderVersion({ templateDir, provenance, outputDir }) {
      const versions = await readVersions(templateDir);
      const version = findVersion(versions, provenance.version);
      await fs.promises.mkdir(outputDir, { recursive: true });
      const tmp = await fs.promises.mkdtemp(join(os.tmpdir(), 'paved-render-'));
      try {
        await fetchTemplate.handler({
          input: { url: `./${version.skeleton}`, values: provenance.values },
          workspacePath: outputDir,
          logger: logger.child({ step: 'render' }),
          templateInfo: {
            entityRef: provenance.template,
            baseUrl: `file://${join(templateDir, 'template.yaml')}`,
          },
          createTemporaryDirectory: async () =>
            fs.promises.mkdtemp(join(tmp, 'fetch-')),
          output: () => {},
          checkpoint: async ({ fn }: { fn: () => unknown }) => fn(),
          getInitiatorCredentials: async () => {
            throw new Error('not available while rendering');
          },
          isDryRun: false,
          task: { id: 'render' },
          signal: new AbortController().signal,
          each: undefined,
          secrets: {},
        } as any);
      } finally {
        await fs.promises.rm(tmp, { recursive: true, force: true });
      }
      await writeProvenance({ dir: outputDir, provenance });
      return version;
    },
  };
}
