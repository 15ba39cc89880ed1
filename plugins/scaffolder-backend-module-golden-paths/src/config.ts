/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import { resolve as resolvePath } from 'node:path';

/** Parsed configuration of the module. @internal */
export interface GoldenPathsConfig {
  /** Absolute directory of the bare repositories (shared with publish:paved-git). */
  gitDirectory: string;
  /** Longest run (ms) of a service's own tests during an upgrade. */
  testTimeoutMs: number;
  /** Author of upgrade commits. */
  author: { name: string; email: string };
  /** Groups whose members may start upgrade campaigns. */
  campaignOwners: string[];
  /** The day-2 template that runs one upgrade (used by campaigns and the entity card). */
  upgradeTemplateRef: string;
}

/** Reads `scaffolder.paved.git.directory` and `scaffolder.paved.upgrades`. @internal */
export function readGoldenPathsConfig(
  config: Config,
  cwd: string = process.cwd(),
): GoldenPathsConfig {
  const upgrades = config.getOptionalConfig('scaffolder.paved.upgrades');
  const testTimeout = upgrades?.has('testTimeout')
    ? readDurationFromConfig(upgrades, { key: 'testTimeout' })
    : { minutes: 2 };
  return {
    gitDirectory: resolvePath(
      cwd,
      config.getOptionalString('scaffolder.paved.git.directory') ?? '../../.data/git',
    ),
    testTimeoutMs: durationToMilliseconds(testTimeout),
    campaignOwners: upgrades?.getOptionalStringArray('campaignOwners') ?? [
      'group:default/platform-team',
    ],
    upgradeTemplateRef:
      upgrades?.getOptionalString('template') ?? 'template:default/upgrade-service',
    author: {
      name: config.getOptionalString('scaffolder.defaultAuthor.name') ?? 'Scaffolder',
      email:
        config.getOptionalString('scaffolder.defaultAuthor.email') ?? 'scaffolder@backstage.io',
    },
  };
}
