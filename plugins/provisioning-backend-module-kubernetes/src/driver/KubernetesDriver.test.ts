/*
 * Copyright 2026 The Paved Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 */
import { mockServices } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import type {
  DriverContext,
  DriverResource,
} from '@paved/backstage-plugin-provisioning-node';
import {
  KubernetesCluster,
  KubernetesClusterError,
} from '../cluster/KubernetesCluster';
import { FakeKubeApiServer } from '../__testUtils__/FakeKubeApiServer';
import {
  CLAIM_KIND,
  crossplaneReadyStatus,
  crossplaneType,
  KRATIX_REQUEST_KIND,
  kratixReadyStatus,
  XR_KIND,
} from '../__testUtils__/fixtures';
import { KubernetesDriver } from './KubernetesDriver';

const CLAIM_PATH =
  '/apis/database.example.org/v1alpha1/namespaces/team-dbs/postgresqlinstances/orders-db';
const RESOURCE_ID = '7b0c3c4e-3f7e-4d38-9a53-2f1f0f7a9d10';

function ctx(signal = new AbortController().signal): DriverContext {
  return { logger: mockServices.logger.mock(), signal, secrets: {} };
}

function resource(overrides: Partial<DriverResource> = {}): DriverResource {
  return {
    id: RESOURCE_ID,
    name: 'orders-db',
    type: crossplaneType(),
    owner: 'group:default/orders-team',
    parameters: { size: 'small', storageGB: 20 },
    ...overrides,
  };
}

function clusterFor(
  server: FakeKubeApiServer,
  options: { token?: string; url?: string } = {},
) {
  return KubernetesCluster.fromConfig(
    {
      name: 'test',
      url: options.url ?? server.url,
      skipTLSVerify: true,
      serviceAccountToken: options.token ?? 'test-token',
      inCluster: false,
    },
    { requestTimeoutMs: 3000 },
  );
}

