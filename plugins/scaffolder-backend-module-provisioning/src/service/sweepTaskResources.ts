/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { ScaffolderService } from '@backstage/plugin-scaffolder-node';
import { ScaffolderProvisioning } from './provisioningClient';
import { TaskResourceStore } from '../database/TaskResourceStore';
import { releaseTaskResources } from './releaseTaskResources';

/**
 * Backstop for runs that failed without reaching their `if: ${{ failure() }}` cleanup step (a template
 * without one, a task failed by the scaffolder's timeout janitor, a backend that never came back to
 * recover it): releases the resources of tasks that ended `failed` or `cancelled` at least `graceMs`
 * ago, and settles those of completed tasks. Runs with the module's own service credentials; every
 * release is logged with the task id. Returns how many tasks were handled.
 * @internal
 */
export async function sweepTaskResources(options: {
  store: TaskResourceStore;
  provisioning: ScaffolderProvisioning;
  scaffolder: ScaffolderService;
  auth: AuthService;
  logger: LoggerService;
  /** Time (ms) after the end of a run before its resources are swept. */
  graceMs: number;
  now?: () => number;
}): Promise<{ released: string[]; settled: string[] }> {
  const { store, provisioning, scaffolder, auth, logger, graceMs } = options;
  const now = options.now ?? Date.now;
  const credentials = await auth.getOwnServiceCredentials();
  const taskIds = await store.listUnsettledTaskIds({
    olderThan: new Date(now() - graceMs),
    limit: 100,
  });
  const released: string[] = [];
  const settled: string[] = [];
  for (const taskId of taskIds) {
    let status: string;
    let endedAt: number | undefined;
    try {
      const task = await scaffolder.getTask({ taskId }, { credentials });
      status = task.status;
      endedAt = task.lastHeartbeatAt ? Date.parse(task.lastHeartbeatAt) : undefined;
    } catch (e) {
      if (e instanceof ResponseError && e.statusCode === 404) {
        status = 'missing';
      } else {
        logger.warn(`Cannot read scaffolder task ${taskId}: ${e}`);
        continue;
      }
    }
    if (status === 'completed') {
      await store.markTaskCompleted(taskId);
      settled.push(taskId);
      continue;
    }
    if (status !== 'failed' && status !== 'cancelled' && status !== 'missing') {
      continue; // still open or running: its own cleanup step may yet run
    }
    if (endedAt !== undefined && now() - endedAt < graceMs) {
      continue;
    }
    const taskLogger = logger.child({ taskId });
    taskLogger.info(
      `Scaffolder task ${taskId} ended ${status} without releasing its resources; releasing them now`,
    );
    try {
      await releaseTaskResources({
        taskId,
        keepAll: false,
        provisioning,
        store,
        credentials,
        logger: taskLogger,
      });
      released.push(taskId);
    } catch (e) {
      taskLogger.error(`Cleanup of task ${taskId} incomplete: ${e}`);
    }
  }
  return { released, settled };
}
