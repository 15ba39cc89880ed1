/*
 * Copyright 2026 The Paved Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 */
import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
// Test only: the real host plugin, to exercise the module end to end.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import provisioningPlugin from '@paved/backstage-plugin-provisioning-backend';
import request from 'supertest';
import { FakeKubeApiServer } from '../__testUtils__/FakeKubeApiServer';
import {
  CLAIM_KIND,
  crossplaneReadyStatus,
  crossplaneType,
} from '../__testUtils__/fixtures';
import { provisioningModuleKubernetes } from '../module';

jest.setTimeout(60_000);

const dana = mockCredentials.user.header('user:default/dana');
const base = '/api/provisioning/v1';

/**
 * The whole path through the real provisioning backend (REST API, store, reconciler, secret encryption) and this
 * module, against the fake Kubernetes API server with a simulated Crossplane controller.
 */
describe('through the provisioning backend', () => {
  let server: FakeKubeApiServer;

  beforeEach(async () => {
    server = await FakeKubeApiServer.start();
    server.addKind(CLAIM_KIND);
  });

  afterEach(async () => {
    await server.stop();
  });

  it('refuses bad parameters with 400, provisions, reveals the connection secret to owners and deletes', async () => {
    const {
      id: _id,
      driver: _driver,
      driverConfig,
      ...type
    } = crossplaneType('platform');
    const backend = await startTestBackend({
      features: [
        provisioningPlugin,
        provisioningModuleKubernetes,
        schedulerServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            provisioning: {
              secrets: { key: 'test-passphrase-not-secret' },
              reconciler: {
                sweepInterval: 100,
                operationTimeout: 5000,
                backoffInitial: 50,
                backoffMax: 200,
              },
              drivers: {
                kubernetes: {
                  clusters: [
                    {
                      name: 'platform',
                      url: server.url,
                      skipTLSVerify: true,
                      serviceAccountToken: 'test-token',
                    },
                  ],
                  readyPollInterval: 50,
                  deletePollInterval: 50,
                  offerings: [
                    JSON.parse(
                      JSON.stringify({
                        ...type,
                        ...driverConfig,
                        id: 'postgresql-crossplane',
                      }),
                    ),
                  ],
                },
              },
            },
          },
        }),
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Group',
              metadata: { name: 'orders-team', namespace: 'default' },
              spec: { type: 'team', children: [] },
            },
          ],
        }),
        createServiceFactory({
          service: coreServices.userInfo,
          deps: {},
          factory: () => ({
            async getUserInfo(credentials: BackstageCredentials) {
              const ref = (credentials.principal as { userEntityRef: string })
                .userEntityRef;
              return {
                userEntityRef: ref,
                ownershipEntityRefs: [ref, 'group:default/orders-team'],
              };
            },
          }),
        }),
      ],
    });

    // The simulated Crossplane controller: the claim becomes ready with a connection Secret; a finalizer.
    const controller = setInterval(() => {
      const claim = server.getObject(
        CLAIM_KIND.apiVersion,
        'PostgreSQLInstance',
        'team-dbs',
        'orders-db',
      );
      if (claim && !claim.status) {
        claim.metadata.finalizers = ['finalizer.apiextensions.crossplane.io'];
        server.put({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'orders-db-conn', namespace: 'team-dbs' },
          data: { password: Buffer.from('s3cr3t').toString('base64') },
        });
        server.setStatus(
          CLAIM_KIND.apiVersion,
          'PostgreSQLInstance',
          'team-dbs',
          'orders-db',
          crossplaneReadyStatus,
        );
      }
    }, 50);

    try {
      const types = await request(backend.server)
        .get(`${base}/types`)
        .set('Authorization', dana);
      expect(types.body.items.map((t: { id: string }) => t.id)).toContain(
        'postgresql-crossplane',
      );

      const bad = await request(backend.server)
        .post(`${base}/resources`)
        .set('Authorization', dana)
        .send({
          name: 'orders-db',
          type: 'postgresql-crossplane',
          owner: 'group:default/orders-team',
          parameters: { size: 'small', storageGB: 5 },
        });
      expect(bad.status).toBe(400);
      expect(server.requests.filter(r => r.method === 'PATCH')).toHaveLength(0);

      const created = await request(backend.server)
        .post(`${base}/resources`)
        .set('Authorization', dana)
        .send({
          name: 'orders-db',
          type: 'postgresql-crossplane',
          owner: 'group:default/orders-team',
          parameters: { size: 'small' },
        });
      expect(created.status).toBe(201);
      const id = created.body.id;
      const get = () =>
        request(backend.server)
          .get(`${base}/resources/${id}`)
          .set('Authorization', dana);
      const waitForState = async (state: string) => {
        for (let i = 0; i < 200; i++) {
          const r = await get();
          if (r.body.state === state || r.body.state === 'failed') {
            return r;
          }
          await new Promise(res => setTimeout(res, 50));
        }
        return get();
      };

      const ready = await waitForState('ready');
      expect(ready.body).toMatchObject({
        state: 'ready',
        outputs: { host: crossplaneReadyStatus.address },
      });
      const apply = server.requests.find(r => r.method === 'PATCH')!;
      expect(apply.body.metadata.labels['paved.dev/resource-id']).toBe(id);
      expect(apply.body.spec.parameters).toEqual({ storageGB: 20 });

      const creds = await request(backend.server)
        .get(`${base}/resources/${id}/credentials`)
        .set('Authorization', dana);
      expect(creds.status).toBe(200);
      expect(creds.body.values).toEqual({ password: 's3cr3t' });

      const del = await request(backend.server)
        .delete(`${base}/resources/${id}`)
        .set('Authorization', dana);
      expect(del.status).toBe(202);
      const deleted = await waitForState('deleted');
      expect(deleted.body.state).toBe('deleted');
      expect(
        server.getObject(
          CLAIM_KIND.apiVersion,
          'PostgreSQLInstance',
          'team-dbs',
          'orders-db',
        ),
      ).toBeUndefined();
    } finally {
      clearInterval(controller);
      await backend.stop();
    }
  });
});
