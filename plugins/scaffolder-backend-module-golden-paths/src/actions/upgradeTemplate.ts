/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs';
import { UpgradeStatus, UpgradeStore } from '../database/UpgradeStore';
import { Renderer } from '../lib/render';
import { REPO_NAME_PATTERN, upgradeRepository, UpgradeResult } from '../lib/upgrade';
import { examples } from './upgradeTemplate.examples';

/** The fleet view's status of a finished upgrade. */
function upgradeStatus(result: UpgradeResult): UpgradeStatus {
  if (result.upToDate) return 'up-to-date';
  if (result.report.conflicts.length) return 'conflicted';
  return result.mergeable ? 'open' : 'failed';
}

/**
 * Creates the `paved:template:upgrade` action: upgrades a service made from a versioned template to a
 * newer version by a 3-way merge, as the branch `paved/upgrade/<template>-<version>` of its repository.
 *
 * @remarks
 * Reads `.paved/template.json` from the repository's default branch, renders the recorded version and
 * the target version with the recorded values, merges the difference with `git merge-file`, runs the
 * service's tests (`node --test`) and pushes the branch. The default branch is never written; the
 * developer's changes are kept (overlapping edits become conflicts with standard markers, listed in
 * the output). A dry run logs the diff and pushes nothing. The push is checkpointed: a resumed task
 * does not upgrade twice.
 *
 * @internal
 */
