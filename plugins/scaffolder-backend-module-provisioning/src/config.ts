/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import { resolve as resolvePath } from 'node:path';

/**
 * Parsed configuration of the module.
 * @internal
 */
export interface PavedScaffolderConfig {
  git: {
    /** Absolute directory of the bare repositories. */
    directory: string;
    /** Branch repositories are published to. */
    defaultBranch: string;
  };
  /** Base URL of the frontend app, for links in action outputs. */
  appBaseUrl: string;
  /** Absolute directory of the `paved-filesystem` workspace provider. */
  workspacesDirectory: string;
  cleanup: {
    /** How often the backstop sweep runs. */
    frequency: HumanDuration;
    /** Time (ms) after a run ended before the sweep releases its resources. */
    gracePeriodMs: number;
  };
}

const BRANCH_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$/;

/**
 * Reads `scaffolder.paved` (and `app.baseUrl`). Throws on invalid values.
 * @internal
 */
export function readPavedScaffolderConfig(
  config: Config,
  cwd: string = process.cwd(),
): PavedScaffolderConfig {
  const git = config.getOptionalConfig('scaffolder.paved.git');
  const directory = git?.getOptionalString('directory') ?? '../../.data/git';
  const defaultBranch = git?.getOptionalString('defaultBranch') ?? 'main';
  if (!BRANCH_PATTERN.test(defaultBranch) || defaultBranch.includes('..')) {
    throw new Error(
      `Invalid config scaffolder.paved.git.defaultBranch: '${defaultBranch}' is not a valid branch name`,
    );
  }
  const cleanup = config.getOptionalConfig('scaffolder.paved.cleanup');
  const frequency = cleanup?.has('frequency')
    ? readDurationFromConfig(cleanup, { key: 'frequency' })
    : { minutes: 1 };
  const gracePeriod = cleanup?.has('gracePeriod')
    ? readDurationFromConfig(cleanup, { key: 'gracePeriod' })
    : { minutes: 5 };
  return {
    git: { directory: resolvePath(cwd, directory), defaultBranch },
    workspacesDirectory: resolvePath(
      cwd,
      config.getOptionalString('scaffolder.paved.workspaces.directory') ??
        '../../.data/scaffolder-workspaces',
    ),
    cleanup: {
      frequency,
      gracePeriodMs: durationToMilliseconds(gracePeriod),
    },
    appBaseUrl: (
      config.getOptionalString('app.baseUrl') ?? 'http://localhost:3000'
    ).replace(/\/+$/, ''),
  };
}
