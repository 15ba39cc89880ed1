/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import fs from 'node:fs';
import { join } from 'node:path';
import { git } from './git';
import { mergeTemplateChange, MergeReport } from './merge';
import { PROVENANCE_PATH } from './provenance';
import { Renderer } from './render';
import { readVersions } from './versions';

/** Outcome of adopting a golden path in an existing repository. @public */
export interface AdoptResult {
  template: string;
  version: string;
  /** `paved/adopt/<template>-<version>` (pushed unless a dry run). */
  branch: string;
  /** Commit of the branch (empty in dry runs). */
  commit: string;
  /** What happened to each file of the golden path: `added` (new files) or `conflicts` (clashes). */
  report: MergeReport;
  /** Unified diff against the default branch (truncated to 200 kB). */
  diff: string;
  /** No clashes: the branch only adds files and can be merged. */
  mergeable: boolean;
  /** Whether the branch was merged into the default branch (`autoMerge` and mergeable). */
  merged: boolean;
  /** The default branch. */
  defaultBranch: string;
  dryRun: boolean;
}

const MAX_DIFF = 200_000;

/** Name of the adoption branch for a template and version. @public */
export function adoptBranchName(templateRef: string, version: string) {
  return `paved/adopt/${templateRef.replace(/^.*[:/]/, '')}-${version}`;
}

/**
 * Brings an existing repository onto a golden path: renders the template version with the given
 * values and 3-way merges it into a clone of the default branch **with an empty base** (the same
 * `git merge-file` machinery as upgrades), so the golden path's files (CI workflow, Dockerfile,
 * catalog-info.yaml, docs, `.paved/template.json`) are added and a file the repository already has
 * is never overwritten: where both have a file with different content, the result is a conflict
 * with standard markers holding both sides' lines, listed in the report. The result is committed to
 * the branch `paved/adopt/<template>-<version>` of the same repository; the default branch is only
 * written when `autoMerge` is set and there is no conflict. From then on the repository has a
 * provenance record and upgrades like any golden-path service.
 *
 * @public
 */