export function createPavedTemplateUpgradeAction(options: {
  /** Directory of the bare repositories (`scaffolder.paved.git.directory`). */
  gitDirectory: string;
  renderer: Renderer;
  resolveTemplateUrl: (
    templateRef: string,
    ctx: { getInitiatorCredentials: () => Promise<any> },
  ) => Promise<string>;
  testTimeoutMs: number;
  author: { name: string; email: string };
  /** Where upgrades are recorded for the fleet view (optional). */
  store?: UpgradeStore;
  /** Throws NotAllowedError when the initiator may not upgrade the repository (optional). */
  authorize?: (repoName: string, credentials: any) => Promise<void>;
}) {
  return createTemplateAction({
    id: 'paved:template:upgrade',
    description:
      'Upgrades a service made from a versioned golden path to a newer template version: 3-way merge of the template change into its repository, as a branch paved/upgrade/<template>-<version>, with conflicts marked and the service tests run. Dry run shows the diff.',
    examples,
    supportsDryRun: true,
    schema: {
      input: z =>
        z.object({
          repoName: z
            .string()
            .regex(REPO_NAME_PATTERN)
            .describe('Name of the service repository on the embedded git server (publish:paved-git)'),
          targetVersion: z
            .string()
            .regex(/^(\d+\.\d+\.\d+)?$/)
            .optional()
            .describe('Template version to upgrade to (default or empty: the newest released)'),
          runTests: z
            .boolean()
            .default(true)
            .describe("Run the upgraded service's own tests (node --test) before offering the merge"),
          campaignId: z
            .string()
            .optional()
            .describe('Campaign this upgrade belongs to (set by the fleet view)'),
        }),
      output: z =>
        z.object({
          upToDate: z.boolean().describe('True when the service already is on the target version'),
          fromVersion: z.string().describe('Template version the service was on'),
          toVersion: z.string().describe('Template version of the upgrade'),
          branch: z.string().describe('Upgrade branch in the service repository (empty when up to date)'),
          commit: z.string().describe('Commit of the upgrade branch (empty in dry runs)'),
          conflicts: z
            .array(z.object({ path: z.string(), reason: z.string() }))
            .describe('Files with conflicts to resolve on the branch'),
          changedFiles: z.array(z.string()).describe('Files the upgrade changes'),
          testsPassed: z.boolean().describe("Whether the upgraded service's tests passed"),
          mergeable: z.boolean().describe('No conflicts and the tests passed: the branch can be merged'),
          diff: z.string().describe('Unified diff of the upgrade against the default branch'),
        }),
    },
    async handler(ctx) {
      const { repoName } = ctx.input;
      if (!REPO_NAME_PATTERN.test(repoName)) {
        throw new InputError(`Invalid repository name '${repoName}'`);
      }
      const gitdir = resolveSafeChildPath(options.gitDirectory, `${repoName}.git`);
      if (options.authorize && !ctx.isDryRun) {
        await options.authorize(repoName, await ctx.getInitiatorCredentials());
      }
      const run = async (dryRun: boolean): Promise<UpgradeResult> => {
        const workDir = await ctx.createTemporaryDirectory();
        try {
          return await upgradeRepository({
            gitdir,
            workDir,
            renderer: options.renderer,
            resolveTemplateUrl: ref => options.resolveTemplateUrl(ref, ctx),
            logger: ctx.logger,
            targetVersion: ctx.input.targetVersion || undefined,
            dryRun,
            runTests: ctx.input.runTests ?? true,
            testTimeoutMs: options.testTimeoutMs,
            author: options.author,
            // A resumed task (scaffolder task recovery) keeps the branch its earlier attempt pushed.
            attemptId: ctx.task?.id,
          });
        } finally {
          await fs.promises.rm(workDir, { recursive: true, force: true });
        }
      };
      const campaignId = ctx.input.campaignId || undefined;
      let result: UpgradeResult;
      try {
        result = ctx.isDryRun
          ? await run(true)
          : ((await ctx.checkpoint({
              key: `paved.template.upgrade.${repoName}.${ctx.input.targetVersion || 'newest'}`,
              fn: async () => JSON.parse(JSON.stringify(await run(false))),
            })) as unknown as UpgradeResult);
      } catch (error) {
        if (options.store && !ctx.isDryRun && ctx.input.targetVersion) {
          const known = await options.store.get(repoName, ctx.input.targetVersion);
          await options.store.upsert({
            repo: repoName,
            template: known?.template ?? 'unknown',
            toVersion: ctx.input.targetVersion,
            fromVersion: known?.fromVersion,
            status: 'failed',
            conflicts: [],
            taskId: ctx.task.id,
            campaignId,
            message: String((error as Error).message ?? error),
          });
        }
        throw error;
      }
      if (options.store && !ctx.isDryRun) {
        await options.store.upsert({
          repo: repoName,
          template: result.template,
          toVersion: result.toVersion,
          fromVersion: result.fromVersion,
          branch: result.branch || undefined,
          status: upgradeStatus(result),
          conflicts: result.report.conflicts,
          commit: result.commit || undefined,
          taskId: ctx.task.id,
          campaignId,
          message:
            !result.upToDate && !result.report.conflicts.length && !result.mergeable
              ? "the upgraded service's tests failed"
              : undefined,
        });
      }
      if (result.upToDate) {
        ctx.logger.info(`${repoName} already is on ${result.fromVersion}: nothing to upgrade`);
      } else {
        ctx.logger.info(
          `${ctx.isDryRun ? 'Would upgrade' : 'Upgraded'} ${repoName} from ${result.fromVersion} to ${result.toVersion}${result.branch && !ctx.isDryRun ? ` on branch ${result.branch}` : ''}; diff:\n${result.diff}`,
        );
      }
      const r = result.report;
      ctx.output('upToDate', result.upToDate);
      ctx.output('fromVersion', result.fromVersion);
      ctx.output('toVersion', result.toVersion);
      ctx.output('branch', result.branch);
      ctx.output('commit', result.commit);
      ctx.output('conflicts', r.conflicts);
      ctx.output(
        'changedFiles',
        [...r.updated, ...r.merged, ...r.added, ...r.deleted, ...r.conflicts.map(c => c.path)].sort(),
      );
      ctx.output('testsPassed', result.tests.passed);
      ctx.output('mergeable', result.mergeable);
      ctx.output('diff', result.diff);
    },
  });
}
