/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  FakeProvisioning,
  mockContext,
} from '../__testUtils__/fakeProvisioning';
import { createProvisioningResourceAwaitAction } from './awaitResource';

describe('provisioning:resource:await', () => {
  let provisioning: FakeProvisioning;
  let action: ReturnType<typeof createProvisioningResourceAwaitAction>;

  beforeEach(() => {
    provisioning = new FakeProvisioning();
    action = createProvisioningResourceAwaitAction({
      provisioning,
      appBaseUrl: 'http://localhost:3000',
      pollIntervalMs: 10,
    });
  });

  function logged(ctx: any) {
    const info = jest.spyOn(ctx.logger, 'info');
    return () => info.mock.calls.map((c: unknown[]) => String(c[0]));
  }

  it('waits until ready, logs each state and outputs the non-secret outputs', async () => {
    const r = provisioning.seed({
      name: 'invoice-db',
      type: 'postgresql',
      state: 'requested',
    });
    const ctx = mockContext({
      input: { resourceId: r.id, timeoutSeconds: 5 },
    });
    const lines = logged(ctx);
    // Each poll sees the next state: requested, requested, provisioning, ready.
    const states = ['requested', 'requested', 'provisioning', 'ready'] as const;
    const get = provisioning.getResource.bind(provisioning);
    let polls = 0;
    provisioning.getResource = async (id: string) => {
      provisioning.setState(id, states[Math.min(polls++, states.length - 1)]);
      return get(id);
    };
    await action.handler(ctx);

    expect(lines()).toEqual([
      "postgresql 'invoice-db' is requested",
      "postgresql 'invoice-db' is provisioning",
      "postgresql 'invoice-db' is ready",
    ]);
    expect(ctx.output).toHaveBeenCalledWith('state', 'ready');
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'resource:default/invoice-db',
    );
    expect(ctx.output).toHaveBeenCalledWith('outputs', {
      host: '127.0.0.1',
      port: '5432',
      database: 'invoice-db',
    });
  });

  it("fails the step with the driver's reason", async () => {
    const r = provisioning.seed({
      name: 'invoice-db',
      type: 'postgresql',
      state: 'provisioning',
    });
    setTimeout(
      () => provisioning.setState(r.id, 'failed', 'role limit reached'),
      30,
    );
    await expect(
      action.handler(
        mockContext({ input: { resourceId: r.id, timeoutSeconds: 5 } }),
      ),
    ).rejects.toThrow(
      "postgresql 'invoice-db' failed to provision: role limit reached",
    );
  });

  it('times out after the given number of seconds', async () => {
    const r = provisioning.seed({
      name: 'slow-db',
      type: 'postgresql',
      state: 'provisioning',
    });
    const start = Date.now();
    await expect(
      action.handler(
        mockContext({ input: { resourceId: r.id, timeoutSeconds: 1 } }),
      ),
    ).rejects.toThrow(/Timed out after 1 s .* \(state provisioning\)/);
    expect(Date.now() - start).toBeLessThan(3000);
  });

  it('ends successfully while awaiting approval unless asked to wait', async () => {
    const r = provisioning.seed({
      name: 'big-db',
      type: 'postgresql',
      state: 'awaiting-approval',
    });
    const ctx = mockContext({ input: { resourceId: r.id } });
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('state', 'awaiting-approval');

    setTimeout(() => provisioning.setState(r.id, 'ready'), 30);
    const waiting = mockContext({
      input: { resourceId: r.id, waitForApproval: true, timeoutSeconds: 5 },
    });
    await action.handler(waiting);
    expect(waiting.output).toHaveBeenCalledWith('state', 'ready');
  });

  it('fails for an unknown resource', async () => {
    await expect(
      action.handler(mockContext({ input: { resourceId: 'nope' } })),
    ).rejects.toThrow('Resource nope does not exist');
  });

  it('stops when the task is cancelled', async () => {
    const r = provisioning.seed({
      name: 'slow-db',
      type: 'postgresql',
      state: 'provisioning',
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    await expect(
      action.handler(
        mockContext({
          input: { resourceId: r.id, timeoutSeconds: 30 },
          signal: controller.signal,
        }),
      ),
    ).rejects.toThrow('The step was cancelled');
  });

  it('never puts a password into the task log or the step output', async () => {
    const password = 'hunter2-s3cr3t';
    const r = provisioning.seed({
      name: 'invoice-db',
      type: 'postgresql',
      state: 'ready',
      reason: `connected as postgresql://invoice:${password}@127.0.0.1:5432/invoice`,
      outputs: {
        host: '127.0.0.1',
        port: '5432',
        username: 'invoice',
        password,
        apiToken: password,
        url: `postgresql://invoice:${password}@127.0.0.1:5432/invoice`,
      },
    });
    const ctx = mockContext({ input: { resourceId: r.id, timeoutSeconds: 5 } });
    const lines = logged(ctx);
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('outputs', {
      host: '127.0.0.1',
      port: '5432',
      username: 'invoice',
    });
    expect(lines()).toEqual([
      "postgresql 'invoice-db' is ready: connected as postgresql://invoice:***@127.0.0.1:5432/invoice",
    ]);
    const everything = JSON.stringify([
      lines(),
      (ctx.output as jest.Mock).mock.calls,
    ]);
    expect(everything).not.toContain(password);

    // A failure reason with a URL is masked in the error too
    provisioning.setState(
      r.id,
      'failed',
      `cannot reach postgresql://invoice:${password}@10.0.0.1/invoice`,
    );
    const failing = mockContext({ input: { resourceId: r.id, timeoutSeconds: 5 } });
    const error = await action.handler(failing).catch(e => e);
    expect(String(error.message)).toContain('postgresql://invoice:***@10.0.0.1');
    expect(String(error.message)).not.toContain(password);
  });
});