export async function adoptTemplate(options: {
  /** The bare repository. */
  gitdir: string;
  /** Where to work; removed by the caller. */
  workDir: string;
  /** URL of the template's template.yaml. */
  templateUrl: string;
  templateRef: string;
  /** Version to adopt (default: the newest released). */
  version?: string;
  /** The answers the template would have asked for. */
  values: Record<string, unknown>;
  renderer: Renderer;
  logger: LoggerService;
  dryRun: boolean;
  autoMerge: boolean;
  author: { name: string; email: string };
}): Promise<AdoptResult> {
  const { gitdir, workDir, renderer, logger, templateRef } = options;
  if (!fs.existsSync(join(gitdir, 'HEAD'))) {
    throw new NotFoundError(`Repository ${gitdir} does not exist`);
  }
  await fs.promises.mkdir(workDir, { recursive: true });
  const defaultBranch = (
    await git(['symbolic-ref', '--short', 'HEAD'], { cwd: gitdir })
  ).stdout.trim();
  const repo = join(workDir, 'repo');
  await git(['clone', '--quiet', '--branch', defaultBranch, '--', gitdir, repo], { cwd: workDir });
  if (fs.existsSync(join(repo, PROVENANCE_PATH))) {
    throw new ConflictError(
      `The repository already has ${PROVENANCE_PATH}: it is on a golden path; upgrade it instead`,
    );
  }

  const templateDir = join(workDir, 'template');
  await renderer.fetchTemplate({ templateUrl: options.templateUrl, dir: templateDir });
  const versions = await readVersions(templateDir);
  const version = options.version ?? versions[versions.length - 1].version;
  const branch = adoptBranchName(templateRef, version);
  const existing = await git(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], {
    cwd: gitdir,
    allowExitCodes: () => true,
  });
  if (existing.code === 0 && !options.dryRun) {
    throw new ConflictError(`The branch ${branch} already exists; merge or delete it first`);
  }

  const baseDir = join(workDir, 'base');
  const theirsDir = join(workDir, 'theirs');
  await fs.promises.mkdir(baseDir, { recursive: true });
  await renderer.renderVersion({
    templateDir,
    provenance: { template: templateRef, version, values: options.values },
    outputDir: theirsDir,
  });
  const report = await mergeTemplateChange({
    base: baseDir,
    theirs: theirsDir,
    ours: repo,
    labels: {
      ours: `${defaultBranch} (your repository)`,
      base: 'nothing (adoption)',
      theirs: `template ${version}`,
    },
  });
  logger.info(
    `Adopting ${templateRef} ${version}: ${report.added.length} files added, ${report.merged.length} merged, ${report.conflicts.length} clashes (conflicts, nothing overwritten)`,
  );
  for (const c of report.conflicts) logger.warn(`Conflict in ${c.path}: ${c.reason}`);

  await git(['add', '--all'], { cwd: repo });
  const diff = (await git(['diff', '--cached', '--no-color', '--no-ext-diff'], { cwd: repo })).stdout;
  const mergeable = report.conflicts.length === 0;
  let commit = '';
  let merged = false;
  if (!options.dryRun) {
    const identity = ['-c', `user.name=${options.author.name}`, '-c', `user.email=${options.author.email}`];
    await git(['checkout', '--quiet', '-b', branch], { cwd: repo });
    const conflictNote = report.conflicts.length
      ? `\n\nConflicts to resolve:\n${report.conflicts.map(c => `- ${c.path}: ${c.reason}`).join('\n')}`
      : '';
    await git(
      [
        ...identity,
        'commit',
        '--quiet',
        '--allow-empty',
        '-m',
        `Adopt the golden path ${templateRef} ${version}${conflictNote}\n\nPaved-Adopt: ${templateRef}@${version}`,
      ],
      { cwd: repo },
    );
    commit = (await git(['rev-parse', 'HEAD'], { cwd: repo })).stdout.trim();
    await git(['push', '--quiet', 'origin', `${branch}:refs/heads/${branch}`], { cwd: repo });
    logger.info(`Pushed ${branch} (${commit})`);
    if (options.autoMerge && mergeable) {
      await git(['checkout', '--quiet', defaultBranch], { cwd: repo });
      await git(
        [...identity, 'merge', '--quiet', '--no-ff', '-m', `Merge ${branch}: adopt ${templateRef} ${version}`, branch],
        { cwd: repo },
      );
      await git(['push', '--quiet', 'origin', `${defaultBranch}:refs/heads/${defaultBranch}`], { cwd: repo });
      merged = true;
      logger.info(`Merged ${branch} into ${defaultBranch}`);
    }
  }
  return {
    template: templateRef,
    version,
    branch,
    commit,
    report,
    diff: diff.length > MAX_DIFF ? `${diff.slice(0, MAX_DIFF)}\n[diff truncated]\n` : diff,
    mergeable,
    merged,
    defaultBranch,
    dryRun: options.dryRun,
  };
}

/**
 * Imports the files of a directory (read from any URL the backend may read) as the first commit of
 * a new bare repository `gitdir` on the embedded git server, so that it can be adopted, cloned and
 * upgraded like a scaffolded one. Throws ConflictError when the repository exists.
 * @public
 */
export async function importDirectory(options: {
  sourceDir: string;
  gitdir: string;
  branch: string;
  message: string;
  author: { name: string; email: string };
}): Promise<{ commit: string }> {
  const { sourceDir, gitdir, branch } = options;
  if (fs.existsSync(join(gitdir, 'HEAD'))) {
    throw new ConflictError(`The repository ${gitdir} already exists`);
  }
  await fs.promises.mkdir(gitdir, { recursive: true });
  await git(['init', '--quiet', '--bare', `--initial-branch=${branch}`], { cwd: gitdir });
  await git(['init', '--quiet', `--initial-branch=${branch}`], { cwd: sourceDir });
  await git(['add', '--all'], { cwd: sourceDir });
  await git(
    ['-c', `user.name=${options.author.name}`, '-c', `user.email=${options.author.email}`, 'commit', '--quiet', '-m', options.message],
    { cwd: sourceDir },
  );
  const commit = (await git(['rev-parse', 'HEAD'], { cwd: sourceDir })).stdout.trim();
  await git(['push', '--quiet', gitdir, `${branch}:refs/heads/${branch}`], { cwd: sourceDir });
  await fs.promises.rm(join(sourceDir, '.git'), { recursive: true, force: true });
  return { commit };
}
