/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
/* eslint-disable jest/no-export -- a shared suite, run by one test file per database */
import { letTaskEventLoopsEnd } from './scaffolderTasks';
import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { ServiceUnavailableError } from '@backstage/errors';
import Router from 'express-promise-router';
import request from 'supertest';
import { scaffolderModuleGoldenPaths } from '../module';
import type { AdoptionReport } from '../adoption/types';

jest.setTimeout(120_000);

const HOUR = 3_600_000;

function template(name: string): Entity {
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name, namespace: 'default' },
    spec: {
      owner: 'group:default/platform-team',
      type: 'service',
      parameters: [
        {
          properties: {
            name: { type: 'string' },
            owner: { type: 'string' },
            fail: { type: 'boolean' },
          },
        },
      ],
      steps: [
        { id: 'log', action: 'debug:log', input: { message: 'hello' } },
        {
          id: 'boom',
          if: '${{ parameters.fail }}',
          action: 'fs:delete',
          input: { files: ['../../outside'] },
        },
      ],
      output: {
        links: [
          {
            title: 'Component',
            entityRef: 'component:default/${{ parameters.name }}',
          },
        ],
      },
    },
  };
}

function component(
  name: string,
  owner: string,
  annotations: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', owner, lifecycle: 'experimental' },
    relations: [{ type: 'ownedBy', targetRef: `group:default/${owner}` }],
  };
}

const entities: Entity[] = [
  template('quick-service'),
  template('other-path'),
  component('svc-a', 'orders-team', {
    'backstage.io/source-template': 'template:default/quick-service',
  }),
  component('svc-b', 'orders-team', {
    'paved.dev/template': 'template:default/quick-service',
  }),
  component('svc-d', 'payments-team', {
    'paved.dev/golden-path': 'other-path',
  }),
  component('legacy-1', 'orders-team'),
  component('legacy-2', 'payments-team'),
];

/** Fakes of the service status and provisioning plugins, reached through discovery. */
const fakes = { provisioningDown: false, calls: [] as string[] };

const fakeServiceStatus = createBackendPlugin({
  pluginId: 'service-status',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
      },
      async init({ httpRouter, httpAuth }) {
        const router = Router();
        router.get('/v1/deployment-summaries', async (req, res) => {
          await httpAuth.credentials(req, { allow: ['service'] });
          fakes.calls.push(`summaries ${String(req.query.entityRef)}`);
          const refs = ([] as string[]).concat(req.query.entityRef as string[]);
          const first = new Date(Date.now() + 2 * HOUR).toISOString();
          res.json({
            items: refs
              .filter(r => ['component:default/svc-a', 'component:default/svc-b'].includes(r))
              .map(entityRef => ({
                entityRef,
                deployments: 3,
                firstDeployedAt: first,
                lastDeployedAt: first,
              })),
          });
        });
        router.get('/v1/statuses', async (req, res) => {
          await httpAuth.credentials(req, { allow: ['service'] });
          if (!req.query.cursor) {
            res.json({
              items: [{ entityRef: 'component:default/svc-a', state: 'up' }],
              nextCursor: 'page2',
            });
          } else {
            res.json({
              items: [
                { entityRef: 'component:default/svc-b', state: 'degraded' },
                { entityRef: 'component:default/svc-d', state: 'up' },
              ],
            });
          }
        });
        httpRouter.use(router);
      },
    });
  },
});

const fakeProvisioning = createBackendPlugin({
  pluginId: 'provisioning',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
      },
      async init({ httpRouter, httpAuth }) {
        const router = Router();
        router.get('/v1/resources', async (req, res) => {
          await httpAuth.credentials(req, { allow: ['service'] });
          if (fakes.provisioningDown) {
            throw new ServiceUnavailableError('maintenance');
          }
          const now = Date.now();
          res.json({
            items: [now - HOUR, now - 2 * HOUR, now - 3 * HOUR, now - 200 * 24 * HOUR].map(
              (at, i) => ({ id: `r${i}`, createdAt: new Date(at).toISOString() }),
            ),
          });
        });
        httpRouter.use(router);
      },
    });
  },
});

/**
 * The adoption suite on one database: template runs in a real scaffolder (startTestBackend), fake
 * service-status and provisioning plugins reached through discovery with plugin-to-plugin auth.
 * Each database has its own test file, so that one backend's scaffolder never outlives its
 * database into the other's tests.
 */
