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
import fs from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import yaml from 'yaml';
import {
  commitAll,
  createServiceRepo,
  edit,
  TEMPLATES,
} from './__testUtils__/serviceRepo';
import { importDirectory } from './lib/adopt';
import { git } from './lib/git';
import { letTaskEventLoopsEnd } from './__testUtils__/scaffolderTasks';
import { scaffolderModuleGoldenPaths } from './module';

jest.setTimeout(120_000);

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

describe('scaffolderModuleGoldenPaths', () => {
  const dir = createMockDirectory();
  afterEach(() => dir.clear());

  it('onboards an existing repository through the "onboard-service" template in a real scaffolder', async () => {
    // Existing code, not made by a template: its README and Dockerfile clash with the golden path's.
    const src = dir.resolve('billing-src');
    fs.mkdirSync(join(src, 'src'), { recursive: true });
    fs.writeFileSync(join(src, 'README.md'), '# billing\n\nOur own README.\n');
    fs.writeFileSync(join(src, 'Dockerfile'), 'FROM node:20\n');
    fs.writeFileSync(join(src, 'src/index.js'), 'console.log(1);\n');
    const gitdir = join(dir.path, 'git', 'billing.git');
    await importDirectory({ sourceDir: src, gitdir, branch: 'main', message: 'Existing code', author: { name: 'a', email: 'a@example.com' } });

    const catalog = catalogServiceMock({
      entities: [templateEntity('typescript-service'), templateEntity('onboard-service')],
    });
    const backend = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleGoldenPaths,
        createServiceFactory({ service: catalogServiceRef, deps: {}, factory: () => catalog }),
        mockServices.rootConfig.factory({
          data: { scaffolder: { paved: { git: { directory: join(dir.path, 'git') } } } },
        }),
      ],
    });
    try {
      const created = await request(backend.server)
        .post('/api/scaffolder/v2/tasks')
        .set('Authorization', mockCredentials.user.header())
        .send({
          templateRef: 'template:default/onboard-service',
          values: {
            name: 'billing',
            description: 'Bills customers every month.',
            owner: 'user:default/mock',
            system: 'system:default/orders',
            autoMerge: true,
          },
        });
      expect(created.status).toBe(201);
      let task: any;
      for (let i = 0; i < 600; i++) {
        task = (
          await request(backend.server)
            .get(`/api/scaffolder/v2/tasks/${created.body.id}`)
            .set('Authorization', mockCredentials.user.header())
        ).body;
        if (task.status === 'completed' || task.status === 'failed') break;
        await new Promise(r => setTimeout(r, 100));
      }
      const events = await request(backend.server)
        .get(`/api/scaffolder/v2/tasks/${created.body.id}/events`)
        .set('Authorization', mockCredentials.user.header());
      const log = events.body.map((e: any) => String(e.body?.message ?? '')).join('\n');
      expect({ status: task.status, log }).toMatchObject({ status: 'completed' });
      expect(log).toContain('Conflict in README.md');
      const branch = 'paved/adopt/typescript-service-2.0.0';
      const files = (await git(['ls-tree', '-r', '--name-only', branch], { cwd: gitdir })).stdout;
      for (const f of ['README.md', 'Dockerfile', 'src/index.js', '.paved/template.json', '.github/workflows/ci.yaml', 'catalog-info.yaml']) {
        expect(files).toContain(f);
      }
      expect((await git(['show', `${branch}:README.md`], { cwd: gitdir })).stdout).toContain('Our own README.');
      // Conflicts: nothing merged into main, nothing registered.
      expect((await git(['ls-tree', '-r', '--name-only', 'main'], { cwd: gitdir })).stdout.trim().split('\n')).toEqual([
        'Dockerfile',
        'README.md',
        'src/index.js',
      ]);
    } finally {
      await letTaskEventLoopsEnd();
      await backend.stop();
    }
  });

  it('upgrades a v1 service through the "upgrade-service" template in a real scaffolder', async () => {
    const { gitdir, clone } = await createServiceRepo({ root: dir.path, version: '1.0.0' });
    await edit(clone, 'README.md', /$/, '\nOn call: #orders-oncall\n');
    await commitAll(clone, 'Our README');
    await git(['push', '--quiet', 'origin', 'main'], { cwd: clone });

    const catalog = catalogServiceMock({
      entities: [
        templateEntity('typescript-service'),
        templateEntity('upgrade-service'),
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'invoice-api', namespace: 'default' },
          // mockCredentials.user() is user:default/mock
          spec: { type: 'service', owner: 'user:default/mock', lifecycle: 'experimental' },
        },
      ],
    });
    const backend = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleGoldenPaths,
        createServiceFactory({ service: catalogServiceRef, deps: {}, factory: () => catalog }),
        mockServices.rootConfig.factory({
          data: { scaffolder: { paved: { git: { directory: join(dir.path, 'git') } } } },
        }),
      ],
    });
    try {
      const actions = await request(backend.server)
        .get('/api/scaffolder/v2/actions')
        .set('Authorization', mockCredentials.user.header());
      expect(actions.body.map((a: { id: string }) => a.id)).toEqual(
        expect.arrayContaining(['paved:template:record', 'paved:template:upgrade']),
      );

      const created = await request(backend.server)
        .post('/api/scaffolder/v2/tasks')
        .set('Authorization', mockCredentials.user.header())
        .send({
          templateRef: 'template:default/upgrade-service',
          values: { component: 'component:default/invoice-api', runTests: true },
        });
      expect(created.status).toBe(201);
      let task: any;
      for (let i = 0; i < 600; i++) {
        task = (
          await request(backend.server)
            .get(`/api/scaffolder/v2/tasks/${created.body.id}`)
            .set('Authorization', mockCredentials.user.header())
        ).body;
        if (task.status === 'completed' || task.status === 'failed') break;
        await new Promise(r => setTimeout(r, 100));
      }
      const events = await request(backend.server)
        .get(`/api/scaffolder/v2/tasks/${created.body.id}/events`)
        .set('Authorization', mockCredentials.user.header());
      const log = events.body.map((e: any) => String(e.body?.message ?? '')).join('\n');
      expect({ status: task.status, log }).toMatchObject({ status: 'completed' });
      expect(log).toContain("The upgraded service's tests passed");
      expect(log).toContain('+++ b/src/metrics.ts');
      const completion = events.body.find((e: any) => e.type === 'completion');
      expect(completion.body.output.text[0].content).toContain('1.0.0 → 2.0.0');

      const branch = 'paved/upgrade/typescript-service-2.0.0';
      const readme = await git(['show', `${branch}:README.md`], { cwd: gitdir });
      expect(readme.stdout).toContain('On call: #orders-oncall');

      // Someone who neither owns the component nor is on the platform team cannot open its upgrade.
      const other = await request(backend.server)
        .post('/api/scaffolder/v2/tasks')
        .set('Authorization', mockCredentials.user.header('user:default/mallory'))
        .send({
          templateRef: 'template:default/upgrade-service',
          values: { component: 'component:default/invoice-api', targetVersion: '2.0.0', runTests: false },
        });
      let denied: any;
      for (let i = 0; i < 300; i++) {
        denied = (
          await request(backend.server)
            .get(`/api/scaffolder/v2/tasks/${other.body.id}`)
            .set('Authorization', mockCredentials.user.header('user:default/mallory'))
        ).body;
        if (denied.status === 'completed' || denied.status === 'failed') break;
        await new Promise(r => setTimeout(r, 100));
      }
      expect(denied.status).toBe('failed');
      const provenance = await git(['show', `${branch}:.paved/template.json`], { cwd: gitdir });
      expect(JSON.parse(provenance.stdout).version).toBe('2.0.0');
    } finally {
      await letTaskEventLoopsEnd();
      await backend.stop();
    }
  });
});
