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
import Ajv from 'ajv';
import net from 'node:net';
import { KubernetesCluster } from '../cluster/KubernetesCluster';
import { KubernetesDriver } from '../driver/KubernetesDriver';
import { FakeKubeApiServer } from '../__testUtils__/FakeKubeApiServer';
import {
  CLAIM_KIND,
  KRATIX_REQUEST_KIND,
  kratixPromise,
  postgresXrd,
  PROMISE_KIND,
  XRD_KIND,
} from '../__testUtils__/fixtures';
import { KubernetesResourceTypeProvider } from './KubernetesResourceTypeProvider';
import { openApiV3ToJsonSchema } from './schema';

describe('KubernetesResourceTypeProvider', () => {
  let server: FakeKubeApiServer;
  let cluster: KubernetesCluster;

  beforeEach(async () => {
    server = await FakeKubeApiServer.start();
    server.addKind(XRD_KIND);
    server.addKind(PROMISE_KIND);
    server.addKind(CLAIM_KIND);
    server.addKind(KRATIX_REQUEST_KIND);
    cluster = KubernetesCluster.fromConfig(
      {
        name: 'platform',
        url: server.url,
        skipTLSVerify: true,
        serviceAccountToken: 'test-token',
        inCluster: false,
      },
      { requestTimeoutMs: 2000 },
    );
  });

  afterEach(async () => {
    await server.stop();
  });

  function provider(overrides = {}) {
    return KubernetesResourceTypeProvider.create({
      cluster,
      labelSelector: 'paved.dev/offer=true',
      namespace: 'team-dbs',
      overrides,
      logger: mockServices.logger.mock(),
    });
  }

  it('turns XRDs offering a claim and Kratix Promises into resource types, with overrides', async () => {
    server.put(postgresXrd);
    server.put(kratixPromise);
    // Not labelled: not offered.
    server.put({
      ...postgresXrd,
      metadata: { name: 'xbuckets.storage.example.org' },
      spec: {
        ...postgresXrd.spec,
        claimNames: { kind: 'Bucket', plural: 'buckets' },
      },
    });
    // Labelled but cluster-scoped composite without a claim: not offered.
    server.put({
      ...postgresXrd,
      metadata: {
        name: 'xnetworks.net.example.org',
        labels: { 'paved.dev/offer': 'true' },
      },
      spec: {
        ...postgresXrd.spec,
        group: 'net.example.org',
        names: { kind: 'XNetwork', plural: 'xnetworks' },
        claimNames: undefined,
      },
    });

    const types = await provider({
      postgresql: {
        title: 'PostgreSQL (Kratix)',
        pricing: { dev: 10 },
        policy: { approvalRequiredForSizes: ['prod'] },
      },
    }).getResourceTypes();

    const lists = server.requests.filter(
      r => r.query.labelSelector === 'paved.dev/offer=true',
    );
    expect(lists.map(r => r.path).sort()).toEqual([
      '/apis/apiextensions.crossplane.io/v1/compositeresourcedefinitions',
      '/apis/platform.kratix.io/v1alpha1/promises',
    ]);

    expect(types).toEqual([
      {
        id: 'postgresqlinstance',
        title: 'PostgreSQL (Crossplane)',
        description:
          'PostgreSQLInstance (database.example.org/v1alpha1) on cluster platform',
        driver: 'kubernetes',
        parameters: {
          type: 'object',
          additionalProperties: false,
          required: ['parameters'],
          properties: {
            parameters: {
              type: 'object',
              required: ['storageGB'],
              properties: {
                storageGB: { type: 'integer', minimum: 10, default: 20 },
                version: {
                  type: 'string',
                  enum: ['14', '15', '16'],
                  default: '16',
                },
                size: {
                  type: 'string',
                  enum: ['small', 'medium', 'large'],
                  default: 'small',
                },
              },
            },
          },
        },
        pricing: {},
        policy: { approvalRequiredForSizes: [] },
        repairDrift: false,
        entityType: 'kubernetes-resource',
        driverConfig: {
          cluster: 'platform',
          namespace: 'team-dbs',
          apiVersion: 'database.example.org/v1alpha1',
          kind: 'PostgreSQLInstance',
          manifest: {
            spec: {
              writeConnectionSecretToRef: { name: '${{ resource.name }}-conn' },
            },
          },
          parametersAsSpec: true,
          connectionSecret: {
            keys: ['username', 'password', 'endpoint', 'port'],
          },
          discoveredFrom:
            'CompositeResourceDefinition/xpostgresqlinstances.database.example.org',
        },
      },
      expect.objectContaining({
        id: 'postgresql',
        title: 'PostgreSQL (Kratix)',
        pricing: { dev: 10 },
        policy: { approvalRequiredForSizes: ['prod'] },
        parameters: {
          type: 'object',
          additionalProperties: false,
          properties: {
            dbName: {
              type: 'string',
              default: 'postgres',
              description: 'Database name.',
            },
            env: { type: 'string', default: 'dev', pattern: '^(dev|prod)$' },
            teamId: { type: 'string', default: 'acid' },
          },
        },
        driverConfig: expect.objectContaining({
          apiVersion: 'marketplace.kratix.io/v1alpha1',
          kind: 'postgresql',
          manifest: {},
          parametersAsSpec: true,
        }),
      }),
    ]);

    // The discovered types pass the driver's own checks, and their schemas reject bad parameters (400 upstream).
    const driver = KubernetesDriver.create({
      clusters: [cluster],
      deleteTimeoutMs: 100,
      deletePollIntervalMs: 10,
      waitForReady: false,
    });
    for (const t of types) {
      expect(() => driver.validateType(t)).not.toThrow();
    }
    const ajv = new Ajv({ strict: true, useDefaults: true });
    const validateKratix = ajv.compile(types[1].parameters);
    const params: Record<string, unknown> = {};
    expect(validateKratix(params)).toBe(true);
    expect(params).toEqual({ dbName: 'postgres', env: 'dev', teamId: 'acid' });
    expect(validateKratix({ env: 'staging' })).toBe(false);
    expect(validateKratix({ compositionRef: { name: 'evil' } })).toBe(false);
    const validateClaim = ajv.compile(types[0].parameters);
    expect(validateClaim({ parameters: { storageGB: 5 } })).toBe(false);
    expect(
      validateClaim({ parameters: { storageGB: 50, version: '12' } }),
    ).toBe(false);
  });

  it('removes types whose offering is gone, and keeps the last snapshot while the cluster is unreachable', async () => {
    server.put(postgresXrd);
    server.put(kratixPromise);
    const p = provider();
    await p.refresh();
    expect((await p.getResourceTypes()).map(t => t.id)).toEqual([
      'postgresqlinstance',
      'postgresql',
    ]);

    server.failNext = { count: 2, status: 503 };
    await p.refresh();
    expect((await p.getResourceTypes()).map(t => t.id)).toEqual([
      'postgresqlinstance',
      'postgresql',
    ]);

    server.put({
      ...kratixPromise,
      metadata: { name: 'postgresql', labels: {} },
    }); // no longer offered
    await p.refresh();
    expect((await p.getResourceTypes()).map(t => t.id)).toEqual([
      'postgresqlinstance',
    ]);
  });

  it('does not hold up the first load on a cluster that does not answer', async () => {
    const sockets: net.Socket[] = [];
    const blackhole = net.createServer(socket => sockets.push(socket)); // accepts, never answers
    await new Promise<void>(r => blackhole.listen(0, '127.0.0.1', r));
    const port = (blackhole.address() as net.AddressInfo).port;
    const slow = KubernetesCluster.fromConfig(
      {
        name: 'slow',
        url: `http://127.0.0.1:${port}`,
        skipTLSVerify: true,
        serviceAccountToken: 't',
        inCluster: false,
      },
      { requestTimeoutMs: 300 },
    );
    const p = KubernetesResourceTypeProvider.create({
      cluster: slow,
      labelSelector: 'a=b',
      namespace: 'default',
      overrides: {},
      logger: mockServices.logger.mock(),
      firstLoadWaitMs: 100,
    });
    const started = Date.now();
    await expect(p.getResourceTypes()).resolves.toEqual([]);
    expect(Date.now() - started).toBeLessThan(280);
    await p.refresh(); // the in-flight refresh times out (requestTimeout) and is logged, not thrown
    sockets.forEach(s => s.destroy());
    await new Promise(r => blackhole.close(r));
  });

  it('offers nothing from a cluster without Crossplane or Kratix', async () => {
    const bare = await FakeKubeApiServer.start();
    const c = KubernetesCluster.fromConfig(
      {
        name: 'bare',
        url: bare.url,
        skipTLSVerify: true,
        serviceAccountToken: 'test-token',
        inCluster: false,
      },
      { requestTimeoutMs: 2000 },
    );
    const p = KubernetesResourceTypeProvider.create({
      cluster: c,
      labelSelector: 'a=b',
      namespace: 'default',
      overrides: {},
      logger: mockServices.logger.mock(),
    });
    await expect(p.getResourceTypes()).resolves.toEqual([]);
    await bare.stop();
  });
});

describe('openApiV3ToJsonSchema', () => {
  it('converts Kubernetes OpenAPI keywords into strict JSON Schema', () => {
    const schema = openApiV3ToJsonSchema({
      type: 'object',
      properties: {
        replicas: {
          type: 'integer',
          minimum: 0,
          exclusiveMinimum: true,
          format: 'int32',
        },
        port: { 'x-kubernetes-int-or-string': true },
        note: { type: 'string', nullable: true },
        extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        tags: {
          type: 'array',
          items: { type: 'string', enum: ['a', 'b'] },
          'x-kubernetes-list-type': 'set',
        },
      },
    });
    expect(schema).toEqual({
      type: 'object',
      properties: {
        replicas: { type: 'integer', exclusiveMinimum: 0 },
        port: { anyOf: [{ type: 'integer' }, { type: 'string' }] },
        note: { type: ['string', 'null'] },
        extra: { type: 'object', additionalProperties: true },
        tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'] } },
      },
    });
    expect(() => new Ajv({ strict: true }).compile(schema)).not.toThrow();
  });
});
