/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { scaffolderServiceMock } from '@backstage/plugin-scaffolder-node/testUtils';
import {
  createTestStore,
  FakeProvisioning,
  responseError,
} from '../__testUtils__/fakeProvisioning';
import { sweepTaskResources } from './sweepTaskResources';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('sweepTaskResources', () => {
  async function setup(tasks: Record<string, { status: string; lastHeartbeatAt?: string } | 404>) {
    const provisioning = new FakeProvisioning();
    const store = await createTestStore(databases);
    const scaffolder = scaffolderServiceMock.mock({
      getTask: jest.fn(async ({ taskId }: { taskId: string }) => {
        const t = tasks[taskId];
        if (t === 404) {
          throw await responseError(404, 'NotFoundError', 'no task');
        }
        return { id: taskId, spec: {} as any, createdAt: '', ...t } as any;
      }) as any,
    });
    const add = async (taskId: string, name: string, keepOnFailure = false) => {
      const r = provisioning.seed({
        name,
        type: 'postgresql',
        owner: 'group:default/orders-team',
        state: 'ready',
      });
      await store.recordIntent({
        taskId,
        type: 'postgresql',
        name,
        owner: r.owner,
        keepOnFailure,
      });
      await store.markCreated({ taskId, type: 'postgresql', name, resourceId: r.id });
      return r;
    };
    const sweep = (now = Date.now() + 10 * 60_000) =>
      sweepTaskResources({
        store,
        provisioning,
        scaffolder,
        auth: mockServices.auth(),
        logger: mockServices.logger.mock(),
        graceMs: 5 * 60_000,
        now: () => now,
      });
    return { provisioning, store, scaffolder, add, sweep };
  }

  it('releases resources of failed, cancelled and vanished tasks, and settles completed ones', async () => {
    const { provisioning, store, add, sweep } = await setup({
      failed: { status: 'failed' },
      cancelled: { status: 'cancelled' },
      gone: 404,
      done: { status: 'completed' },
      running: { status: 'processing' },
    });
    const failed = await add('failed', 'a-db');
    const kept = await add('failed', 'b-db', true);
    const cancelled = await add('cancelled', 'c-db');
    const gone = await add('gone', 'd-db');
    const done = await add('done', 'e-db');
    const running = await add('running', 'f-db');

    const result = await sweep();

    expect(result.released.sort()).toEqual(['cancelled', 'failed', 'gone']);
    expect(result.settled).toEqual(['done']);
    const state = (id: string) => provisioning.resources.get(id)!.state;
    expect(state(failed.id)).toBe('deleting');
    expect(state(kept.id)).toBe('ready');
    expect(state(cancelled.id)).toBe('deleting');
    expect(state(gone.id)).toBe('deleting');
    expect(state(done.id)).toBe('ready');
    expect(state(running.id)).toBe('ready');
    expect((await store.listForTask('done'))[0].status).toBe('completed');

    // A second sweep only looks at the task that is still running.
    const again = await sweep();
    expect(again).toEqual({ released: [], settled: [] });
  });

  it('leaves recent records and recently ended tasks alone', async () => {
    const now = Date.now();
    const { provisioning, add, sweep } = await setup({
      fresh: { status: 'failed', lastHeartbeatAt: new Date(now).toISOString() },
    });
    const r = await add('fresh', 'a-db');
    expect(await sweep(now + 1000)).toEqual({ released: [], settled: [] });
    expect(await sweep(now + 6 * 60_000)).toEqual({ released: ['fresh'], settled: [] });
    expect(provisioning.resources.get(r.id)!.state).toBe('deleting');
  });
});
