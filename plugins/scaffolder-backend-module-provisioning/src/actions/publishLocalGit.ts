/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { pathToFileURL } from 'node:url';
import {
  LocalGitRepositories,
  normalizeRepoPath,
  REPO_NAME_PATTERN,
} from '../git/LocalGitRepositories';
import { examples } from './publishLocalGit.examples';

/**
 * Creates the `publish:paved-git` action: publishes the workspace as a new git repository on the
 * machine (a bare repository `<directory>/<name>.git`), readable by the catalog over HTTP.
 *
 * @remarks
 * The embedded default for demos and single-machine installs. Production adopters install Backstage's
 * `publish:github` / `publish:gitlab` modules instead. The repository's URLs are
 * `<scaffolder base URL>/paved-git/<name>/raw/<ref>/<path>`: the catalog and TechDocs read them in-process
 * through this module's URL reader, and people with credentials over HTTP.
 *
 * @internal
 */
export function createPublishPavedGitAction(options: {
  repositories: LocalGitRepositories;
  /** Base URL of the scaffolder plugin's API as the backend reaches it, e.g. `http://localhost:7007/api/scaffolder`. */
  getScaffolderBaseUrl: () => Promise<string>;
  /** Base URL of the scaffolder plugin's API as people reach it (for the clone URL); default the internal one. */
  getScaffolderExternalBaseUrl?: () => Promise<string>;
  defaultBranch: string;
  defaultAuthor: { name: string; email: string };
  defaultCommitMessage: string;
}) {
  const { repositories } = options;
  return createTemplateAction({
    id: 'publish:paved-git',
    description:
      'Publishes the workspace to a new git repository on this machine (a bare repository, clonable with git clone) and serves its files to the catalog. For production use publish:github or publish:gitlab.',
    examples,
    supportsDryRun: true,
    schema: {
      input: z =>
        z.object({
          repoName: z
            .string()
            .regex(REPO_NAME_PATTERN)
            .describe(
              'Name of the new repository: a DNS label, usually the component name',
            ),
          sourcePath: z
            .string()
            .optional()
            .describe(
              'Directory of the workspace to publish, relative to the workspace root (default: the whole workspace)',
            ),
          catalogInfoPath: z
            .string()
            .default('catalog-info.yaml')
            .describe(
              'Path of the catalog descriptor in the repository (default `catalog-info.yaml`)',
            ),
          commitMessage: z
            .string()
            .optional()
            .describe(
              'Message of the initial commit (default `scaffolder.defaultCommitMessage` or `Initial commit`)',
            ),
          gitAuthorName: z
            .string()
            .optional()
            .describe(
              'Author name of the commit (default `scaffolder.defaultAuthor.name` or `Scaffolder`)',
            ),
          gitAuthorEmail: z
            .string()
            .optional()
            .describe(
              'Author email of the commit (default `scaffolder.defaultAuthor.email` or `scaffolder@backstage.io`)',
            ),
        }),
      output: z =>
        z.object({
          remoteUrl: z
            .string()
            .describe(
              'file:// URL of the bare repository, for `git clone <remoteUrl>`',
            ),
          repoContentsUrl: z
            .string()
            .describe(
              "URL of the repository's root directory at the published branch",
            ),
          catalogInfoUrl: z
            .string()
            .describe(
              'URL of the catalog descriptor, for `catalog:register` or `paved:catalog:register`',
            ),
          commitHash: z
            .string()
            .describe('Hash of the published commit (empty in dry runs)'),
          cloneUrl: z
            .string()
            .describe(
              'HTTP clone URL on the embedded git server (git smart HTTP; a git access token or Backstage token as the password)',
            ),
        }),
    },
    async handler(ctx) {
      const { repoName } = ctx.input;
      const branch = options.defaultBranch;
      const gitdir = repositories.gitdir(repoName);
      const catalogInfoPath = normalizeRepoPath(
        ctx.input.catalogInfoPath ?? 'catalog-info.yaml',
      );
      const sourceDir = ctx.input.sourcePath
        ? resolveSafeChildPath(ctx.workspacePath, ctx.input.sourcePath)
        : ctx.workspacePath;
      const baseUrl = (await options.getScaffolderBaseUrl()).replace(/\/+$/, '');
      const repoContentsUrl = `${baseUrl}/paved-git/${repoName}/raw/${branch}/`;
      const remoteUrl = pathToFileURL(gitdir).toString();

      let commitHash = '';
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Would publish the workspace to ${remoteUrl} (branch ${branch}); nothing was written (dry run)`,
        );
      } else {
        const result = await ctx.checkpoint({
          key: `paved-git.publish.${repoName}`,
          fn: async () =>
            repositories.publish({
              name: repoName,
              sourceDir,
              branch,
              taskId: ctx.task.id,
              author: {
                name: ctx.input.gitAuthorName ?? options.defaultAuthor.name,
                email: ctx.input.gitAuthorEmail ?? options.defaultAuthor.email,
              },
              message: ctx.input.commitMessage ?? options.defaultCommitMessage,
            }),
        });
        commitHash = result.commit;
        ctx.logger.info(
          `Published commit ${commitHash} to ${remoteUrl} (branch ${branch}); clone it with: git clone ${remoteUrl}`,
        );
      }
      ctx.output('remoteUrl', remoteUrl);
      ctx.output('repoContentsUrl', repoContentsUrl);
      ctx.output('catalogInfoUrl', `${repoContentsUrl}${catalogInfoPath}`);
      ctx.output('commitHash', commitHash);
      const externalBase = (
        await (options.getScaffolderExternalBaseUrl ?? options.getScaffolderBaseUrl)()
      ).replace(/\/+$/, '');
      ctx.output('cloneUrl', `${externalBase}/paved-git/${repoName}.git`);
    },
  });
}
