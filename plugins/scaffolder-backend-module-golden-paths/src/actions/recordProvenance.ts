/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { nonSecretValues, PROVENANCE_PATH, writeProvenance } from '../lib/provenance';
import { TEMPLATE_VERSION_ANNOTATION } from '../lib/versions';
import { examples } from './recordProvenance.examples';

/**
 * Creates the `paved:template:record` action: writes `.paved/template.json` (template ref, version,
 * non-secret values) into the workspace and annotates the catalog descriptor with
 * `paved.dev/template`, `paved.dev/template-version` and `backstage.io/source-template`.
 *
 * @remarks
 * Run it right after `fetch:template` with the same `values`: these are what
 * `paved:template:upgrade` renders the old and the new version with. The version is the running
 * template's `paved.dev/template-version` annotation.
 *
 * @internal
 */
export function createPavedTemplateRecordAction() {
  return createTemplateAction({
    id: 'paved:template:record',
    description:
      'Records where a generated repository came from: writes .paved/template.json (template, version, non-secret values) and annotates its catalog-info.yaml, so the service can be upgraded when the template improves.',
    examples,
    supportsDryRun: true,
    schema: {
      input: z =>
        z.object({
          values: z
            .record(z.unknown())
            .describe(
              'The values the skeleton was rendered with (the `values` of fetch:template); keys naming secrets are dropped',
            ),
          catalogInfoPath: z
            .string()
            .default('catalog-info.yaml')
            .describe('Path of the catalog descriptor in the workspace (default catalog-info.yaml)'),
          targetPath: z
            .string()
            .default('.')
            .describe('Directory of the generated repository in the workspace (default: the workspace)'),
        }),
      output: z =>
        z.object({
          template: z.string().describe('Entity ref of the template'),
          version: z.string().describe('Semantic version of the template'),
          path: z.string().describe(`Path of the record (${PROVENANCE_PATH})`),
        }),
    },
    async handler(ctx) {
      const template = ctx.templateInfo?.entityRef;
      const version =
        ctx.templateInfo?.entity?.metadata.annotations?.[
          TEMPLATE_VERSION_ANNOTATION
        ];
      if (!template || !version) {
        throw new InputError(
          `paved:template:record needs a template with the ${TEMPLATE_VERSION_ANNOTATION} annotation (a semantic version)`,
        );
      }
      const dir = resolveSafeChildPath(ctx.workspacePath, ctx.input.targetPath ?? '.');
      const values = nonSecretValues(ctx.input.values);
      await writeProvenance({
        dir,
        provenance: { template, version, values },
        catalogInfoPath: ctx.input.catalogInfoPath,
      });
      ctx.logger.info(
        `Recorded ${template} version ${version} with values ${Object.keys(values).join(', ')} in ${PROVENANCE_PATH}`,
      );
      ctx.output('template', template);
      ctx.output('version', version);
      ctx.output('path', PROVENANCE_PATH);
    },
  });
}
