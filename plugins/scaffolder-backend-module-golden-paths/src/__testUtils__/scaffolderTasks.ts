/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Knex } from 'knex';

/**
 * How long (ms) the scaffolder's per-task event loops need to end once their task has completed:
 * `StorageTaskBroker.registerCancellable` (scaffolder-backend 4.2) polls each running task's events once
 * a second until it reads the completion event, and its loop has no error handler. A loop still polling
 * when its database is destroyed rejects unhandled ("Unable to acquire a connection") and kills the jest
 * worker, together with whatever suite that worker runs at the time.
 */
export const TASK_EVENT_LOOP_GRACE_MS = 2500;

/**
 * Waits until no scaffolder task in `knex` (the scaffolder's own `tasks` table) is open or processing,
 * so that stopping the backend leaves no task half done whose event loop would poll forever.
 * Rejects after `timeoutMs` (ms) naming the tasks still running.
 */
export async function waitForScaffolderTasks(knex: Knex, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const running = await knex('tasks').whereIn('status', ['open', 'processing']).select('id', 'status');
    if (running.length === 0) return;
    if (Date.now() > deadline) {
      throw new Error(`scaffolder tasks still running after ${timeoutMs} ms: ${JSON.stringify(running)}`);
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}

/** Resolves after {@link TASK_EVENT_LOOP_GRACE_MS}: call it before a test database is destroyed. */
export function letTaskEventLoopsEnd(): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, TASK_EVENT_LOOP_GRACE_MS));
}
