/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { createTestStore, FakeProvisioning, mockContext } from '../__testUtils__/fakeProvisioning';
import { createProvisioningResourcePreviewAction, previewName } from './createPreview';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const input = {
  entityRef: 'component:default/orders-api',
  branch: 'feature/Faster_Checkout',
  owner: 'orders-team',
  type: 'postgresql',
  ttl: '2h',
  parameters: { size: 'small' },
};

async function setup() {
  const provisioning = new FakeProvisioning();
  const store = await createTestStore(databases);
  const action = createProvisioningResourcePreviewAction({ provisioning, store, appBaseUrl: 'http://localhost:3000' });
  return { provisioning, store, action };
}

describe('provisioning:resource:preview', () => {
  it('names the preview after the component and the branch, as a DNS label of at most 40 characters', () => {
    expect(previewName('orders-api', 'feature/Faster_Checkout')).toBe('orders-api-feature-faster-checkout');
    const long = previewName('orders-api', 'feature/a-very-long-branch-name-that-goes-on-and-on');
    expect(long).toMatch(/^orders-api-feature-a-very-long-br-[0-9a-f]{6}$/);
    expect(long.length).toBeLessThanOrEqual(40);
    expect(previewName('orders-api', 'feature/a-very-long-branch-name-that-goes-on-and-ON')).toBe(long);
    expect(previewName('orders-api', 'feature/a-very-long-branch-name-that-goes-on-and-up')).not.toBe(long);
    expect(() => previewName('orders-api', '///')).toThrow(/no letters or digits/);
  });

  it('requests the preview with its time to live and an Idempotency-Key; a retry gets the same resource', async () => {
    const { provisioning, action } = await setup();
    const create = jest.spyOn(provisioning, 'createResource');
    const ctx = mockContext({ input, task: { id: 'task-1' } });
    await action.handler(ctx);
    expect(create).toHaveBeenCalledWith(
      {
        name: 'orders-api-feature-faster-checkout',
        type: 'postgresql',
        owner: 'group:default/orders-team',
        entityRef: 'component:default/orders-api',
        parameters: { size: 'small' },
        ttl: '2h',
      },
      expect.objectContaining({
        idempotencyKey: expect.stringContaining('postgresql/orders-api-feature-faster-checkout'),
      }),
    );
    const [resource] = [...provisioning.resources.values()];
    expect(ctx.output).toHaveBeenCalledWith('state', 'requested');
    expect(ctx.output).toHaveBeenCalledWith('expiresAt', resource.expiresAt);
    expect(ctx.output).toHaveBeenCalledWith('extended', false);
    expect(ctx.output).toHaveBeenCalledWith('entityRef', 'resource:default/orders-api-feature-faster-checkout');

    // a recovered run of the same task: the API answers the same resource, nothing new
    await action.handler(mockContext({ input, task: { id: 'task-1' } }));
    expect(provisioning.resources.size).toBe(1);
  });

  it("extends the branch's live preview when run again (a new push)", async () => {
    const { provisioning, action } = await setup();
    await action.handler(mockContext({ input, task: { id: 'task-1' } }));
    const ctx = mockContext({ input: { ...input, ttl: '1d' }, task: { id: 'task-2' } });
    await action.handler(ctx);
    expect(provisioning.resources.size).toBe(1);
    expect(provisioning.calls).toContainEqual(expect.stringMatching(/^extend .+ 1d$/));
    expect(ctx.output).toHaveBeenCalledWith('extended', true);
  });

  it('refuses a live resource of that name that belongs to another entity', async () => {
    const { provisioning, action } = await setup();
    provisioning.seed({ name: 'orders-api-feature-faster-checkout', type: 'postgresql', entityRef: 'component:default/other' });
    await expect(action.handler(mockContext({ input, task: { id: 't' } }))).rejects.toThrow(
      /already exists and belongs to component:default\/other/,
    );
  });

  it('passes a justification for advanced values and plans in a dry run', async () => {
    const { provisioning, action } = await setup();
    const create = jest.spyOn(provisioning, 'createResource');
    await action.handler(
      mockContext({
        input: { ...input, parameters: { connectionLimit: 200 }, justification: '  The load test opens 200 connections.  ' },
        task: { id: 't' },
      }),
    );
    expect(create.mock.calls[0][0]).toMatchObject({ justification: 'The load test opens 200 connections.' });

    const dry = await setup();
    const ctx = mockContext({ input, isDryRun: true, task: { id: 'd' } });
    await dry.action.handler(ctx);
    expect(dry.provisioning.resources.size).toBe(0);
    expect(ctx.output).toHaveBeenCalledWith('state', 'planned');
  });
});
