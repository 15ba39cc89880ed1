import { mockServices } from '@backstage/backend-test-utils';
import type { ProvisioningDriver } from '@paved/backstage-plugin-provisioning-node';
import type { ResourceTypeDefinition } from '@paved/backstage-plugin-provisioning-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { KnexResourceStore } from '../database/KnexResourceStore';
import type { StoredResource } from '../database/types';
import { Reconciler } from '../reconciler/Reconciler';
import { noHealthGate, RolloutGate } from '../rollouts/gate';
import { KnexRolloutStore } from '../rollouts/KnexRolloutStore';
import { RolloutRunner } from '../rollouts/RolloutRunner';
import { RolloutService } from '../rollouts/RolloutService';
import { SecretsCipher } from '../secrets/SecretsCipher';
import { ChangeNotifier } from '../service/ChangeNotifier';
import { TransitionRunner } from '../service/TransitionRunner';
import { TypeRegistry } from '../service/TypeRegistry';

/** A type with two versions: 1.1.0 raises the connection limits and sets a statement timeout. */
export function versionedType(id: string, driver: string, extra: Partial<ResourceTypeDefinition> = {}): ResourceTypeDefinition {
  return {
    id,
    title: id,
    description: '',
    driver,
    parameters: {
      type: 'object',
      properties: { size: { type: 'string', enum: ['small', 'medium', 'large'], default: 'small' } },
    },
    pricing: {},
    policy: { approvalRequiredForSizes: [] },
    repairDrift: false,
    entityType: 'database',
    version: '1.1.0',
    createVersion: '1.0.0',
    versions: [
      { version: '1.0.0', settings: { connectionLimits: { small: 10 } } },
      {
        version: '1.1.0',
        settings: { connectionLimits: { small: 15 }, statementTimeout: '30s', aclRules: ['+@read', '+ping'] },
      },
    ],
    ...extra,
  };
}

/** A manually advanced clock (epoch ms). */
export function testClock(start = Date.UTC(2026, 11, 6, 1, 0, 0)) {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
}

/**
 * The rollout machinery wired as in the plugin, without HTTP: a resource store, reconciler, transition runner,
 * rollout store, service and runner(s) on one database.
 */
export async function rolloutHarness(options: {
  knex: Knex;
  driver: ProvisioningDriver;
  /** Further drivers. */
  drivers?: ProvisioningDriver[];
  types: ResourceTypeDefinition[];
  gate?: RolloutGate;
  clock?: { now: () => number };
  leaseMs?: number;
  maxAttempts?: number;
  concurrency?: number;
}) {
  await KnexResourceStore.migrateUp(options.knex);
  const store = await KnexResourceStore.create({
    database: mockServices.database.mock({ getClient: async () => options.knex }),
    skipMigrations: true,
  });
  const logger = mockServices.logger.mock();
  const types = new TypeRegistry({
    configTypes: options.types,
    drivers: new Map([options.driver, ...(options.drivers ?? [])].map(d => [d.id, d])),
    providers: [],
    logger,
  });
  await types.refresh();
  const notifier = new ChangeNotifier({ auditor: mockServices.auditor.mock(), logger });
  const runner = new TransitionRunner({ store, notifier });
  const cipher = SecretsCipher.fromKeyConfig({ key: 'test-passphrase-not-secret' });
  const reconciler = new Reconciler({
    store,
    types,
    cipher,
    runner,
    logger,
    concurrency: options.concurrency ?? 8,
    config: {
      sweepIntervalMs: 100,
      driftCheckIntervalMs: 60_000,
      operationTimeoutMs: 20_000,
      leaseDurationMs: 10_000,
      maxAttempts: options.maxAttempts ?? 1,
      backoffInitialMs: 10,
      backoffMaxMs: 20,
    },
  });
  const rollouts = new KnexRolloutStore(options.knex);
  const clock = options.clock ?? { now: Date.now };
  const notifications = { send: jest.fn(async () => undefined) };
  const makeRunner = (workerId?: string) =>
    new RolloutRunner({
      rollouts,
      store,
      runner,
      kick: id => reconciler.kick(id),
      gate: options.gate ?? noHealthGate,
      logger,
      notifications,
      now: clock.now,
      leaseMs: options.leaseMs ?? 30_000,
      ...(workerId ? { workerId } : {}),
    });
  const rolloutRunner = makeRunner('runner-a');
  const service = new RolloutService({
    rollouts,
    store,
    types,
    permissions: mockServices.permissions.mock({
      authorize: async () => [{ result: 'ALLOW' as any }],
    }),
    auditor: mockServices.auditor.mock(),
    logger,
    defaultSoakMs: 0,
    now: clock.now,
  });

  /** Inserts a ready resource last applied at `version`. */
  async function addReady(
    name: string,
    type: string,
    owner = 'group:default/orders-team',
    version = '1.0.0',
    parameters: Record<string, unknown> = { size: 'small' },
  ) {
    const id = randomUUID();
    const now = new Date().toISOString();
    const r: StoredResource = {
      id,
      name,
      type,
      owner,
      parameters,
      state: 'requested',
      drifted: false,
      conditions: [],
      outputs: {},
      monthlyCostUsd: 0,
      billable: false,
      createdBy: 'user:default/dana',
      createdAt: now,
      updatedAt: now,
      pendingOperation: 'create',
      nextAttemptAt: Date.now(),
      attempts: 0,
      targetVersion: version,
    };
    await store.createResource(r, { actor: 'test', type: 'created', message: 'test' });
    return id;
  }

  /** Creates every requested resource through the reconciler (the driver really applies them). */
  async function settle() {
    for (let i = 0; i < 200; i += 1) {
      const due = await reconciler.sweep(1000);
      await reconciler.idle();
      if (due === 0) return;
    }
    throw new Error('the reconciler did not settle');
  }

  return {
    store,
    types,
    runner,
    reconciler,
    rollouts,
    service,
    rolloutRunner,
    makeRunner,
    notifications,
    addReady,
    settle,
    caller: { credentials: { principal: { type: 'user', userEntityRef: 'user:default/alex' } } as any },
    async stop() {
      await reconciler.stop(1000);
    },
  };
}
