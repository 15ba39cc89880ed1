/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  coreServices,
  createBackendModule,
  createServiceFactory,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { scaffolderProvisioningServiceRef } from './service/provisioningClient';
import scaffolderModuleGoldenPaths from '@paved/backstage-plugin-scaffolder-backend-module-golden-paths';
import git from 'isomorphic-git';
import fs from 'node:fs';
import { resolve } from 'node:path';
import request from 'supertest';
import yaml from 'yaml';
import { FakeProvisioning } from './__testUtils__/fakeProvisioning';
import { scaffolderModuleProvisioningFeatures } from './module';

jest.setTimeout(60_000);
const TEMPLATE_FILE = resolve(
  __dirname,
  '../../../templates/typescript-service/template.yaml',
);

function templateEntity(): Entity {
  const template = yaml.parse(fs.readFileSync(TEMPLATE_FILE, 'utf8'));
  return {
    ...template,
    metadata: {
      ...template.metadata,
      namespace: 'default',
      annotations: {
        ...template.metadata.annotations,
        'backstage.io/managed-by-location': `file:${TEMPLATE_FILE}`,
        'backstage.io/managed-by-origin-location': `file:${TEMPLATE_FILE}`,
      },
    },
  };
}

/**
 * Starts the real scaffolder plugin with this package's features (the module and the embedded git
 * server's URL reader), a fake provisioning backend and a catalog whose `addLocation` reads the
 * registered URL through the backend's URL reader, as the real catalog does.
 */
async function startPortal(dir: ReturnType<typeof createMockDirectory>) {
  const provisioning = new FakeProvisioning();
  const registered: string[] = [];
  let urlReader: UrlReaderService | undefined;
  const captureUrlReader = createBackendModule({
    pluginId: 'scaffolder',
    moduleId: 'test-url-reader',
    register(reg) {
      reg.registerInit({
        deps: { reader: coreServices.urlReader },
        async init({ reader }) {
          urlReader = reader;
        },
      });
    },
  });
  const catalog = catalogServiceMock({ entities: [templateEntity()] });
  const components = new Map<string, Entity>();
  jest.spyOn(catalog, 'addLocation').mockImplementation(async (req: any): Promise<any> => {
    const res = await urlReader!.readUrl(req.target);
    const entity = yaml.parse((await res.buffer()).toString('utf8')) as Entity;
    if (!req.dryRun) {
      registered.push(req.target);
      components.set(`component:default/${entity.metadata.name}`, entity);
    }
    return {
      location: { id: '1', type: req.type ?? 'url', target: req.target },
      entities: req.dryRun ? [entity] : [],
    };
  });
  const getEntityByRef = catalog.getEntityByRef.bind(catalog);
  jest
    .spyOn(catalog, 'getEntityByRef')
    .mockImplementation(async (ref, options) =>
      typeof ref === 'string' && components.has(ref)
        ? components.get(ref)
        : getEntityByRef(ref, options),
    );

  const backend = await startTestBackend({
    features: [
      scaffolderPlugin,
      scaffolderModuleProvisioningFeatures,
      captureUrlReader,
      // The golden path records its provenance with paved:template:record.
      scaffolderModuleGoldenPaths,
      createServiceFactory({
        service: scaffolderProvisioningServiceRef,
        deps: {},
        factory: () => provisioning,
      }),
      createServiceFactory({
        service: catalogServiceRef,
        deps: {},
        factory: () => catalog,
      }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          scaffolder: {
            taskRecovery: { enabled: true },
            paved: { git: { directory: dir.resolve('git') } },
          },
        },
      }),
    ],
  });
  return { backend, provisioning, registered };
}