describe('KubernetesDriver', () => {
  let server: FakeKubeApiServer;
  let driver: KubernetesDriver;

  beforeEach(async () => {
    server = await FakeKubeApiServer.start();
    server.addKind(CLAIM_KIND);
    server.addKind(KRATIX_REQUEST_KIND);
    driver = KubernetesDriver.create({
      clusters: [clusterFor(server)],
      deleteTimeoutMs: 2000,
      deletePollIntervalMs: 50,
      waitForReady: false,
    });
  });

  afterEach(async () => {
    await server.stop();
  });

  it('applies the claim with server-side apply, field manager and links back to the resource', async () => {
    const result = await driver.apply(resource(), ctx());

    const writes = server.requests.filter(r => r.method !== 'GET');
    expect(writes).toHaveLength(1);
    const apply = writes[0];
    expect(apply.method).toBe('PATCH');
    expect(apply.path).toBe(CLAIM_PATH);
    expect(apply.contentType).toBe('application/apply-patch+yaml');
    expect(apply.query).toEqual({
      fieldManager: 'paved-provisioning',
      force: 'true',
    });
    expect(apply.authorization).toBe('Bearer test-token');
    expect(apply.body).toEqual({
      apiVersion: 'database.example.org/v1alpha1',
      kind: 'PostgreSQLInstance',
      metadata: {
        name: 'orders-db',
        namespace: 'team-dbs',
        labels: {
          'paved.dev/size': 'small',
          'paved.dev/resource-id': RESOURCE_ID,
          'app.kubernetes.io/managed-by': 'paved-provisioning',
          'paved.dev/owner': 'orders-team',
        },
        annotations: {
          'paved.dev/resource-id': RESOURCE_ID,
          'paved.dev/owner': 'group:default/orders-team',
          'paved.dev/resource-type': 'postgresql-crossplane',
        },
      },
      spec: {
        parameters: { storageGB: 20 },
        compositionSelector: { matchLabels: { provider: 'aws' } },
        writeConnectionSecretToRef: { name: 'orders-db-conn' },
      },
    });
    // The existing object is read first so an object of another resource is never taken over.
    expect(
      server.requests.some(r => r.method === 'GET' && r.path === CLAIM_PATH),
    ).toBe(true);
    expect(result).toEqual({ outputs: {}, conditions: [] });
  });

  it('puts the type version settings on the spec: spec defaults under the manifest, the composition revision', async () => {
    const manifest = driver.buildManifest(
      resource({
        typeVersion: '1.1.0',
        settings: {
          specDefaults: { parameters: { storageGB: 50, backup: true }, deletionPolicy: 'Orphan' },
          compositionRevision: 'xpostgres-aws-7f9c2',
        },
      }),
    );
    expect(manifest.spec).toEqual({
      // the manifest's rendered values win over the defaults
      parameters: { storageGB: 20, backup: true },
      deletionPolicy: 'Orphan',
      compositionSelector: { matchLabels: { provider: 'aws' } },
      writeConnectionSecretToRef: { name: 'orders-db-conn' },
      compositionRevisionRef: { name: 'xpostgres-aws-7f9c2' },
      compositionUpdatePolicy: 'Manual',
    });
    expect(() =>
      driver.buildManifest(resource({ settings: { compositionRevision: 'Not A Name' } })),
    ).toThrow(InputError);
    expect(() => driver.buildManifest(resource({ settings: { specDefaults: [1] } }))).toThrow(/specDefaults/);
  });

  it('maps Crossplane Ready/Synced to states and reads outputs and the connection secret', async () => {
    await driver.apply(resource(), ctx());
    await expect(driver.observe(resource(), ctx())).resolves.toEqual({
      status: 'pending',
      reason: 'waiting for the control plane to report status conditions',
      conditions: [],
    });

    server.setStatus(
      CLAIM_KIND.apiVersion,
      'PostgreSQLInstance',
      'team-dbs',
      'orders-db',
      {
        conditions: [
          {
            type: 'Synced',
            status: 'True',
            reason: 'ReconcileSuccess',
            lastTransitionTime: '2026-01-01T00:00:05Z',
          },
          {
            type: 'Ready',
            status: 'False',
            reason: 'Creating',
            message: 'Composite resource is being created',
            lastTransitionTime: '2026-01-01T00:00:05Z',
          },
        ],
      },
    );
    await expect(driver.observe(resource(), ctx())).resolves.toMatchObject({
      status: 'pending',
      reason: 'Composite resource is being created',
    });

    server.setStatus(
      CLAIM_KIND.apiVersion,
      'PostgreSQLInstance',
      'team-dbs',
      'orders-db',
      crossplaneReadyStatus,
    );
    await expect(driver.observe(resource(), ctx())).resolves.toEqual({
      status: 'pending',
      reason: 'waiting for connection Secret team-dbs/orders-db-conn',
      conditions: expect.any(Array),
    });

    server.put({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'orders-db-conn', namespace: 'team-dbs' },
      type: 'connection.crossplane.io/v1alpha1',
      data: {
        username: Buffer.from('orders').toString('base64'),
        password: Buffer.from('s3cr3t').toString('base64'),
        endpoint: Buffer.from('my-db.cx1.eu-west-1.rds.amazonaws.com').toString(
          'base64',
        ),
        port: Buffer.from('5432').toString('base64'),
      },
    });
    await expect(driver.observe(resource(), ctx())).resolves.toEqual({
      status: 'ready',
      outputs: { host: 'my-db.cx1.eu-west-1.rds.amazonaws.com' },
      secrets: {
        username: 'orders',
        password: 's3cr3t',
        endpoint: 'my-db.cx1.eu-west-1.rds.amazonaws.com',
        port: '5432',
      },
      conditions: [
        {
          type: 'Synced',
          status: 'True',
          reason: 'ReconcileSuccess',
          lastTransitionTime: '2026-01-01T00:00:05Z',
        },
        {
          type: 'Ready',
          status: 'True',
          reason: 'Available',
          lastTransitionTime: '2026-01-01T00:01:00Z',
        },
      ],
    });

    // Ready but no longer synced: drift as the cluster reports it.
    server.setStatus(
      CLAIM_KIND.apiVersion,
      'PostgreSQLInstance',
      'team-dbs',
      'orders-db',
      {
        ...crossplaneReadyStatus,
        conditions: [
          {
            type: 'Synced',
            status: 'False',
            reason: 'ReconcileError',
            message: 'cannot compose resources: quota exceeded',
            lastTransitionTime: '2026-01-02T00:00:00Z',
          },
          crossplaneReadyStatus.conditions[1],
        ],
      },
    );
    await expect(driver.observe(resource(), ctx())).resolves.toMatchObject({
      status: 'drifted',
      reason:
        'control plane cannot apply the declared state: cannot compose resources: quota exceeded',
      outputs: { host: 'my-db.cx1.eu-west-1.rds.amazonaws.com' },
    });

    // Not synced and not ready: failed with the condition message.
    server.setStatus(
      CLAIM_KIND.apiVersion,
      'PostgreSQLInstance',
      'team-dbs',
      'orders-db',
      {
        conditions: [
          {
            type: 'Synced',
            status: 'False',
            reason: 'ReconcileError',
            message: 'cannot find composition for claim',
            lastTransitionTime: '2026-01-02T00:00:00Z',
          },
        ],
      },
    );
    await expect(driver.observe(resource(), ctx())).resolves.toMatchObject({
      status: 'failed',
      reason: 'cannot find composition for claim',
    });
  });

  it('maps Kratix ConfigureWorkflowCompleted and health records', async () => {
    const type = {
      ...crossplaneType(),
      id: 'postgresql',
      parameters: {
        type: 'object',
        properties: { env: { type: 'string', pattern: '^(dev|prod)$' } },
      },
      driverConfig: {
        cluster: 'test',
        namespace: 'default',
        apiVersion: 'marketplace.kratix.io/v1alpha1',
        kind: 'postgresql',
        manifest: {
          spec: {
            teamId: '${{ resource.ownerName }}',
            dbName: '${{ resource.name }}',
          },
        },
        parametersAsSpec: true,
      },
    };
    const r = resource({ type, parameters: { env: 'prod' } });
    await driver.apply(r, ctx());
    const apply = server.requests.find(q => q.method === 'PATCH')!;
    expect(apply.path).toBe(
      '/apis/marketplace.kratix.io/v1alpha1/namespaces/default/postgresqls/orders-db',
    );
    expect(apply.body.spec).toEqual({
      env: 'prod',
      teamId: 'orders-team',
      dbName: 'orders-db',
    });

    server.setStatus(
      'marketplace.kratix.io/v1alpha1',
      'postgresql',
      'default',
      'orders-db',
      {
        observedGeneration: 1,
        conditions: [
          {
            type: 'ConfigureWorkflowCompleted',
            status: 'False',
            reason: 'PipelinesInProgress',
            message: 'Pipelines are still in progress',
            lastTransitionTime: '2026-01-01T00:00:00Z',
          },
        ],
      },
    );
    await expect(driver.observe(r, ctx())).resolves.toMatchObject({
      status: 'pending',
      reason: 'Pipelines are still in progress',
    });

    server.setStatus(
      'marketplace.kratix.io/v1alpha1',
      'postgresql',
      'default',
      'orders-db',
      kratixReadyStatus,
    );
    await expect(driver.observe(r, ctx())).resolves.toMatchObject({
      status: 'ready',
      outputs: {},
    });

    server.setStatus(
      'marketplace.kratix.io/v1alpha1',
      'postgresql',
      'default',
      'orders-db',
      {
        ...kratixReadyStatus,
        healthRecord: {
          state: 'unhealthy',
          lastRun: 1767225720,
          details: ['replica lag 120s'],
        },
      },
    );
    await expect(driver.observe(r, ctx())).resolves.toMatchObject({
      status: 'drifted',
      reason: 'health record reports unhealthy: replica lag 120s',
    });

    server.setStatus(
      'marketplace.kratix.io/v1alpha1',
      'postgresql',
      'default',
      'orders-db',
      {
        conditions: [
          {
            type: 'ConfigureWorkflowCompleted',
            status: 'False',
            reason: 'ConfigureWorkflowFailed',
            message: 'pipeline postgresql-configure failed',
            lastTransitionTime: '2026-01-01T00:00:00Z',
          },
        ],
      },
    );
    await expect(driver.observe(r, ctx())).resolves.toMatchObject({
      status: 'failed',
      reason: 'pipeline postgresql-configure failed',
    });
  });

  it('updates by re-applying and reports pending until the new generation is observed', async () => {
    await driver.apply(resource(), ctx());
    server.setStatus(
      CLAIM_KIND.apiVersion,
      'PostgreSQLInstance',
      'team-dbs',
      'orders-db',
      { ...crossplaneReadyStatus, observedGeneration: 1 },
    );
    await driver.apply(
      resource({ parameters: { size: 'large', storageGB: 100 } }),
      ctx(),
    );

    const applies = server.requests.filter(r => r.method === 'PATCH');
    expect(applies).toHaveLength(2);
    expect(applies[1].body.spec.parameters).toEqual({ storageGB: 100 });
    expect(applies[1].body.metadata.labels['paved.dev/size']).toBe('large');
    const stored = server.getObject(
      CLAIM_KIND.apiVersion,
      'PostgreSQLInstance',
      'team-dbs',
      'orders-db',
    )!;
    expect(stored.metadata.generation).toBe(2);
    await expect(driver.observe(resource(), ctx())).resolves.toMatchObject({
      status: 'pending',
      reason:
        'waiting for the control plane to observe generation 2 (observed 1)',
    });
  });

  it('deletes and waits until finalizers are done; reports a timeout while they are not', async () => {
    await driver.apply(resource(), ctx());
    const stored = server.getObject(
      CLAIM_KIND.apiVersion,
      'PostgreSQLInstance',
      'team-dbs',
      'orders-db',
    )!;
    stored.metadata.finalizers = ['finalizer.apiextensions.crossplane.io'];
    server.finalizerDelayMs = 300;

    const started = Date.now();
    await driver.delete(resource(), ctx());
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    const del = server.requests.filter(r => r.method === 'DELETE');
    expect(del).toHaveLength(1);
    expect(del[0].path).toBe(CLAIM_PATH);
    expect(del[0].query).toEqual({ propagationPolicy: 'Background' });
    expect(
      server.getObject(
        CLAIM_KIND.apiVersion,
        'PostgreSQLInstance',
        'team-dbs',
        'orders-db',
      ),
    ).toBeUndefined();
    await expect(driver.observe(resource(), ctx())).resolves.toMatchObject({
      status: 'missing',
    });

    // Idempotent: deleting again succeeds without a DELETE call.
    await driver.delete(resource(), ctx());
    expect(server.requests.filter(r => r.method === 'DELETE')).toHaveLength(1);

    // A finalizer that never finishes: a readable, retryable timeout naming it.
    await driver.apply(resource(), ctx());
    server.getObject(
      CLAIM_KIND.apiVersion,
      'PostgreSQLInstance',
      'team-dbs',
      'orders-db',
    )!.metadata.finalizers = ['kratix.io/workflows-cleanup'];
    server.finalizerDelayMs = 60_000;
    const slow = KubernetesDriver.create({
      clusters: [clusterFor(server)],
      deleteTimeoutMs: 200,
      deletePollIntervalMs: 50,
      waitForReady: false,
    });
    await expect(slow.delete(resource(), ctx())).rejects.toThrow(
      "PostgreSQLInstance team-dbs/orders-db is still present on cluster 'test' after 200 ms, waiting for finalizers: kratix.io/workflows-cleanup; will retry",
    );
    await expect(slow.observe(resource(), ctx())).resolves.toMatchObject({
      status: 'pending',
      reason:
        'being deleted, waiting for finalizers: kratix.io/workflows-cleanup',
    });
  });

  it('answers pending while the control plane converges, then outputs and connection secrets', async () => {
    const waiting = KubernetesDriver.create({
      clusters: [clusterFor(server)],
      deleteTimeoutMs: 1000,
      deletePollIntervalMs: 20,
      readyPollIntervalMs: 20,
    });
    // The simulated Crossplane controller: ready with a connection secret 150 ms after the claim appears.
    const controller = setInterval(() => {
      if (
        server.getObject(
          CLAIM_KIND.apiVersion,
          'PostgreSQLInstance',
          'team-dbs',
          'orders-db',
        )
      ) {
        clearInterval(controller);
        setTimeout(() => {
          server.put({
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: { name: 'orders-db-conn', namespace: 'team-dbs' },
            data: { password: Buffer.from('pw').toString('base64') },
          });
          server.setStatus(
            CLAIM_KIND.apiVersion,
            'PostgreSQLInstance',
            'team-dbs',
            'orders-db',
            crossplaneReadyStatus,
          );
        }, 150);
      }
    }, 10);
    // right after the apply the claim is not ready yet: pending, check again in readyPollIntervalMs
    const first = await waiting.apply(resource(), ctx());
    expect(first).toMatchObject({ status: 'pending', retryAfterMs: 20 });
    let result = first;
    for (let i = 0; i < 100 && 'status' in result; i++) {
      await new Promise(r => setTimeout(r, 20));
      result = await waiting.apply(resource(), ctx());
    }
    expect(result).toEqual({
      outputs: { host: crossplaneReadyStatus.address },
      secrets: { password: 'pw' },
      conditions: expect.arrayContaining([
        expect.objectContaining({ type: 'Ready', status: 'True' }),
      ]),
    });

    // Still provisioning: pending with the control plane's reason (the reconciler bounds the wait).
    server.setStatus(
      CLAIM_KIND.apiVersion,
      'PostgreSQLInstance',
      'team-dbs',
      'orders-db',
      {
        conditions: [
          {
            type: 'Ready',
            status: 'False',
            reason: 'Creating',
            message: 'Composite resource is being created',
            lastTransitionTime: '2026-01-01T00:00:00Z',
          },
        ],
      },
    );
    const pending = await waiting.apply(
      resource({ parameters: { size: 'large', storageGB: 50 } }),
      ctx(),
    );
    expect(pending).toMatchObject({
      status: 'pending',
      reason: expect.stringMatching(/still provisioning.*Creating|Composite resource is being created/),
    });
    // Every apply call applied the object once (server-side apply), never waiting in a loop.
    expect(
      server.requests.filter(r => r.method === 'PATCH').length,
    ).toBeGreaterThanOrEqual(2);
  });

  it('never takes over an object that belongs to another resource', async () => {
    server.put({
      apiVersion: CLAIM_KIND.apiVersion,
      kind: 'PostgreSQLInstance',
      metadata: {
        name: 'orders-db',
        namespace: 'team-dbs',
        labels: { 'paved.dev/resource-id': 'someone-else' },
      },
      spec: {},
    });
    await expect(driver.apply(resource(), ctx())).rejects.toThrow(InputError);
    await driver.delete(resource(), ctx());
    expect(
      server.requests.filter(
        r => r.method === 'PATCH' || r.method === 'DELETE',
      ),
    ).toHaveLength(0);
    await expect(driver.observe(resource(), ctx())).resolves.toMatchObject({
      status: 'missing',
    });
  });

  it('refuses invalid parameters before anything is applied', async () => {
    await expect(
      driver.apply(
        resource({ parameters: { size: 'huge', storageGB: 5 } }),
        ctx(),
      ),
    ).rejects.toThrow(
      'Invalid parameters for postgresql-crossplane: parameters/size must be equal to one of the allowed values, parameters/storageGB must be >= 10',
    );
    expect(server.requests).toHaveLength(0);
  });

  it('reports the utilisation the status holds, through the type\'s utilisation paths (rightsizing)', async () => {
    const type = crossplaneType();
    const { connectionSecret: _secret, ...driverConfig } = type.driverConfig as Record<string, unknown>;
    type.driverConfig = {
      ...driverConfig,
      // no connection Secret to wait for
      manifest: { spec: { parameters: { storageGB: '${{ parameters.storageGB }}' } } },
      utilisation: {
        connections: 'status.atProvider.connections',
        connectionLimit: 'status.atProvider.maxConnections',
        storageBytes: 'status.atProvider.storageBytes',
        keys: 'status.atProvider.notReported',
      },
    };
    const r = resource({ type });
    await driver.apply(r, ctx());
    server.setStatus(CLAIM_KIND.apiVersion, 'PostgreSQLInstance', 'team-dbs', 'orders-db', {
      ...crossplaneReadyStatus,
      atProvider: { connections: 4, maxConnections: '100', storageBytes: 2048 },
    });
    await expect(driver.observe(r, ctx())).resolves.toMatchObject({
      status: 'ready',
      utilisation: { connections: { used: 4, limit: 100 }, storageBytes: 2048 },
    });
    // without paths (or numbers there) it reports none
    server.setStatus(CLAIM_KIND.apiVersion, 'PostgreSQLInstance', 'team-dbs', 'orders-db', crossplaneReadyStatus);
    expect(await driver.observe(r, ctx())).not.toHaveProperty('utilisation');
  });

  it('refuses a kind the cluster reports as cluster-scoped', async () => {
    server.addKind(XR_KIND);
    const type = crossplaneType();
    type.driverConfig = {
      ...type.driverConfig,
      kind: 'XPostgreSQLInstance',
      manifest: {},
    };
    await expect(driver.apply(resource({ type }), ctx())).rejects.toThrow(
      "database.example.org/v1alpha1 XPostgreSQLInstance is cluster-scoped on cluster 'test'; only namespaced kinds are allowed",
    );
    expect(server.requests.filter(r => r.method === 'PATCH')).toHaveLength(0);
  });

  it('gives clear retryable errors for an unreachable cluster, a rejected token and server errors', async () => {
    const expired = KubernetesDriver.create({
      clusters: [clusterFor(server, { token: 'expired' })],
      deleteTimeoutMs: 100,
      deletePollIntervalMs: 10,
      waitForReady: false,
    });
    const e401 = await expired.observe(resource(), ctx()).catch(e => e);
    expect(e401).toBeInstanceOf(KubernetesClusterError);
    expect(e401.retryable).toBe(true);
    expect(e401.message).toMatch(
      /401 Unauthorized, the service-account token was rejected \(expired or revoked\); will retry/,
    );
    expect(e401.message).not.toContain('expired"');

    await driver.observe(resource(), ctx()); // warm the discovery cache
    server.failNext = { count: 1, status: 503 };
    const e503 = await driver.observe(resource(), ctx()).catch(e => e);
    expect(e503).toBeInstanceOf(KubernetesClusterError);
    expect(e503.retryable).toBe(true);
    expect(e503.message).toMatch(/HTTP 503/);

    const url = server.url;
    await server.stop();
    const down = KubernetesDriver.create({
      clusters: [clusterFor(server, { url })],
      deleteTimeoutMs: 100,
      deletePollIntervalMs: 10,
      waitForReady: false,
    });
    const eDown = await down.apply(resource(), ctx()).catch(e => e);
    expect(eDown).toBeInstanceOf(KubernetesClusterError);
    expect(eDown.retryable).toBe(true);
    expect(eDown.message).toMatch(
      /cluster unreachable at http:\/\/127\.0\.0\.1:\d+ .*ECONNREFUSED.*will retry/,
    );
    server = await FakeKubeApiServer.start(); // for afterEach
  });
});
