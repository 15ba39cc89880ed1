/*
 * Copyright 2026 The Paved Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  ProvisioningDriver,
  provisioningDriversExtensionPoint,
  ResourceTypeProvider,
} from '@paved/backstage-plugin-provisioning-node';
import { FakeKubeApiServer } from './__testUtils__/FakeKubeApiServer';
import {
  kratixPromise,
  PROMISE_KIND,
  XRD_KIND,
} from './__testUtils__/fixtures';
import { provisioningModuleKubernetes } from './module';

describe('provisioningModuleKubernetes', () => {
  let server: FakeKubeApiServer;

  beforeEach(async () => {
    server = await FakeKubeApiServer.start();
    server.addKind(XRD_KIND);
    server.addKind(PROMISE_KIND);
  });

  afterEach(async () => {
    await server.stop();
  });

  async function start(kubernetes?: unknown) {
    const drivers: ProvisioningDriver[] = [];
    const providers: ResourceTypeProvider[] = [];
    const backend = await startTestBackend({
      extensionPoints: [
        [
          provisioningDriversExtensionPoint,
          {
            addDriver: d => drivers.push(d),
            addResourceTypeProvider: p => providers.push(p),
          },
        ],
      ],
      features: [
        provisioningModuleKubernetes,
        mockServices.rootConfig.factory({
          data: kubernetes ? { provisioning: { drivers: { kubernetes } } } : {},
        }),
      ],
    });
    return { backend, drivers, providers };
  }

  it('registers nothing when no cluster is configured', async () => {
    const { backend, drivers, providers } = await start();
    expect(drivers).toEqual([]);
    expect(providers).toEqual([]);
    await backend.stop();
  });

  it('registers the kubernetes driver and, with discovery, a type provider', async () => {
    server.put(kratixPromise);
    const { backend, drivers, providers } = await start({
      clusters: [
        {
          name: 'platform',
          url: server.url,
          skipTLSVerify: true,
          serviceAccountToken: 'test-token',
        },
      ],
      discovery: {
        enabled: true,
        schedule: {
          frequency: { hours: 1 },
          timeout: { minutes: 1 },
          initialDelay: { hours: 1 },
        },
      },
      types: { postgresql: { title: 'PostgreSQL on Kratix' } },
    });
    expect(drivers.map(d => d.id)).toEqual(['kubernetes']);
    expect(providers.map(p => p.id)).toEqual(['kubernetes']);
    const types = await providers[0].getResourceTypes();
    expect(types.map(t => [t.id, t.title, t.driver])).toEqual([
      ['postgresql', 'PostgreSQL on Kratix', 'kubernetes'],
    ]);
    await backend.stop();
  });

  it('offers hand-written offerings and refuses those that would escape their namespace', async () => {
    const offering = {
      id: 'postgresql-crossplane',
      title: 'PostgreSQL',
      namespace: 'team-dbs',
      apiVersion: 'database.example.org/v1alpha1',
      kind: 'PostgreSQLInstance',
      parameters: { type: 'object', properties: {} },
      manifest: { spec: { parameters: { storageGB: 20 } } },
    };
    const { backend, providers } = await start({
      clusters: [
        {
          name: 'platform',
          url: server.url,
          skipTLSVerify: true,
          serviceAccountToken: 'test-token',
        },
      ],
      offerings: [
        offering,
        {
          ...offering,
          id: 'escape',
          manifest: { metadata: { namespace: 'kube-system' } },
        },
        {
          ...offering,
          id: 'cluster-role',
          kind: 'ClusterRole',
          apiVersion: 'rbac.authorization.k8s.io/v1',
        },
      ],
    });
    const types = await providers[0].getResourceTypes();
    expect(types.map(t => t.id)).toEqual(['postgresql-crossplane']);
    expect(types[0].driverConfig).toEqual({
      namespace: 'team-dbs',
      apiVersion: 'database.example.org/v1alpha1',
      kind: 'PostgreSQLInstance',
      manifest: { spec: { parameters: { storageGB: 20 } } },
    });
    // Discovery is off: the cluster was never asked for XRDs or Promises.
    expect(server.requests).toEqual([]);
    await backend.stop();
  });
});
