/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { join } from 'node:path';
import { git } from './git';
import { mergeTemplateChange, MergeReport } from './merge';
import { parseProvenance, PROVENANCE_PATH } from './provenance';
import { Renderer } from './render';
import { compareVersions, readVersions } from './versions';

/** Names of local repositories: DNS labels (as publish:paved-git creates them). @internal */
export const REPO_NAME_PATTERN = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Outcome of an upgrade. @public */
export interface UpgradeResult {
  /** Template entity ref from the repository's provenance. */
  template: string;
  /** The version the repository was on. */
  fromVersion: string;
  /** The version it is upgraded to. */
  toVersion: string;
  /** True when the repository already was on `toVersion` (or newer): nothing was done. */
  upToDate: boolean;
  /** Branch with the upgrade, `paved/upgrade/<template name>-<version>` (empty when up to date). */
  branch: string;
  /** Commit of the branch (empty in dry runs and when up to date). */
  commit: string;
  /** What happened to each file. */
  report: MergeReport;
  /** Unified diff of the upgrade against the default branch (truncated to 200 kB). */
  diff: string;
  /** Result of the service's own tests (`node --test`) on the merged tree; skipped with conflicts. */
  tests: { ran: boolean; passed: boolean; output: string };
  /** True when the branch has no conflicts and its tests passed: it may be merged. */
  mergeable: boolean;
  /** Whether it was a dry run (nothing pushed). */
  dryRun: boolean;
}

const MAX_DIFF = 200_000;

/** Name of the upgrade branch for a template and version. @public */
export function upgradeBranchName(templateRef: string, version: string) {
  const name = templateRef.replace(/^.*[:/]/, '');
  return `paved/upgrade/${name}-${version}`;
}

function runTests(
  dir: string,
  timeoutMs: number,
): Promise<{ passed: boolean; output: string }> {
  return new Promise(resolve => {
    execFile(
      process.execPath,
      ['--test', '--test-reporter=tap'],
      {
        cwd: dir,
        timeout: timeoutMs,
        maxBuffer: 16 * 1024 * 1024,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', NODE_ENV: 'test' },
      },
      (error, stdout, stderr) => {
        const output = `${stdout}${stderr}`.slice(-20_000);
        resolve({ passed: !error, output });
      },
    );
  });
}

/**
 * Upgrades one repository to a newer version of the template it was made from: renders the recorded
 * version and the target version with the recorded values, 3-way merges the difference into a clone
 * of the default branch, runs the service's tests, and pushes the result to the branch
 * `paved/upgrade/<template>-<version>` of the same repository. The default branch is never written.
 *
 * @public
 */