export function describeAdoption(
  databaseId: Parameters<TestDatabases['init']>[0],
) {
  describe(`golden-path adoption on ${databaseId}`, () => {
    let backend: Awaited<ReturnType<typeof startTestBackend>>;
    // Registered before TestDatabases' own afterAll, so the scaffolder stops before its database.
    afterAll(async () => {
      await letTaskEventLoopsEnd();
      await backend?.stop();
    });
    const databases = TestDatabases.create({ ids: [databaseId] });

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      const catalog = catalogServiceMock({ entities });
      backend = await startTestBackend({
        features: [
          scaffolderPlugin,
          scaffolderModuleGoldenPaths,
          fakeServiceStatus,
          fakeProvisioning,
          mockServices.database.factory({ knex }),
          createServiceFactory({
            service: catalogServiceRef,
            deps: {},
            factory: () => catalog,
          }),
        ],
      });
    });
    async function run(templateName: string, values: Record<string, unknown>) {
      const created = await request(backend.server)
        .post('/api/scaffolder/v2/tasks')
        .set('Authorization', mockCredentials.user.header())
        .send({ templateRef: `template:default/${templateName}`, values });
      expect(created.status).toBe(201);
      let task: { status: string } = { status: 'open' };
      for (let i = 0; i < 600; i++) {
        task = (
          await request(backend.server)
            .get(`/api/scaffolder/v2/tasks/${created.body.id}`)
            .set('Authorization', mockCredentials.user.header())
        ).body;
        if (task.status === 'completed' || task.status === 'failed') break;
        await new Promise(r => setTimeout(r, 50));
      }
      return task.status;
    }

    it('counts the funnel of template runs made in the test', async () => {
      const statuses = [
        await run('quick-service', { name: 'svc-a', owner: 'group:default/orders-team' }),
        await run('quick-service', { name: 'svc-b', owner: 'orders-team' }),
        await run('quick-service', { name: 'svc-c', owner: 'payments-team' }),
        await run('quick-service', {
          name: 'fail-1',
          owner: 'group:default/platform-team',
          fail: true,
        }),
        await run('other-path', { name: 'svc-d', owner: 'payments-team' }),
      ];
      expect(statuses).toEqual(['completed', 'completed', 'completed', 'failed', 'completed']);

      const res = await request(backend.server)
        .get('/api/scaffolder/golden-paths/v1/adoption')
        .set('Authorization', mockCredentials.user.header());
      expect(res.status).toBe(200);
      const report = res.body as AdoptionReport;
      expect(report.weeks).toBe(12);
      expect(report.warnings).toEqual([]);
      expect(report.funnel).toMatchObject({
        started: 5,
        completed: 4,
        inCatalog: 3,
        deployed: 2,
        healthy: 1,
        conversion: {
          completed: 0.8,
          inCatalog: 0.75,
          deployed: 0.667,
          healthy: 0.5,
          overall: 0.2,
        },
      });
      expect(report.funnel.medianHoursToFirstDeployment).toBeGreaterThanOrEqual(2);
      expect(report.funnel.medianHoursToFirstDeployment).toBeLessThan(2.1);

      const pick = (f: AdoptionReport['funnel']) => [
        f.started,
        f.completed,
        f.inCatalog,
        f.deployed,
        f.healthy,
      ];
      expect(report.templates.map(t => [t.templateRef, ...pick(t.funnel)])).toEqual([
        ['template:default/other-path', 1, 1, 1, 0, 0],
        ['template:default/quick-service', 4, 3, 2, 2, 1],
      ]);
      expect(report.teams.map(t => [t.team, ...pick(t.funnel)])).toEqual([
        ['group:default/orders-team', 2, 2, 2, 2, 1],
        ['group:default/payments-team', 2, 2, 1, 0, 0],
        ['group:default/platform-team', 1, 0, 0, 0, 0],
      ]);
      expect(report.goldenPathShare).toEqual({
        components: 5,
        fromGoldenPath: 3,
        share: 0.6,
        byTemplate: [
          { template: 'other-path', components: 1 },
          { template: 'template:default/quick-service', components: 2 },
        ],
      });
      expect(report.selfService.total).toBe(3);
      expect(report.selfService.weeks).toHaveLength(12);
      expect(
        report.selfService.weeks.reduce((sum, w) => sum + w.requests, 0),
      ).toBe(3);

      // One template only
      const one = await request(backend.server)
        .get('/api/scaffolder/golden-paths/v1/adoption?weeks=1&template=template:default/other-path')
        .set('Authorization', mockCredentials.user.header());
      expect(one.body.funnel).toMatchObject({ started: 1, inCatalog: 1 });
      expect(one.body.selfService.weeks).toHaveLength(1);
    });

    it('reports a source that cannot be read instead of failing', async () => {
      fakes.provisioningDown = true;
      try {
        const res = await request(backend.server)
          .get('/api/scaffolder/golden-paths/v1/adoption')
          .set('Authorization', mockCredentials.user.header());
        expect(res.status).toBe(200);
        expect(res.body.warnings).toEqual([
          expect.stringMatching(/^provisioning: .*503/),
        ]);
        expect(res.body.selfService.total).toBe(0);
        expect(res.body.funnel.started).toBe(5);
      } finally {
        fakes.provisioningDown = false;
      }
    });

    it('answers 400 for bad parameters', async () => {
      for (const q of ['weeks=0', 'weeks=x', 'template=orders', 'other=1']) {
        const res = await request(backend.server)
          .get(`/api/scaffolder/golden-paths/v1/adoption?${q}`)
          .set('Authorization', mockCredentials.user.header());
        expect({ q, status: res.status }).toEqual({ q, status: 400 });
        expect(res.body.error.name).toBe('InputError');
      }
    });
  });
}
