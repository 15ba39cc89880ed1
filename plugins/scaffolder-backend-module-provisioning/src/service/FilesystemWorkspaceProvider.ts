/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type { WorkspaceProvider } from '@backstage/plugin-scaffolder-node/alpha';
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';

const TASK_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/**
 * Keeps a copy of each running task's workspace in a local directory, so that a task recovered
 * after a backend restart continues with the files its completed steps produced.
 *
 * @remarks
 * Registered as workspace provider `paved-filesystem`; enable it with
 * `scaffolder.taskRecovery.workspaceProvider: paved-filesystem`. The copy is replaced atomically
 * (written next to it, then renamed) after each step and checkpoint, and removed when the task
 * completes. It suits one backend machine only: the Paved backend (app-config.yaml) uses Backstage's
 * `database` provider (`@backstage/plugin-scaffolder-backend-module-workspace-database`) instead, which every
 * replica reaches (e2e/replicas.test.mjs resumes a killed replica's task with it).
 *
 * @internal
 */
export class FilesystemWorkspaceProvider implements WorkspaceProvider {
  readonly #directory: string;

  static create(options: { directory: string }): FilesystemWorkspaceProvider {
    return new FilesystemWorkspaceProvider(options.directory);
  }

  private constructor(directory: string) {
    this.#directory = directory;
  }

  #path(taskId: string): string {
    if (!TASK_ID_PATTERN.test(taskId)) {
      throw new InputError(`Invalid task id '${taskId}'`);
    }
    return resolveSafeChildPath(this.#directory, taskId);
  }

  async serializeWorkspace(options: {
    path: string;
    taskId: string;
  }): Promise<void> {
    const target = this.#path(options.taskId);
    await fs.promises.mkdir(this.#directory, { recursive: true });
    const staging = `${target}.${randomUUID()}.tmp`;
    await fs.promises.cp(options.path, staging, {
      recursive: true,
      verbatimSymlinks: true,
    });
    const old = `${target}.${randomUUID()}.old`;
    await fs.promises.rename(target, old).catch(() => undefined);
    await fs.promises.rename(staging, target);
    await fs.promises.rm(old, { recursive: true, force: true });
  }

  async rehydrateWorkspace(options: {
    taskId: string;
    targetPath: string;
  }): Promise<void> {
    const source = this.#path(options.taskId);
    if (!fs.existsSync(source)) {
      return;
    }
    await fs.promises.mkdir(options.targetPath, { recursive: true });
    await fs.promises.cp(source, options.targetPath, {
      recursive: true,
      verbatimSymlinks: true,
    });
  }

  async cleanWorkspace(options: { taskId: string }): Promise<void> {
    await fs.promises.rm(this.#path(options.taskId), {
      recursive: true,
      force: true,
    });
  }
}
