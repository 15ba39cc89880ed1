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
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import fs from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import yaml from 'yaml';
import { letTaskEventLoopsEnd, waitForScaffolderTasks } from '../__testUtils__/scaffolderTasks';
import { createServiceRepo, TEMPLATES } from '../__testUtils__/serviceRepo';
import { git } from '../lib/git';
import { scaffolderModuleGoldenPaths } from '../module';

jest.setTimeout(180_000);

function templateEntity(dir: string): Entity {
  const file = join(TEMPLATES, dir, 'template.yaml');
  const template = yaml.parse(fs.readFileSync(file, 'utf8'));
  return {
    ...template,
    metadata: {
      ...template.metadata,
      namespace: 'default',
      annotations: {
        ...template.metadata.annotations,
        'backstage.io/managed-by-location': `file:${file}`,
      },
    },
  };
}

function component(name: string, version: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'paved.dev/template': 'template:default/typescript-service',
        'paved.dev/template-version': version,
      },
    },
    spec: { type: 'service', owner: 'group:default/orders-team', lifecycle: 'experimental' },
  };
}

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())('golden paths fleet API on %s', databaseId => {
  const dir = createMockDirectory();
  afterEach(() => dir.clear());
  // Before TestDatabases' own afterAll drops the databases (see letTaskEventLoopsEnd).
  afterAll(() => letTaskEventLoopsEnd());

  async function start(ownership: string[]) {
    const knex = await databases.init(databaseId);
    const catalog = catalogServiceMock({
      entities: [
        templateEntity('typescript-service'),
        templateEntity('upgrade-service'),
        component('invoice-api', '1.0.0'),
        component('billing-api', '1.0.0'),
        component('shipping-api', '2.0.0'),
      ],
    });
    const refresh = jest.spyOn(catalog, 'refreshEntity').mockResolvedValue();
    const backend = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleGoldenPaths,
        createServiceFactory({ service: catalogServiceRef, deps: {}, factory: () => catalog }),
        mockServices.database.factory({ knex }),
        mockServices.userInfo.mock({
          getUserInfo: async () => ({ userEntityRef: 'user:default/dana', ownershipEntityRefs: ownership }),
        }).factory,
        mockServices.rootConfig.factory({
          data: { scaffolder: { paved: { git: { directory: join(dir.path, 'git') } } } },
        }),
      ],
    });
    return { server: backend.server, backend, refresh, knex };
  }

  const get = (server: any, path: string) =>
    request(server).get(`/api/scaffolder/golden-paths/v1${path}`).set('Authorization', mockCredentials.user.header());
  const post = (server: any, path: string, body: object = {}) =>
    request(server).post(`/api/scaffolder/golden-paths/v1${path}`).set('Authorization', mockCredentials.user.header()).send(body);

  it('shows the fleet, runs a campaign for the services behind, and merges a conflict-free upgrade', async () => {
    for (const [name, version] of [['invoice-api', '1.0.0'], ['billing-api', '1.0.0'], ['shipping-api', '2.0.0']]) {
      await createServiceRepo({ root: dir.path, version, name });
    }
    const { server, backend, refresh, knex } = await start([
      'user:default/dana',
      'group:default/orders-team',
      'group:default/platform-team',
    ]);
    try {
      const before = await get(server, '/templates');
      expect(before.status).toBe(200);
      const [template] = before.body.items;
      expect(template).toMatchObject({
        ref: 'template:default/typescript-service',
        current: '2.0.0',
        counts: { services: 3, behind: 2, open: 0 },
      });
      expect(template.versions.map((v: any) => [v.version, v.services])).toEqual([
        ['1.0.0', 2],
        ['2.0.0', 1],
      ]);
      const card = await get(server, '/entities/component/default/invoice-api');
      expect(card.body).toMatchObject({ version: '1.0.0', current: '2.0.0', behind: true });
      expect(card.body.changes[0].changes.join(' ')).toContain('/metrics');

      const started = await post(server, '/campaigns', { template: 'template:default/typescript-service' });
      expect(started.status).toBe(201);
      expect(started.body).toMatchObject({ total: 2, toVersion: '2.0.0' });
      let campaign = started.body;
      // each upgrade runs the service's own tests: on a loaded 2-core machine that can take well over a minute
      const deadline = Date.now() + 150_000;
      while (!campaign.finished && Date.now() < deadline) {
        await new Promise(r => setTimeout(r, 100));
        campaign = (await get(server, `/campaigns/${started.body.id}`)).body;
      }
      expect(campaign).toMatchObject({ finished: true, done: 2, counts: { open: 2 } });
      const after = (await get(server, '/templates')).body.items[0];
      expect(after.counts).toMatchObject({ behind: 2, open: 2 });

      const merged = await post(server, '/upgrades/invoice-api/2.0.0/merge');
      expect(merged.status).toBe(200);
      expect(merged.body.status).toBe('merged');
      const gitdir = join(dir.path, 'git', 'invoice-api.git');
      const provenance = await git(['show', 'main:.paved/template.json'], { cwd: gitdir });
      expect(JSON.parse(provenance.stdout).version).toBe('2.0.0');
      expect(refresh).toHaveBeenCalledWith('component:default/invoice-api', expect.anything());

      const again = await post(server, '/upgrades/invoice-api/2.0.0/merge');
      expect(again.status).toBe(409);
    } finally {
      await waitForScaffolderTasks(knex);
      await backend.stop();
    }
  });

  it('starts the services a killed campaign start left queued without a task', async () => {
    for (const name of ['invoice-api', 'billing-api']) {
      await createServiceRepo({ root: dir.path, version: '1.0.0', name });
    }
    const { server, backend, knex } = await start(['user:default/dana', 'group:default/platform-team']);
    try {
      const INTERRUPTED = '0b5e7a1c-1111-4222-8333-444455556666';
      // What a backend killed inside POST /campaigns leaves: the campaign, one upgrade queued without its task.
      const now = new Date();
      await knex('paved_template_campaigns').insert({
        id: INTERRUPTED,
        template: 'template:default/typescript-service',
        to_version: '2.0.0',
        created_by: 'user:default/dana',
        total: 2,
        created_at: now,
      });
      await knex('paved_template_upgrades').insert({
        repo: 'invoice-api',
        to_version: '2.0.0',
        template: 'template:default/typescript-service',
        from_version: '1.0.0',
        status: 'queued',
        conflicts: '[]',
        campaign_id: INTERRUPTED,
        updated_at: now,
      });
      const started = await post(server, '/campaigns', { template: 'template:default/typescript-service' });
      expect(started.status).toBe(201);
      expect(started.body.total).toBe(2);
      let campaign = started.body;
      const deadline = Date.now() + 150_000;
      while (!campaign.finished && Date.now() < deadline) {
        await new Promise(r => setTimeout(r, 100));
        campaign = (await get(server, `/campaigns/${started.body.id}`)).body;
      }
      expect(campaign).toMatchObject({ finished: true, counts: { open: 2 } });
      // The interrupted campaign has nothing left waiting.
      expect((await get(server, `/campaigns/${INTERRUPTED}`)).body).toMatchObject({ finished: true });
    } finally {
      await waitForScaffolderTasks(knex);
      await backend.stop();
    }
  });

  it('lets only the platform team start campaigns and only owners merge', async () => {
    await createServiceRepo({ root: dir.path, version: '1.0.0', name: 'invoice-api' });
    const { server, backend } = await start(['user:default/dana']);
    try {
      const campaign = await post(server, '/campaigns', { template: 'template:default/typescript-service' });
      expect(campaign.status).toBe(403);
      const merge = await post(server, '/upgrades/invoice-api/2.0.0/merge');
      expect(merge.status).toBe(403);
      const invalid = await post(server, '/campaigns', { template: '../etc' });
      expect(invalid.status).toBe(400);
    } finally {
      await backend.stop();
    }
  });
});
