import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { ListStatusesQuery } from '@paved/backstage-plugin-service-status-common';
import { applyDatabaseMigrations } from '../../database/migrations';
import { SampleStore } from '../../database/SampleStore';
import { IncidentStore } from '../../database/IncidentStore';
import { SnapshotStore } from '../../database/SnapshotStore';
import { StatusService } from './StatusService';

jest.setTimeout(60_000);

const NOW = Date.UTC(2026, 10, 22, 12, 0);

function component(
  name: string,
  owner: string,
  options: { system?: string; dependsOn?: string[]; kind?: string } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: options.kind ?? 'Component',
    metadata: {
      name,
      namespace: 'default',
      title: `Title ${name}`,
      annotations: { 'paved.dev/health-url': `http://localhost/${name}` },
    },
    spec: { owner, ...(options.system ? { system: options.system } : {}) },
    relations: [
      { type: 'ownedBy', targetRef: `group:default/${owner}` },
      ...(options.system
        ? [{ type: 'partOf', targetRef: `system:default/${options.system}` }]
        : []),
      ...(options.dependsOn ?? []).map(d => ({
        type: 'dependsOn',
        targetRef: d,
      })),
    ],
  };
}

function entities(): Entity[] {
  const list = [
    component('a-api', 'orders', {
      system: 'shop',
      dependsOn: ['resource:default/db'],
    }),
    component('b-web', 'orders', {
      system: 'shop',
      dependsOn: ['component:default/a-api'],
    }),
    component('c-worker', 'payments', { system: 'pay' }),
    component('d-lib', 'payments'),
    component('e-job', 'storefront', { system: 'shop' }),
    component('db', 'platform', { kind: 'Resource' }),
    component('sys-only', 'platform', { kind: 'System' }),
  ];
  // dependencyOf relations, as the catalog would emit them
  for (const e of list) {
    for (const r of e.relations ?? []) {
      if (r.type === 'dependsOn') {
        const target = list.find(
          t =>
            `${t.kind.toLocaleLowerCase('en-US')}:default/${
              t.metadata.name
            }` === r.targetRef,
        );
        target?.relations?.push({
          type: 'dependencyOf',
          targetRef: `${e.kind.toLocaleLowerCase('en-US')}:default/${
            e.metadata.name
          }`,
        });
      }
    }
  }
  return list;
}

const STATES: Record<string, 'up' | 'degraded' | 'down'> = {
  'a-api': 'up',
  'b-web': 'up',
  'c-worker': 'down',
  'd-lib': 'degraded',
  'e-job': 'up',
  db: 'down',
};

