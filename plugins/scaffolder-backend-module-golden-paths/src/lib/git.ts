/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { execFile } from 'node:child_process';

/** Result of one git command. @internal */
export interface GitResult {
  stdout: string;
  stderr: string;
  /** Exit code (0 on success; `git merge-file` returns the number of conflicts). */
  code: number;
}

/**
 * Runs the git CLI with arguments (execFile: no shell, nothing interpolated), with a neutral
 * environment: no user or system config, no prompts, a fixed identity unless given.
 * Rejects on a non-zero exit unless `allowExitCodes` lists it.
 * @internal
 */
export function git(
  args: string[],
  options: {
    cwd: string;
    allowExitCodes?: (code: number) => boolean;
    env?: Record<string, string>;
  },
): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      {
        cwd: options.cwd,
        maxBuffer: 64 * 1024 * 1024,
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: options.cwd,
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_CONFIG_GLOBAL: '/dev/null',
          GIT_TERMINAL_PROMPT: '0',
          LC_ALL: 'C',
          ...options.env,
        },
      },
      (error, stdout, stderr) => {
        let code = 0;
        if (error) {
          const exit = (error as { code?: unknown }).code;
          code = typeof exit === 'number' ? exit : -1;
        }
        if (error && !(code > 0 && options.allowExitCodes?.(code))) {
          reject(
            new Error(
              `git ${args[0]} failed (exit ${code}): ${String(stderr).trim() || error.message}`,
            ),
          );
          return;
        }
        resolve({ stdout: String(stdout), stderr: String(stderr), code });
      },
    );
  });
}
