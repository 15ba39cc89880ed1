import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { applyDatabaseMigrations } from '../database/migrations';
import { SampleStore } from '../database/SampleStore';
import { IncidentStore } from '../database/IncidentStore';
import { StatusService } from '../services/status/StatusService';
import { createGetEntityStatusAction } from './createGetEntityStatusAction';

describe('get-entity-status action', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  it('returns the rolled-up status with reasons', async () => {
    const knex = await databases.init('SQLITE_3');
    await applyDatabaseMigrations(knex);
    const samples = SampleStore.create({ knex });
    const now = Date.UTC(2026, 10, 22, 10, 50);
    await samples.recordSamples([
      {
        entityRef: 'component:default/api',
        at: now,
        state: 'up',
        source: 'probe',
      },
      {
        entityRef: 'resource:default/db',
        at: Date.UTC(2026, 10, 22, 10, 42),
        state: 'down',
        source: 'probe',
      },
    ]);
    const status = StatusService.create({
      catalog: catalogServiceMock({
        entities: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: {
              name: 'api',
              annotations: { 'paved.dev/health-url': 'http://localhost/h' },
            },
            relations: [
              { type: 'dependsOn', targetRef: 'resource:default/db' },
            ],
          },
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Resource',
            metadata: {
              name: 'db',
              annotations: { 'paved.dev/health-url': 'http://localhost/d' },
            },
          },
        ],
      }),
      samples,
      incidents: IncidentStore.create({ knex }),
      maxDepth: 5,
      staleAfterMs: 3600_000,
      clock: () => now,
    });
    const registry = actionsRegistryServiceMock();
    createGetEntityStatusAction({ actionsRegistry: registry, status });

    const result = await registry.invoke({
      id: 'test:get-entity-status',
      input: { entityRef: 'component:default/api' },
      credentials: mockCredentials.user(),
    });
    expect(result.output).toEqual({
      entityRef: 'component:default/api',
      state: 'degraded',
      healthState: 'up',
      reasons: ['degraded: db is down since 10:42 UTC'],
      openIncidents: [],
      dependencies: [
        { entityRef: 'resource:default/db', state: 'down', depth: 1 },
      ],
    });

    await expect(
      registry.invoke({
        id: 'test:get-entity-status',
        input: { entityRef: 'component:default/missing' },
        credentials: mockCredentials.user(),
      }),
    ).rejects.toThrow("Entity 'component:default/missing' not found");
    await knex.destroy();
  });
});
