import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { applyDatabaseMigrations } from '../../database/migrations';
import { SampleStore } from '../../database/SampleStore';
import { IncidentStore } from '../../database/IncidentStore';
import { StatusService } from './StatusService';

jest.setTimeout(60_000);

/** A chain c0 -> c1 -> ... -> c5 -> c0 (a cycle), each with a health URL. */
function chainEntities(): Entity[] {
  return Array.from({ length: 6 }, (_, i) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: `c${i}`,
      namespace: 'default',
      annotations: { 'paved.dev/health-url': `http://localhost/${i}` },
    },
    spec: { owner: 'team' },
    relations: [
      { type: 'dependsOn', targetRef: `component:default/c${(i + 1) % 6}` },
      ...(i === 0
        ? [{ type: 'dependsOn', targetRef: 'component:default/ghost' }]
        : []),
    ],
  }));
}

describe('StatusService roll-up', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  async function setup(maxDepth: number, now: number, staleAfterMs = 60_000) {
    const knex = await databases.init('SQLITE_3');
    await applyDatabaseMigrations(knex);
    const samples = SampleStore.create({ knex });
    const service = StatusService.create({
      catalog: catalogServiceMock({ entities: chainEntities() }),
      samples,
      incidents: IncidentStore.create({ knex }),
      maxDepth,
      staleAfterMs,
      clock: () => now,
    });
    return { knex, samples, service };
  }

  it('walks a cycle once, stops at the depth limit and lists unknown refs', async () => {
    const now = Date.UTC(2026, 10, 22, 12, 0);
    const { knex, samples, service } = await setup(3, now, 4 * 3600_000);
    for (let i = 0; i < 6; i++) {
      await samples.recordSamples([
        {
          entityRef: `component:default/c${i}`,
          at: i === 3 ? Date.UTC(2026, 10, 22, 10, 42) : now,
          state: i === 3 ? 'down' : 'up',
          source: 'probe',
        },
      ]);
    }
    const status = await service.getEntityStatus(
      'component:default/c0',
      mockCredentials.user(),
    );
    expect(
      status.dependencies.map(d => [d.entityRef, d.depth, d.state]),
    ).toEqual([
      ['component:default/c1', 1, 'up'],
      ['component:default/ghost', 1, 'unknown'],
      ['component:default/c2', 2, 'up'],
      ['component:default/c3', 3, 'down'],
    ]);
    expect(status.dependenciesTruncated).toBe(true);
    expect(status.state).toBe('degraded');
    expect(status.reasons.map(r => r.message)).toEqual([
      'degraded: c3 is down since 10:42 UTC (via c1 → c2)',
    ]);

    // from c4 the chain wraps around: c5, c0, c1 (and ghost) — c4 itself is not revisited
    const wrapped = await service.getEntityStatus(
      'component:default/c4',
      mockCredentials.user(),
    );
    expect(wrapped.dependencies.map(d => d.entityRef)).toEqual([
      'component:default/c5',
      'component:default/c0',
      'component:default/c1',
      'component:default/ghost',
    ]);
    expect(wrapped.state).toBe('up');
    expect(wrapped.reasons).toEqual([]);
    await knex.destroy();
  });

  it('marks stale and missing probe results unknown', async () => {
    const now = Date.UTC(2026, 10, 22, 12, 0);
    const { knex, samples, service } = await setup(1, now);
    await samples.recordSamples([
      {
        entityRef: 'component:default/c0',
        at: now - 10 * 60_000,
        state: 'up',
        source: 'probe',
      },
    ]);
    const stale = await service.getEntityStatus(
      'component:default/c0',
      mockCredentials.user(),
    );
    expect(stale.healthState).toBe('unknown');
    expect(stale.reasons[0].message).toBe(
      'unknown: no probe result since 11:50 UTC',
    );
    const never = await service.getEntityStatus(
      'component:default/c1',
      mockCredentials.user(),
    );
    expect(never.state).toBe('unknown');
    expect(never.reasons[0].message).toBe('unknown: not probed yet');
    await knex.destroy();
  });

  it('reports invalid or disallowed health URLs as a configuration problem, ignoring old samples', async () => {
    const now = Date.UTC(2026, 10, 22, 12, 0);
    const knex = await databases.init('SQLITE_3');
    await applyDatabaseMigrations(knex);
    const samples = SampleStore.create({ knex });
    const component = (name: string, url: string): Entity => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name,
        namespace: 'default',
        annotations: { 'paved.dev/health-url': url },
      },
      spec: { owner: 'team' },
    });
    const service = StatusService.create({
      catalog: catalogServiceMock({
        entities: [
          component('outside', 'https://example.com/healthz'),
          component('garbage', 'not a url'),
          component('metadata', 'http://169.254.169.254/latest/meta-data'),
          component('fine', 'http://localhost:7101/healthz'),
        ],
      }),
      samples,
      incidents: IncidentStore.create({ knex }),
      maxDepth: 1,
      staleAfterMs: 60_000,
      probeAllow: ['localhost', '169.254.169.254'],
      clock: () => now,
    });
    // A sample from before the allow list changed must not make it look probed.
    await samples.recordSamples([
      {
        entityRef: 'component:default/outside',
        at: now - 1000,
        state: 'up',
        source: 'probe',
      },
    ]);
    const messages = async (name: string) => {
      const status = await service.getEntityStatus(
        `component:default/${name}`,
        mockCredentials.user(),
      );
      return {
        state: status.state,
        reasons: status.reasons.map(r => r.message),
      };
    };
    expect(await messages('outside')).toEqual({
      state: 'unknown',
      reasons: [
        'unknown: health URL not allowed: host example.com is not in serviceStatus.probes.allow',
      ],
    });
    expect(await messages('garbage')).toEqual({
      state: 'unknown',
      reasons: ['unknown: health URL not allowed: invalid URL'],
    });
    expect(await messages('metadata')).toEqual({
      state: 'unknown',
      reasons: [
        'unknown: health URL not allowed: address 169.254.169.254 is link-local or a cloud metadata address',
      ],
    });
    expect(await messages('fine')).toEqual({
      state: 'unknown',
      reasons: ['unknown: not probed yet'],
    });
    await knex.destroy();
  });
});
