/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { scaffolderProvisioningServiceRef } from './service/provisioningClient';
import git from 'isomorphic-git';
import knexFactory, { Knex } from 'knex';
import fs from 'node:fs';
import { resolve } from 'node:path';
import request from 'supertest';
import yaml from 'yaml';
import { FakeProvisioning } from './__testUtils__/fakeProvisioning';
import scaffolderModuleGoldenPaths from '@paved/backstage-plugin-scaffolder-backend-module-golden-paths';
import { scaffolderModuleProvisioning } from './module';

jest.setTimeout(60_000);

const TEMPLATE_FILE = resolve(
  __dirname,
  '../../../templates/typescript-service/template.yaml',
);

function catalogWithTemplate() {
  const template = yaml.parse(fs.readFileSync(TEMPLATE_FILE, 'utf8'));
  const entity: Entity = {
    ...template,
    metadata: {
      ...template.metadata,
      namespace: 'default',
      annotations: {
        // The template's own annotations, as the catalog keeps them (paved.dev/template-version).
        ...template.metadata.annotations,
        'backstage.io/managed-by-location': `file:${TEMPLATE_FILE}`,
      },
    },
  };
  const catalog = catalogServiceMock({ entities: [entity] });
  const registered = new Map<string, Entity>();
  jest
    .spyOn(catalog, 'addLocation')
    .mockImplementation(async (req: any): Promise<any> => {
      const res = await fetch(req.target, {
        headers: { Authorization: mockCredentials.service.header() },
      });
      const component = yaml.parse(await res.text());
      if (!req.dryRun) {
        registered.set(`component:default/${component.metadata.name}`, component);
      }
      return {
        location: { id: '1', type: 'url', target: req.target },
        entities: req.dryRun ? [component] : [],
      };
    });
  const getEntityByRef = catalog.getEntityByRef.bind(catalog);
  jest
    .spyOn(catalog, 'getEntityByRef')
    .mockImplementation(async (ref: any, options: any) =>
      registered.get(ref) ?? getEntityByRef(ref, options),
    );
  return catalog;
}

/**
 * A backend killed while the run requests its database: backend A's request reaches the
 * provisioning backend, but the step never returns (no checkpoint) and A goes away; its task is left
 * `processing` with a stale heartbeat, as after a crash. Backend B, on the same database, recovers it.
 */
describe('template run recovery', () => {
  const dir = createMockDirectory();
  let knex: Knex;

  beforeAll(() => {
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: dir.resolve('scaffolder.sqlite') },
      useNullAsDefault: true,
    });
  });

  afterAll(async () => {
    // The scaffolder (4.2) polls each task's events once a second until it reads the completion event, with
    // no error handler: let those loops (backend A's too) end before their database goes away.
    await new Promise(done => setTimeout(done, 2500));
    await knex.destroy();
  });

  function start(db: Knex, provisioning: FakeProvisioning) {
    return startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleProvisioning,
        // The golden path records its provenance with paved:template:record.
        scaffolderModuleGoldenPaths,
        mockServices.database.factory({ knex: db }),
        createServiceFactory({
          service: scaffolderProvisioningServiceRef,
          deps: {},
          factory: () => provisioning,
        }),
        createServiceFactory({
          service: catalogServiceRef,
          deps: {},
          factory: () => catalogWithTemplate(),
        }),
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            scaffolder: {
              taskRecovery: {
                enabled: true,
                staleTimeout: { seconds: 1 },
                workspaceProvider: 'paved-filesystem',
              },
              paved: {
                git: { directory: dir.resolve('git') },
                workspaces: { directory: dir.resolve('workspaces') },
              },
            },
          },
        }),
      ],
    });
  }

  it('ends completed with exactly one database after the backend died mid-step', async () => {
    // Both backends see the same provisioning backend (it is another service).
    const provisioning = new FakeProvisioning();
    const createResource = provisioning.createResource.bind(provisioning);
    let crashed = false;
    const keys: Array<string | undefined> = [];
    provisioning.createResource = async (req, options) => {
      keys.push(options?.idempotencyKey);
      const resource = await createResource(req, options);
      if (!crashed) {
        crashed = true;
        // Backend A dies right after the POST: the step never returns, so nothing is checkpointed.
        return new Promise(() => {});
      }
      return resource;
    };
    const getResource = provisioning.getResource.bind(provisioning);
    provisioning.getResource = async (id: string) => {
      const r = provisioning.resources.get(id);
      if (r?.state === 'requested') provisioning.setState(id, 'ready');
      return getResource(id);
    };

    const backendA = await start(knex, provisioning);
    const created = await request(backendA.server)
      .post('/api/scaffolder/v2/tasks')
      .set('Authorization', mockCredentials.user.header())
      .send({
        templateRef: 'template:default/typescript-service',
        values: {
          name: 'invoice-api',
          description: 'Creates and sends invoices for orders.',
          owner: 'group:default/orders-team',
          system: 'system:default/orders',
          database: true,
          databaseSize: 'small',
          redis: false,
        },
      });
    expect(created.status).toBe(201);
    const taskId = created.body.id;
    for (let i = 0; i < 100 && !crashed; i++) {
      await new Promise(r => setTimeout(r, 100));
    }
    expect(crashed).toBe(true);
    await backendA.stop();
    // What a killed process leaves behind: the task stays `processing` and its heartbeat stops.
    // (Backend A's in-process heartbeat timer is stopped by making its next update find no row.)
    await knex('tasks').where({ id: taskId }).update({ status: 'test-paused' });
    await new Promise(r => setTimeout(r, 1500));
    await knex('tasks')
      .where({ id: taskId })
      .update({
        status: 'processing',
        last_heartbeat_at: new Date(Date.now() - 60_000)
          .toISOString()
          .replace('T', ' ')
          .replace(/\..*$/, ''),
      });

    const backendB = await start(knex, provisioning);
    try {
      let task: any;
      for (let i = 0; i < 400; i++) {
        task = (
          await request(backendB.server)
            .get(`/api/scaffolder/v2/tasks/${taskId}`)
            .set('Authorization', mockCredentials.user.header())
        ).body;
        if (task.status === 'completed' || task.status === 'failed') break;
        await new Promise(r => setTimeout(r, 100));
      }
      const events = await request(backendB.server)
        .get(`/api/scaffolder/v2/tasks/${taskId}/events`)
        .set('Authorization', mockCredentials.user.header());
      const log = events.body
        .map((e: any) => String(e.body?.message ?? ''))
        .join('\n');

      expect({ status: task.status, log }).toMatchObject({
        status: 'completed',
      });
      // The recovered step repeated the request with the same Idempotency-Key and got the same resource.
      expect(keys).toHaveLength(2);
      expect(keys[0]).toMatch(new RegExp(`^scaffolder:${taskId}:`));
      expect(keys[1]).toBe(keys[0]);
      expect(log).toMatch(/Requested postgresql 'invoice-api-db'/);
      expect([...provisioning.resources.values()]).toEqual([
        expect.objectContaining({ name: 'invoice-api-db', state: 'ready' }),
      ]);
      expect(
        await git.listFiles({
          fs,
          gitdir: dir.resolve('git/invoice-api.git'),
          ref: 'main',
        }),
      ).toContain('catalog-info.yaml');
    } finally {
      await backendB.stop();
      // Backend A's event subscription ends once it has seen the completion event.
      await new Promise(r => setTimeout(r, 1500));
    }
  });
});
