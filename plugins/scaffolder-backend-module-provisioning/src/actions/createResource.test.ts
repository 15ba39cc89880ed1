/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import {
  createTestStore,
  FakeProvisioning,
  mockContext,
  responseError,
} from '../__testUtils__/fakeProvisioning';
import { DatabaseTaskResourceStore } from '../database/TaskResourceStore';
import { createProvisioningResourceCreateAction } from './createResource';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const input = {
  name: 'invoice-db',
  type: 'postgresql',
  owner: 'group:default/orders-team',
  entityRef: 'component:default/invoice-api',
  parameters: { size: 'small' },
};

/** A context whose checkpoint behaves like the scaffolder's: a stored success is returned, not re-run. */
function contextWithCheckpoints(
  stored: Map<string, unknown>,
  overrides: Record<string, unknown> = {},
) {
  return mockContext({
    input,
    task: { id: 'task-1' },
    async checkpoint(opts: { key: string; fn: () => any }) {
      if (stored.has(opts.key)) {
        return stored.get(opts.key) as any;
      }
      const value = await opts.fn();
      stored.set(opts.key, value);
      return value;
    },
    ...overrides,
  });
}

describe('provisioning:resource:create', () => {
  let provisioning: FakeProvisioning;
  let store: DatabaseTaskResourceStore;
  let action: ReturnType<typeof createProvisioningResourceCreateAction>;

  beforeEach(async () => {
    provisioning = new FakeProvisioning();
    store = await createTestStore(databases);
    action = createProvisioningResourceCreateAction({
      provisioning,
      store,
      appBaseUrl: 'http://localhost:3000',
    });
  });

  it('passes a time to live and a justification for advanced values through (issue 14)', async () => {
    const create = jest.spyOn(provisioning, 'createResource');
    const ctx = contextWithCheckpoints(new Map(), {
      input: {
        ...input,
        parameters: { size: 'small', connectionLimit: 200 },
        ttl: ' 2h ',
        justification: '  The load test opens 200 connections.  ',
      },
    });
    await action.handler(ctx);
    expect(create.mock.calls[0][0]).toMatchObject({
      ttl: '2h',
      justification: 'The load test opens 200 connections.',
    });
    const [resource] = [...provisioning.resources.values()];
    expect(resource.ttl).toBe('2h');
  });

  it('requests the resource, records it for the task and outputs id, entity ref and link', async () => {
    const ctx = contextWithCheckpoints(new Map());
    await action.handler(ctx);

    const [resource] = [...provisioning.resources.values()];
    expect(resource).toMatchObject({
      name: 'invoice-db',
      type: 'postgresql',
      owner: 'group:default/orders-team',
      entityRef: 'component:default/invoice-api',
      parameters: { size: 'small' },
    });
    expect(ctx.output).toHaveBeenCalledWith('resourceId', resource.id);
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'resource:default/invoice-db',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'link',
      'http://localhost:3000/catalog/default/resource/invoice-db',
    );
    expect(ctx.output).toHaveBeenCalledWith('state', 'requested');
    expect(ctx.output).toHaveBeenCalledWith('monthlyCostUsd', 15);
    expect(ctx.output).toHaveBeenCalledWith('requiresApproval', false);
    expect(await store.listForTask('task-1')).toEqual([
      expect.objectContaining({
        type: 'postgresql',
        name: 'invoice-db',
        resourceId: resource.id,
        status: 'created',
        keepOnFailure: false,
      }),
    ]);
  });

  it('does not create twice when a recovered task runs the step again after its checkpoint', async () => {
    const stored = new Map<string, unknown>();
    await action.handler(contextWithCheckpoints(stored));
    const ctx = contextWithCheckpoints(stored);
    await action.handler(ctx);

    expect(provisioning.resources.size).toBe(1);
    expect(
      provisioning.calls.filter(c => c.startsWith('create')),
    ).toHaveLength(1);
    const [resource] = [...provisioning.resources.values()];
    expect(ctx.output).toHaveBeenCalledWith('resourceId', resource.id);
  });

  it('adopts the resource an earlier attempt created when the backend died before the checkpoint', async () => {
    provisioning.crashAfterCreate = true;
    await expect(
      action.handler(contextWithCheckpoints(new Map())),
    ).rejects.toThrow('socket hang up');
    expect(provisioning.resources.size).toBe(1);

    // Recovery runs the step again without a stored checkpoint: the same Idempotency-Key returns the same resource.
    const ctx = contextWithCheckpoints(new Map());
    await action.handler(ctx);

    expect(provisioning.resources.size).toBe(1);
    const [resource] = [...provisioning.resources.values()];
    expect(ctx.output).toHaveBeenCalledWith('resourceId', resource.id);
    expect(await store.listForTask('task-1')).toEqual([
      expect.objectContaining({ resourceId: resource.id, status: 'created' }),
    ]);
  });

  it('fails with a conflict when another run owns a resource with the name', async () => {
    const foreign = provisioning.seed({
      name: 'invoice-db',
      type: 'postgresql',
      owner: 'group:default/orders-team',
      entityRef: 'component:default/invoice-api',
    });
    await expect(
      action.handler(contextWithCheckpoints(new Map())),
    ).rejects.toThrow("A postgresql named 'invoice-db' already exists");
    expect(provisioning.resources.get(foreign.id)!.state).toBe('ready');
    expect(await store.listForTask('task-1')).toEqual([
      expect.objectContaining({ status: 'rejected' }),
    ]);
  });

  it('fails with a conflict when a retried run sends its key with another body', async () => {
    provisioning.crashAfterCreate = true;
    await expect(
      action.handler(contextWithCheckpoints(new Map())),
    ).rejects.toThrow();
    await expect(
      action.handler(
        contextWithCheckpoints(new Map(), {
          input: { ...input, parameters: { size: 'medium' } },
        }),
      ),
    ).rejects.toThrow(/Idempotency-Key .* was used with another body/);
    expect(provisioning.resources.size).toBe(1);
  });

  it('fails the step with the API message of a naming rule', async () => {
    const createResource = provisioning.createResource.bind(provisioning);
    provisioning.createResource = async () => {
      throw await responseError(
        400,
        'InputError',
        "The name 'postgres' is reserved by the PostgreSQL driver",
      );
    };
    await expect(
      action.handler(
        contextWithCheckpoints(new Map(), {
          input: { ...input, name: 'postgres' },
        }),
      ),
    ).rejects.toThrow(
      "Provisioning: The name 'postgres' is reserved by the PostgreSQL driver",
    );
    provisioning.createResource = createResource;
    expect(await store.listForTask('task-1')).toEqual([
      expect.objectContaining({ name: 'postgres', status: 'rejected' }),
    ]);
  });

  it('records a request the backend refused as rejected and rethrows its error', async () => {
    await expect(
      action.handler(
        contextWithCheckpoints(new Map(), {
          input: { ...input, type: 'unknown' },
        }),
      ),
    ).rejects.toThrow('Provisioning: Unknown type unknown');
    expect(await store.listForTask('task-1')).toEqual([
      expect.objectContaining({ type: 'unknown', status: 'rejected' }),
    ]);
  });

  it('returns the plan and the cost estimate in a dry run without provisioning', async () => {
    const ctx = contextWithCheckpoints(new Map(), {
      isDryRun: true,
      input: { ...input, parameters: { size: 'large' } },
    });
    await action.handler(ctx);

    expect(provisioning.resources.size).toBe(0);
    expect(ctx.output).toHaveBeenCalledWith('resourceId', 'dry-run');
    expect(ctx.output).toHaveBeenCalledWith('state', 'planned');
    expect(ctx.output).toHaveBeenCalledWith('monthlyCostUsd', 240);
    expect(ctx.output).toHaveBeenCalledWith('requiresApproval', true);
    expect(await store.listForTask('task-1')).toEqual([]);
  });

  it('normalises short entity refs and ignores an empty system', async () => {
    await action.handler(
      contextWithCheckpoints(new Map(), {
        input: { ...input, owner: 'orders-team', entityRef: 'invoice-api', system: '' },
      }),
    );
    const [resource] = [...provisioning.resources.values()];
    expect(resource.owner).toBe('group:default/orders-team');
    expect(resource.entityRef).toBe('component:default/invoice-api');
    expect(resource.system).toBeUndefined();
  });

  it('rejects an invalid owner ref', async () => {
    await expect(
      action.handler(
        contextWithCheckpoints(new Map(), {
          input: { ...input, owner: 'group:' },
        }),
      ),
    ).rejects.toThrow(/Invalid owner/);
    expect(provisioning.resources.size).toBe(0);
  });

  it('validates the name as a DNS label in its input schema', () => {
    const schema = action.schema!.input as any;
    expect(schema.properties.name.pattern).toBe(
      '^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$',
    );
    for (const key of Object.keys(schema.properties)) {
      expect(schema.properties[key].description).toBeTruthy();
    }
  });
});