describe('StatusService snapshot', () => {
  const databases = TestDatabases.create();

  async function setup(databaseId: string, list: Entity[] = entities()) {
    const knex = await databases.init(databaseId as any);
    await applyDatabaseMigrations(knex);
    const samples = SampleStore.create({ knex });
    const incidents = IncidentStore.create({ knex });
    const snapshots = SnapshotStore.create({ knex });
    for (const [name, state] of Object.entries(STATES)) {
      await samples.recordSamples([
        {
          entityRef: `${
            name === 'db' ? 'resource' : 'component'
          }:default/${name}`,
          at: NOW - 60_000,
          state,
          source: 'probe',
          ...(state === 'down'
            ? { error: 'HTTP 503 Service Unavailable' }
            : {}),
        },
      ]);
    }
    const options = {
      catalog: catalogServiceMock({ entities: list }),
      samples,
      incidents,
      maxDepth: 5,
      staleAfterMs: 300_000,
      clock: () => NOW,
    };
    const live = StatusService.create(options);
    const service = StatusService.create({
      ...options,
      snapshots,
      auth: mockServices.auth(),
    });
    return { knex, samples, incidents, snapshots, live, service, options };
  }

  const credentials = mockCredentials.service();

  async function allPages(
    service: StatusService,
    query: ListStatusesQuery,
  ): Promise<{ pages: number; refs: string[]; items: unknown[] }> {
    const items: unknown[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await service.listStatuses(
        { ...query, cursor },
        credentials,
      );
      pages += 1;
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor && pages < 20);
    return {
      pages,
      refs: items.map(i => (i as { entityRef: string }).entityRef),
      items,
    };
  }

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('falls back to the live computation before the first snapshot run', async () => {
      const { knex, snapshots, live, service } = await setup(databaseId);
      expect(await snapshots.hasRows()).toBe(false);
      const fromService = await service.listStatuses({}, credentials);
      expect(fromService).toEqual(await live.listStatuses({}, credentials));
      expect(fromService.items).toHaveLength(6);
      await knex.destroy();
    });

    it('writes one row per Component and Resource and serves the same answers as the live computation', async () => {
      const { knex, live, service } = await setup(databaseId);
      expect(await service.writeSnapshot(credentials)).toEqual({
        written: 6,
        unchanged: 0,
        deleted: 0,
      });
      const rows = await knex('status_snapshot')
        .select('entity_ref', 'kind', 'owner', 'system', 'state')
        .orderBy('entity_ref');
      expect(rows).toEqual([
        {
          entity_ref: 'component:default/a-api',
          kind: 'component',
          owner: 'group:default/orders',
          system: 'system:default/shop',
          state: 'degraded',
        },
        {
          entity_ref: 'component:default/b-web',
          kind: 'component',
          owner: 'group:default/orders',
          system: 'system:default/shop',
          state: 'degraded',
        },
        {
          entity_ref: 'component:default/c-worker',
          kind: 'component',
          owner: 'group:default/payments',
          system: 'system:default/pay',
          state: 'down',
        },
        {
          entity_ref: 'component:default/d-lib',
          kind: 'component',
          owner: 'group:default/payments',
          system: null,
          state: 'degraded',
        },
        {
          entity_ref: 'component:default/e-job',
          kind: 'component',
          owner: 'group:default/storefront',
          system: 'system:default/shop',
          state: 'up',
        },
        {
          entity_ref: 'resource:default/db',
          kind: 'resource',
          owner: 'group:default/platform',
          system: null,
          state: 'down',
        },
      ]);

      const queries: ListStatusesQuery[] = [
        {},
        { limit: 2 },
        { limit: 1 },
        { owner: ['orders'] },
        { owner: ['group:default/payments', 'storefront'], limit: 2 },
        { system: ['shop'] },
        { system: ['shop'], owner: ['orders'], limit: 1 },
        { kind: ['Resource'] },
        { kind: ['component'], state: ['degraded'], limit: 1 },
        { state: ['down'] },
        { state: ['down', 'up'], limit: 2 },
        { state: ['unknown'] },
        { owner: ['nobody'] },
      ];
      for (const query of queries) {
        const fromSnapshot = await allPages(service, query);
        const fromLive = await allPages(live, query);
        expect({ query, ...fromSnapshot }).toEqual({ query, ...fromLive });
      }
      // first page and cursor behave like the live answer
      const first = await service.listStatuses({ limit: 2 }, credentials);
      expect(first.items.map(i => i.entityRef)).toEqual([
        'component:default/a-api',
        'component:default/b-web',
      ]);
      expect(first.nextCursor).toBeDefined();
      const down = await allPages(service, { state: ['down'], limit: 1 });
      expect(down.refs).toEqual([
        'component:default/c-worker',
        'resource:default/db',
      ]);
      expect(down.pages).toBe(2);
      expect(first.items[0].reasons.map(r => r.message)).toEqual([
        'degraded: Title db is down since 11:59 UTC: HTTP 503 Service Unavailable',
      ]);
      await knex.destroy();
    });

    it('deletes rows of entities gone from the catalog and reflects new health on the next run', async () => {
      const { knex, samples, service, options, snapshots } = await setup(
        databaseId,
      );
      await service.writeSnapshot(credentials);
      const fewer = StatusService.create({
        ...options,
        clock: () => NOW + 1000,
        catalog: catalogServiceMock({
          entities: entities().filter(e => e.metadata.name !== 'e-job'),
        }),
        snapshots,
      });
      await samples.recordSamples([
        {
          entityRef: 'resource:default/db',
          at: NOW + 500,
          state: 'up',
          source: 'probe',
        },
      ]);
      // only db (now up) and what depends on it (a-api, and b-web through a-api) changed
      expect(await fewer.writeSnapshot(credentials)).toEqual({
        written: 3,
        unchanged: 2,
        deleted: 1,
      });
      const page = await fewer.listStatuses({}, credentials);
      expect(page.items.map(i => [i.entityRef, i.state])).toEqual([
        ['component:default/a-api', 'up'],
        ['component:default/b-web', 'up'],
        ['component:default/c-worker', 'down'],
        ['component:default/d-lib', 'degraded'],
        ['resource:default/db', 'up'],
      ]);
      await knex.destroy();
    });

    it('returns only snapshot rows the caller can see in the catalog', async () => {
      const { knex, service, options, snapshots } = await setup(databaseId);
      await service.writeSnapshot(credentials);
      // a caller whose catalog view lacks c-worker (e.g. denied by a permission policy)
      const restricted = StatusService.create({
        ...options,
        catalog: catalogServiceMock({
          entities: entities().filter(e => e.metadata.name !== 'c-worker'),
        }),
        snapshots,
      });
      const all = await allPages(restricted, {});
      expect(all.refs).toEqual([
        'component:default/a-api',
        'component:default/b-web',
        'component:default/d-lib',
        'component:default/e-job',
        'resource:default/db',
      ]);
      const paged = await allPages(restricted, { limit: 1, state: ['down'] });
      expect(paged.refs).toEqual(['resource:default/db']);
      expect(paged.pages).toBe(2);
      await knex.destroy();
    });

    it('refreshes the entity and its dependents on incident changes, without creating rows', async () => {
      const { knex, incidents, service, snapshots } = await setup(databaseId);
      // before the first run nothing is created
      await service.refreshSnapshotFor('component:default/e-job');
      expect(await snapshots.hasRows()).toBe(false);

      await service.writeSnapshot(credentials);
      const incident = await incidents.open({
        entityRef: 'component:default/a-api',
        title: 'Errors',
        severity: 'sev1',
        state: 'investigating',
        message: 'm',
        author: 'user:default/x',
        now: NOW,
      });
      await service.refreshSnapshotFor('component:default/a-api');
      const down = await service.listStatuses({ state: ['down'] }, credentials);
      expect(down.items.map(i => [i.entityRef, i.openIncidentCount])).toEqual([
        ['component:default/a-api', 1],
        ['component:default/c-worker', 0],
        ['resource:default/db', 0],
      ]);
      const web = await service.listStatuses(
        { owner: ['orders'] },
        credentials,
      );
      expect(web.items[1].reasons.map(r => r.message)).toContain(
        "degraded: Title a-api is down since 12:00 UTC: open incident 'Errors' (sev1)",
      );

      await incidents.update(incident.id, {
        message: 'fixed',
        state: 'resolved',
        author: 'user:default/x',
        now: NOW,
      });
      await service.refreshSnapshotFor('component:default/a-api');
      const after = await service.listStatuses(
        { state: ['down'] },
        credentials,
      );
      expect(after.items.map(i => i.entityRef)).toEqual([
        'component:default/c-worker',
        'resource:default/db',
      ]);
      await knex.destroy();
    });
  });
});
