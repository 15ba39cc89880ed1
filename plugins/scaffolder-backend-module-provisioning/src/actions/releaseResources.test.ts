/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import {
  createTestStore,
  FakeProvisioning,
  mockContext,
} from '../__testUtils__/fakeProvisioning';
import { DatabaseTaskResourceStore } from '../database/TaskResourceStore';
import { createProvisioningResourceCreateAction } from './createResource';
import { createProvisioningResourceReleaseAction } from './releaseResources';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('provisioning:resource:release', () => {
  let provisioning: FakeProvisioning;
  let store: DatabaseTaskResourceStore;
  let create: ReturnType<typeof createProvisioningResourceCreateAction>;
  let release: ReturnType<typeof createProvisioningResourceReleaseAction>;

  beforeEach(async () => {
    provisioning = new FakeProvisioning();
    store = await createTestStore(databases);
    create = createProvisioningResourceCreateAction({
      provisioning,
      store,
      appBaseUrl: 'http://localhost:3000',
    });
    release = createProvisioningResourceReleaseAction({ provisioning, store });
  });

  const createFor = (taskId: string, input: Record<string, unknown>) =>
    create.handler(
      mockContext({
        task: { id: taskId },
        input: {
          type: 'postgresql',
          owner: 'group:default/orders-team',
          entityRef: 'component:default/invoice-api',
          parameters: { size: 'small' },
          ...input,
        },
      }),
    );

  function releaseCtx(taskId: string, input: Record<string, unknown> = {}) {
    const ctx = mockContext({ task: { id: taskId }, input });
    const info = jest.spyOn(ctx.logger, 'info');
    return { ctx, lines: () => info.mock.calls.map(c => String(c[0])) };
  }

  it('deletes what the run created, keeps keepOnFailure resources, and logs both', async () => {
    await createFor('task-a', { name: 'invoice-db' });
    await createFor('task-a', {
      name: 'invoice-cache',
      type: 'redis',
      keepOnFailure: true,
    });
    await createFor('task-b', { name: 'other-db' });

    const { ctx, lines } = releaseCtx('task-a');
    await release.handler(ctx);

    const byName = (n: string) =>
      [...provisioning.resources.values()].find(r => r.name === n)!;
    expect(byName('invoice-db').state).toBe('deleting');
    expect(byName('invoice-cache').state).toBe('requested');
    expect(byName('other-db').state).toBe('requested');
    expect(ctx.output).toHaveBeenCalledWith('released', [
      'postgresql/invoice-db',
    ]);
    expect(ctx.output).toHaveBeenCalledWith('kept', ['redis/invoice-cache']);
    expect(lines()).toEqual([
      expect.stringMatching(
        /^Released postgresql 'invoice-db' \(id .*\): deletion requested because the run failed$/,
      ),
      expect.stringMatching(/^Kept redis 'invoice-cache' \(id .*\) because/),
    ]);

    // Running it again (e.g. after recovery) deletes nothing more.
    provisioning.calls.length = 0;
    const again = releaseCtx('task-a');
    await release.handler(again.ctx);
    expect(provisioning.calls.filter(c => c.startsWith('delete'))).toEqual([]);
    expect(again.ctx.output).toHaveBeenCalledWith('released', [
      'postgresql/invoice-db',
    ]);
  });

  it('keeps everything when the template says so', async () => {
    await createFor('task-a', { name: 'invoice-db' });
    const { ctx } = releaseCtx('task-a', { keep: true });
    await release.handler(ctx);
    expect([...provisioning.resources.values()][0].state).toBe('requested');
    expect(ctx.output).toHaveBeenCalledWith('kept', ['postgresql/invoice-db']);
  });

  it('releases a resource whose request went through just before a crash', async () => {
    provisioning.crashAfterCreate = true;
    await expect(createFor('task-a', { name: 'invoice-db' })).rejects.toThrow();
    const { ctx } = releaseCtx('task-a');
    await release.handler(ctx);
    expect([...provisioning.resources.values()][0].state).toBe('deleting');
  });

  it('never deletes a resource of the same name that another run created', async () => {
    const foreign = provisioning.seed({
      name: 'invoice-db',
      type: 'postgresql',
      owner: 'group:default/orders-team',
    });
    await expect(createFor('task-a', { name: 'invoice-db' })).rejects.toThrow(
      /already exists/,
    );
    const { ctx, lines } = releaseCtx('task-a');
    await release.handler(ctx);
    expect(provisioning.resources.get(foreign.id)!.state).toBe('ready');
    expect(lines()).toEqual([
      'This run created no resources; nothing to release',
    ]);
  });

  it('treats an already deleted resource as released', async () => {
    await createFor('task-a', { name: 'invoice-db' });
    const [r] = [...provisioning.resources.values()];
    provisioning.setState(r.id, 'deleted');
    const { ctx, lines } = releaseCtx('task-a');
    await release.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('released', [
      'postgresql/invoice-db',
    ]);
    expect(lines()[0]).toMatch(/is already gone/);
  });
});