export async function upgradeRepository(options: {
  /** The bare repository (a local path git can clone). */
  gitdir: string;
  /** Where to work; must be empty or absent; removed by the caller. */
  workDir: string;
  /** Resolves a template ref to the URL of its template.yaml (file:// or a URL the reader reads). */
  resolveTemplateUrl: (templateRef: string) => Promise<string>;
  renderer: Renderer;
  logger: LoggerService;
  /** Version to upgrade to (default: the newest released). */
  targetVersion?: string;
  dryRun: boolean;
  runTests: boolean;
  testTimeoutMs: number;
  author: { name: string; email: string };
  /**
   * Identifies this attempt (the scaffolder task id), recorded in the commit as `Paved-Attempt:`. When the
   * branch already exists, was pushed by the same attempt on top of the current default branch and holds exactly
   * what this run produces, it is kept and returned instead of refused: a task killed after its push and before
   * its checkpoint was saved resumes without failing and without pushing twice.
   */
  attemptId?: string;
}): Promise<UpgradeResult> {
  const { gitdir, workDir, renderer, logger } = options;
  if (!fs.existsSync(join(gitdir, 'HEAD'))) {
    throw new NotFoundError(`Repository ${gitdir} does not exist`);
  }
  await fs.promises.mkdir(workDir, { recursive: true });
  const repo = join(workDir, 'repo');
  const head = await git(['symbolic-ref', '--short', 'HEAD'], { cwd: gitdir });
  const defaultBranch = head.stdout.trim();
  await git(['clone', '--quiet', '--branch', defaultBranch, '--', gitdir, repo], {
    cwd: workDir,
  });

  let provenanceText: string;
  try {
    provenanceText = await fs.promises.readFile(join(repo, PROVENANCE_PATH), 'utf8');
  } catch {
    throw new InputError(
      `The repository has no ${PROVENANCE_PATH}: it was not made by a versioned template`,
    );
  }
  const provenance = parseProvenance(provenanceText);
  const templateUrl = await options.resolveTemplateUrl(provenance.template);
  const templateDir = join(workDir, 'template');
  await renderer.fetchTemplate({ templateUrl, dir: templateDir });
  const versions = await readVersions(templateDir);
  const toVersion = options.targetVersion ?? versions[versions.length - 1].version;
  const empty: MergeReport = { updated: [], merged: [], added: [], deleted: [], conflicts: [] };
  if (compareVersions(provenance.version, toVersion) >= 0) {
    return {
      template: provenance.template,
      fromVersion: provenance.version,
      toVersion,
      upToDate: true,
      branch: '',
      commit: '',
      report: empty,
      diff: '',
      tests: { ran: false, passed: false, output: '' },
      mergeable: false,
      dryRun: options.dryRun,
    };
  }
  const branch = upgradeBranchName(provenance.template, toVersion);
  const existing = await git(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], {
    cwd: gitdir,
    allowExitCodes: () => true,
  });
  let earlierAttempt: string | undefined;
  if (existing.code === 0 && !options.dryRun) {
    earlierAttempt = await pushedByThisAttempt(gitdir, branch, defaultBranch, options.attemptId);
    if (!earlierAttempt) {
      throw new ConflictError(
        `The upgrade branch ${branch} already exists; merge or delete it first`,
      );
    }
  }

  const baseDir = join(workDir, 'base');
  const theirsDir = join(workDir, 'theirs');
  await renderer.renderVersion({ templateDir, provenance, outputDir: baseDir });
  await renderer.renderVersion({
    templateDir,
    provenance: { ...provenance, version: toVersion },
    outputDir: theirsDir,
  });
  const report = await mergeTemplateChange({
    base: baseDir,
    theirs: theirsDir,
    ours: repo,
    labels: {
      ours: `${defaultBranch} (your repository)`,
      base: `template ${provenance.version}`,
      theirs: `template ${toVersion}`,
    },
  });
  logger.info(
    `Merged ${provenance.template} ${provenance.version} -> ${toVersion}: ${report.updated.length} updated, ${report.merged.length} merged, ${report.added.length} added, ${report.deleted.length} deleted, ${report.conflicts.length} conflicts`,
  );
  for (const c of report.conflicts) logger.warn(`Conflict in ${c.path}: ${c.reason}`);

  await git(['add', '--all'], { cwd: repo });
  const diff = (
    await git(['diff', '--cached', '--no-color', '--no-ext-diff'], { cwd: repo })
  ).stdout;

  let tests = { ran: false, passed: false, output: '' };
  if (options.runTests && report.conflicts.length === 0) {
    const result = await runTests(repo, options.testTimeoutMs);
    tests = { ran: true, ...result };
    logger.info(`The upgraded service's tests ${result.passed ? 'passed' : 'failed'}`);
  }

  let commit = '';
  if (!options.dryRun && earlierAttempt) {
    const tree = (await git(['write-tree'], { cwd: repo })).stdout.trim();
    const pushed = (await git(['rev-parse', `${earlierAttempt}^{tree}`], { cwd: gitdir })).stdout.trim();
    if (tree !== pushed) {
      throw new ConflictError(
        `The upgrade branch ${branch} already exists with other content; merge or delete it first`,
      );
    }
    commit = earlierAttempt;
    logger.info(`${branch} was already pushed by this task before it was interrupted (${commit}); kept it`);
  } else if (!options.dryRun) {
    await git(['checkout', '--quiet', '-b', branch], { cwd: repo });
    const conflictNote = report.conflicts.length
      ? `\n\nConflicts to resolve:\n${report.conflicts.map(c => `- ${c.path}: ${c.reason}`).join('\n')}`
      : '';
    await git(
      [
        '-c',
        `user.name=${options.author.name}`,
        '-c',
        `user.email=${options.author.email}`,
        'commit',
        '--quiet',
        '--allow-empty',
        '-m',
        `Upgrade to ${provenance.template} ${toVersion} (from ${provenance.version})${conflictNote}\n\nPaved-Upgrade: ${provenance.template}@${toVersion}${
          options.attemptId ? `\nPaved-Attempt: ${options.attemptId}` : ''
        }`,
      ],
      { cwd: repo },
    );
    commit = (await git(['rev-parse', 'HEAD'], { cwd: repo })).stdout.trim();
    await git(['push', '--quiet', 'origin', `${branch}:refs/heads/${branch}`], {
      cwd: repo,
    });
    logger.info(`Pushed ${branch} (${commit})`);
  }
  return {
    template: provenance.template,
    fromVersion: provenance.version,
    toVersion,
    upToDate: false,
    branch,
    commit,
    report,
    diff: diff.length > MAX_DIFF ? `${diff.slice(0, MAX_DIFF)}\n[diff truncated]\n` : diff,
    tests,
    mergeable: report.conflicts.length === 0 && (!options.runTests || tests.passed),
    dryRun: options.dryRun,
  };
}

/**
 * The commit of `branch` when the same attempt pushed it on top of the current default branch (its only commit,
 * with the `Paved-Attempt:` trailer of `attemptId`); undefined otherwise.
 */
async function pushedByThisAttempt(
  gitdir: string,
  branch: string,
  defaultBranch: string,
  attemptId: string | undefined,
): Promise<string | undefined> {
  if (!attemptId) return undefined;
  const rev = async (ref: string) => {
    const r = await git(['rev-parse', '--verify', '--quiet', ref], { cwd: gitdir, allowExitCodes: () => true });
    return r.code === 0 ? r.stdout.trim() : undefined;
  };
  const tip = await rev(`refs/heads/${branch}`);
  if (!tip || (await rev(`${tip}^`)) !== (await rev(`refs/heads/${defaultBranch}`))) return undefined;
  const message = (await git(['log', '-1', '--format=%B', tip], { cwd: gitdir })).stdout;
  return message.split('\n').some(line => line.trim() === `Paved-Attempt: ${attemptId}`) ? tip : undefined;
}
