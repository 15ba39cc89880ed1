import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { applyDatabaseMigrations } from '../../database/migrations';
import { SampleInput, SampleStore } from '../../database/SampleStore';
import { IncidentStore } from '../../database/IncidentStore';
import { SnapshotStore } from '../../database/SnapshotStore';
import { StatusService } from './StatusService';

jest.setTimeout(120_000);

const T0 = Date.UTC(2026, 11, 1, 12, 0);
const RUN_MS = 30_000;
const RESOURCES = 200;
const COMPONENTS = 800;

function entity(
  kind: 'Component' | 'Resource',
  name: string,
  dependsOn?: string,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: {
      name,
      namespace: 'default',
      title: name.toUpperCase(),
      annotations: { 'paved.dev/health-url': `http://localhost/${name}` },
    },
    spec: { owner: 'team' },
    relations: [
      { type: 'ownedBy', targetRef: 'group:default/team' },
      ...(dependsOn ? [{ type: 'dependsOn', targetRef: dependsOn }] : []),
    ],
  };
}

/** 200 resources and 800 components, each component depending on one resource (4 per resource). */
function catalog(): Entity[] {
  return [
    ...Array.from({ length: RESOURCES }, (_, i) =>
      entity('Resource', `db-${i}`),
    ),
    ...Array.from({ length: COMPONENTS }, (_, i) =>
      entity('Component', `svc-${i}`, `resource:default/db-${i % RESOURCES}`),
    ),
  ];
}

const refOf = (e: Entity) =>
  `${e.kind.toLocaleLowerCase('en-US')}:default/${e.metadata.name}`;

describe.each(TestDatabases.create().eachSupportedId())(
  'snapshot writes on %p',
  databaseId => {
    const databases = TestDatabases.create({ ids: [databaseId] });

    it('writes only the rows whose status changed: 1 % of states change, at most 2 % of rows are written', async () => {
      const knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      const samples = SampleStore.create({ knex });
      const entities = catalog();
      const refs = entities.map(refOf);
      let now = T0;
      const service = StatusService.create({
        catalog: catalogServiceMock({ entities }),
        samples,
        incidents: IncidentStore.create({ knex }),
        snapshots: SnapshotStore.create({ knex }),
        auth: mockServices.auth(),
        maxDepth: 5,
        staleAfterMs: 300_000,
        clock: () => now,
      });
      const credentials = mockCredentials.service();
      // one probe run: every entity answers, with a latency that differs every run
      const probeRun = (down: Set<string>) =>
        samples.recordSamples(
          refs.map(
            (entityRef, i): SampleInput => ({
              entityRef,
              at: now,
              source: 'probe',
              state: down.has(entityRef) ? 'down' : 'up',
              httpStatus: down.has(entityRef) ? 503 : 200,
              latencyMs: 5 + ((i * 7 + now / 1000) % 90),
              ...(down.has(entityRef)
                ? { error: 'HTTP 503 Service Unavailable: overloaded' }
                : {}),
            }),
          ),
        );
      const rowsWrittenAt = async (at: number) =>
        Number(
          (
            await knex('status_snapshot')
              .where('updated_at', at)
              .count({ n: '*' })
          )[0].n,
        );

      // first run: every row is new
      await probeRun(new Set());
      expect(await service.writeSnapshot(credentials)).toEqual({
        written: 1000,
        unchanged: 0,
        deleted: 0,
      });

      // second run, nothing changed but probe times and latencies: nothing is written
      now += RUN_MS;
      await probeRun(new Set());
      expect(await service.writeSnapshot(credentials)).toEqual({
        written: 0,
        unchanged: 1000,
        deleted: 0,
      });
      expect(await rowsWrittenAt(now)).toBe(0);

      // third run: 1 % of the entities change state (10 of 1000, in the catalog's proportions:
      // 8 components and 2 resources). Written: those 10 plus the 8 components that depend on
      // the 2 resources (their rolled-up status changed too) = 18 rows, 1.8 %.
      now += RUN_MS;
      const changed = new Set([
        ...Array.from(
          { length: 8 },
          (_, i) => `component:default/svc-${i * 100 + 1}`,
        ),
        'resource:default/db-10',
        'resource:default/db-20',
      ]);
      await probeRun(changed);
      const result = await service.writeSnapshot(credentials);
      expect(result).toEqual({ written: 18, unchanged: 982, deleted: 0 });
      // counted in the database, not just reported
      expect(await rowsWrittenAt(now)).toBe(18);
      expect(result.written / refs.length).toBeLessThanOrEqual(0.02);
      const written = (
        await knex('status_snapshot')
          .where('updated_at', now)
          .select('entity_ref')
      )
        .map(r => r.entity_ref)
        .sort();
      expect(written).toEqual(
        [
          ...changed,
          ...[10, 20].flatMap(db =>
            [0, 1, 2, 3].map(
              k => `component:default/svc-${db + k * RESOURCES}`,
            ),
          ),
        ].sort(),
      );

      // the overview still shows the newest probe of rows that were not rewritten
      const page = await service.listStatuses(
        { kind: ['Resource'], limit: 1 },
        credentials,
      );
      expect(page.items[0]).toMatchObject({
        entityRef: 'resource:default/db-0',
        state: 'up',
        lastProbe: { at: new Date(now).toISOString(), state: 'up' },
      });
      await knex.destroy();
    });
  },
);