async function runTemplate(
  server: any,
  values: Record<string, unknown>,
): Promise<{ status: string; log: string[] }> {
  const created = await request(server)
    .post('/api/scaffolder/v2/tasks')
    .set('Authorization', mockCredentials.user.header())
    .send({ templateRef: 'template:default/typescript-service', values });
  expect(created.status).toBe(201);
  const taskId = created.body.id;
  for (let i = 0; i < 200; i++) {
    const task = await request(server)
      .get(`/api/scaffolder/v2/tasks/${taskId}`)
      .set('Authorization', mockCredentials.user.header());
    if (task.body.status === 'completed' || task.body.status === 'failed') {
      const events = await request(server)
        .get(`/api/scaffolder/v2/tasks/${taskId}/events`)
        .set('Authorization', mockCredentials.user.header());
      return {
        status: task.body.status,
        log: events.body.map((e: any) => String(e.body?.message ?? '')),
      };
    }
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error('task did not finish');
}

const values = {
  name: 'invoice-api',
  description: 'Creates and sends invoices for orders.',
  owner: 'group:default/orders-team',
  system: 'system:default/orders',
  database: true,
  databaseSize: 'small',
  redis: false,
};

describe('scaffolderModuleProvisioning', () => {
  const dir = createMockDirectory();
  afterEach(() => dir.clear());

  it('runs the TypeScript service golden path end to end', async () => {
    const { backend, provisioning, registered } = await startPortal(dir);
    const origGet = provisioning.getResource.bind(provisioning);
    provisioning.getResource = async (id: string) => {
      const r = provisioning.resources.get(id);
      if (r && r.state === 'requested') provisioning.setState(id, 'ready');
      return origGet(id);
    };
    try {
      const { status, log } = await runTemplate(backend.server, values);
      expect({ status, log }).toMatchObject({ status: 'completed' });

      // A real git repository, clonable, with the rendered service.
      const gitdir = dir.resolve('git/invoice-api.git');
      const files = await git.listFiles({ fs, gitdir, ref: 'main' });
      expect(files).toEqual(
        expect.arrayContaining([
          'catalog-info.yaml',
          'Dockerfile',
          '.github/workflows/ci.yaml',
          'mkdocs.yml',
          'docs/index.md',
          'src/server.ts',
          '.paved/template.json',
        ]),
      );
      // Where it came from, for later upgrades.
      const { blob } = await git.readBlob({
        fs,
        gitdir,
        oid: await git.resolveRef({ fs, gitdir, ref: 'main' }),
        filepath: '.paved/template.json',
      });
      expect(JSON.parse(Buffer.from(blob).toString('utf8'))).toEqual({
        template: 'template:default/typescript-service',
        version: expect.stringMatching(/^\d+\.\d+\.\d+$/),
        values: expect.objectContaining({
          name: 'invoice-api',
          owner: 'group:default/orders-team',
          database: true,
          databaseResource: 'invoice-api-db',
        }),
      });

      // Registered through a URL that the catalog reads in-process (URL reader); over HTTP the
      // same URL answers signed-in users only.
      const url = registered[0];
      expect(url).toMatch(
        /\/api\/scaffolder\/paved-git\/invoice-api\/raw\/main\/catalog-info\.yaml$/,
      );
      const raw = await request(backend.server)
        .get(new URL(url).pathname)
        .set('Authorization', mockCredentials.user.header());
      expect(raw.status).toBe(200);
      const component = yaml.parse(raw.text);
      expect(component.spec.dependsOn).toEqual([
        'resource:default/invoice-api-db',
      ]);
      expect(component.metadata.annotations).toMatchObject({
        'paved.dev/template': 'template:default/typescript-service',
        'backstage.io/source-template': 'template:default/typescript-service',
        'paved.dev/template-version': expect.stringMatching(/^\d+\.\d+\.\d+$/),
      });

      // One database, for the right owner and component.
      const resources = [...provisioning.resources.values()];
      expect(resources).toHaveLength(1);
      expect(resources[0]).toMatchObject({
        name: 'invoice-api-db',
        type: 'postgresql',
        owner: 'group:default/orders-team',
        entityRef: 'component:default/invoice-api',
        system: 'system:default/orders',
        parameters: { size: 'small' },
        state: 'ready',
      });
      expect(log.join('\n')).toMatch(/Skipping step cleanup/);
    } finally {
      // The scaffolder (4.2) polls each task's events once a second until it reads the completion event, with
      // no error handler: let those loops end before the backend and its database go away.
      await new Promise(done => setTimeout(done, 2500));
      await backend.stop();
    }
  });

  it('releases what a failed run created and says so in the task log', async () => {
    const { backend, provisioning } = await startPortal(dir);
    const origGet = provisioning.getResource.bind(provisioning);
    provisioning.getResource = async (id: string) => {
      const r = provisioning.resources.get(id);
      if (r && r.state === 'requested') {
        provisioning.setState(id, 'failed', 'no capacity left on the server');
      }
      return origGet(id);
    };
    try {
      const { status, log } = await runTemplate(backend.server, values);
      expect(status).toBe('failed');
      const text = log.join('\n');
      expect(text).toContain(
        "postgresql 'invoice-api-db' failed to provision: no capacity left on the server",
      );
      expect(text).toMatch(
        /Released postgresql 'invoice-api-db' \(id .*\): deletion requested because the run failed/,
      );
      const [resource] = [...provisioning.resources.values()];
      expect(resource.state).toBe('deleting');
    } finally {
      // The scaffolder (4.2) polls each task's events once a second until it reads the completion event, with
      // no error handler: let those loops end before the backend and its database go away.
      await new Promise(done => setTimeout(done, 2500));
      await backend.stop();
    }
  });

  it('answers 401 on every git server route without credentials', async () => {
    const { backend } = await startPortal(dir);
    try {
      for (const path of [
        '/api/scaffolder/paved-git/nope/raw/main/catalog-info.yaml',
        '/api/scaffolder/paved-git/invoice-api/raw/main/catalog-info.yaml',
        '/api/scaffolder/paved-git/invoice-api/raw/main/',
        '/api/scaffolder/paved-git/',
      ]) {
        const anonymous = await request(backend.server).get(path);
        expect({ path, status: anonymous.status }).toEqual({ path, status: 401 });
      }
      const missing = await request(backend.server)
        .get('/api/scaffolder/paved-git/nope/raw/main/catalog-info.yaml')
        .set('Authorization', mockCredentials.user.header());
      expect(missing.status).toBe(404);
      const tasks = await request(backend.server).get(
        '/api/scaffolder/v2/tasks',
      );
      expect(tasks.status).toBe(401);

      const actions = await request(backend.server)
        .get('/api/scaffolder/v2/actions')
        .set('Authorization', mockCredentials.user.header());
      const ids = actions.body.map((a: { id: string }) => a.id);
      expect(ids).toEqual(
        expect.arrayContaining([
          'provisioning:resource:create',
          'provisioning:resource:await',
          'provisioning:resource:release',
          'publish:paved-git',
          'paved:catalog:register',
        ]),
      );
    } finally {
      // The scaffolder (4.2) polls each task's events once a second until it reads the completion event, with
      // no error handler: let those loops end before the backend and its database go away.
      await new Promise(done => setTimeout(done, 2500));
      await backend.stop();
    }
  });
});

