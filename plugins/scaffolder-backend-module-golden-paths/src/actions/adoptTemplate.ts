/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { resolveSafeChildPath, UrlReaderService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs';
import { join } from 'node:path';
import { adoptTemplate, AdoptResult, importDirectory } from '../lib/adopt';
import { REPO_NAME_PATTERN } from '../lib/upgrade';
import { examples } from './adoptTemplate.examples';

/**
 * Creates the `paved:template:adopt` action: onboards an existing repository onto a golden path.
 *
 * @remarks
 * The repository is one of the embedded git server (`repoName`), or it is imported there first from
 * `sourceUrl` (any URL the backend's URL readers read: the embedded server, `file://` folders allowed
 * in `paved.reading.folders`, GitHub/GitLab with an integration). Then the template's version is
 * rendered with `values` and merged with an empty base (`git merge-file`), as the branch
 * `paved/adopt/<template>-<version>`: the golden path's files are added, the repository's own files
 * are never overwritten (clashes become conflicts with standard markers, listed in `conflicts`).
 * With `autoMerge` and no conflict, the branch is merged into the default branch. Checkpointed; a
 * dry run only outputs the diff.
 *
 * @internal
 */
export function createPavedTemplateAdoptAction(options: {
  gitDirectory: string;
  reader: UrlReaderService;
  renderer: Parameters<typeof adoptTemplate>[0]['renderer'];
  resolveTemplateUrl: (
    templateRef: string,
    ctx: { getInitiatorCredentials: () => Promise<any> },
  ) => Promise<string>;
  /** Base URL of the scaffolder API as the backend reaches it (for `catalogInfoUrl`). */
  getScaffolderBaseUrl: () => Promise<string>;
  author: { name: string; email: string };
  /** Throws NotAllowedError when the initiator may not onboard for `owner` (optional). */
  authorize?: (owner: string, credentials: any) => Promise<void>;
}) {
  return createTemplateAction({
    id: 'paved:template:adopt',
    description:
      'Onboards an existing repository onto a golden path: imports it into the embedded git server if it comes from a URL, then adds the template\'s files (CI, Dockerfile, catalog-info.yaml, docs, .paved/template.json) as a branch paved/adopt/<template>-<version> with a 3-way merge from an empty base: nothing of the repository is overwritten, clashes are conflicts.',
    examples,
    supportsDryRun: true,
    schema: {
      input: z =>
        z.object({
          repoName: z
            .string()
            .regex(REPO_NAME_PATTERN)
            .describe('Name of the repository on the embedded git server (created from sourceUrl when given)'),
          sourceUrl: z
            .union([z.string().url(), z.literal('')])
            .optional()
            .describe('URL of the existing code (a directory the backend URL readers can read); imported as repoName'),
          templateRef: z
            .string()
            .default('template:default/typescript-service')
            .describe('The golden path to adopt, a template entity ref'),
          version: z
            .string()
            .regex(/^(\d+\.\d+\.\d+)?$/)
            .optional()
            .describe('Template version to adopt (default or empty: the newest released)'),
          values: z
            .record(z.unknown())
            .describe('The answers the template asks for (name, description, owner, system, ...)'),
          autoMerge: z
            .boolean()
            .default(false)
            .describe('Merge the branch into the default branch right away when it has no conflicts'),
        }),
      output: z =>
        z.object({
          branch: z.string().describe('The adoption branch'),
          version: z.string().describe('The adopted template version'),
          commit: z.string().describe('Commit of the branch (empty in dry runs)'),
          added: z.array(z.string()).describe('Files of the golden path added'),
          conflicts: z
            .array(z.object({ path: z.string(), reason: z.string() }))
            .describe('Files both the repository and the golden path have: conflict markers, nothing overwritten'),
          mergeable: z.boolean().describe('No conflicts: the branch can be merged'),
          merged: z.boolean().describe('Whether the branch was merged into the default branch'),
          catalogInfoUrl: z
            .string()
            .describe("URL of catalog-info.yaml on the default branch (to register once merged)"),
          diff: z.string().describe('Unified diff of the adoption against the default branch'),
        }),
    },
    async handler(ctx) {
      const { repoName } = ctx.input;
      const sourceUrl = ctx.input.sourceUrl || undefined;
      const values = ctx.input.values ?? {};
      if (typeof values.owner !== 'string' || typeof values.name !== 'string') {
        throw new InputError('values must give at least name and owner');
      }
      const gitdir = resolveSafeChildPath(options.gitDirectory, `${repoName}.git`);
      if (options.authorize && !ctx.isDryRun) {
        await options.authorize(values.owner, await ctx.getInitiatorCredentials());
      }
      const exists = fs.existsSync(join(gitdir, 'HEAD'));
      if (sourceUrl && !ctx.isDryRun) {
        await ctx.checkpoint({
          key: `paved.template.adopt.import.${repoName}`,
          fn: async () => {
            const tree = await options.reader.readTree(sourceUrl);
            const sourceDir = await ctx.createTemporaryDirectory();
            await tree.dir({ targetDir: sourceDir });
            const { commit } = await importDirectory({
              sourceDir,
              gitdir,
              branch: 'main',
              message: `Import ${sourceUrl}`,
              author: options.author,
            });
            ctx.logger.info(`Imported ${sourceUrl} as ${repoName} (${commit})`);
            return commit;
          },
        });
      } else if (!exists) {
        throw new InputError(
          `Repository '${repoName}' does not exist on the embedded git server${sourceUrl ? ' (a dry run does not import it)' : '; give sourceUrl to import it'}`,
        );
      }
      const templateUrl = await options.resolveTemplateUrl(ctx.input.templateRef, ctx);
      const run = async (dryRun: boolean): Promise<AdoptResult> => {
        const workDir = await ctx.createTemporaryDirectory();
        try {
          return await adoptTemplate({
            gitdir,
            workDir,
            templateUrl,
            templateRef: ctx.input.templateRef,
            version: ctx.input.version || undefined,
            values,
            renderer: options.renderer,
            logger: ctx.logger,
            dryRun,
            autoMerge: ctx.input.autoMerge ?? false,
            author: options.author,
          });
        } finally {
          await fs.promises.rm(workDir, { recursive: true, force: true });
        }
      };
      const result = ctx.isDryRun
        ? await run(true)
        : ((await ctx.checkpoint({
            key: `paved.template.adopt.${repoName}`,
            fn: async () => JSON.parse(JSON.stringify(await run(false))),
          })) as unknown as AdoptResult);
      ctx.logger.info(
        `${ctx.isDryRun ? 'Would adopt' : 'Adopted'} ${result.template} ${result.version} in ${repoName}: ${result.report.added.length} files added, ${result.report.conflicts.length} conflicts${result.merged ? `; merged into ${result.defaultBranch}` : ''}\n${result.diff}`,
      );
      const base = (await options.getScaffolderBaseUrl()).replace(/\/+$/, '');
      ctx.output('branch', result.branch);
      ctx.output('version', result.version);
      ctx.output('commit', result.commit);
      ctx.output('added', result.report.added);
      ctx.output('conflicts', result.report.conflicts);
      ctx.output('mergeable', result.mergeable);
      ctx.output('merged', result.merged);
      ctx.output('catalogInfoUrl', `${base}/paved-git/${repoName}/raw/${result.defaultBranch}/catalog-info.yaml`);
      ctx.output('diff', result.diff);
    },
  });
}
