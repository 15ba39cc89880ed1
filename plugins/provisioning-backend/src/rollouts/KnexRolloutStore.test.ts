import { TestDatabases } from '@backstage/backend-test-utils';
import { KnexResourceStore } from '../database/KnexResourceStore';
import { KnexRolloutStore } from './KnexRolloutStore';
import type { RolloutRecord } from './types';

jest.setTimeout(180_000);

const rollout = (id: string, type = 'postgresql'): RolloutRecord => ({
  id,
  type,
  targetVersion: '1.1.0',
  status: 'running',
  strategy: 'percent',
  wavePercents: [5, 25],
  soakMs: 60_000,
  waveCount: 2,
  currentWave: 0,
  phase: 'applying',
  createdBy: 'user:default/priya',
  createdAt: 1000,
  updatedAt: 1000,
});

describe('KnexRolloutStore', () => {
  const databases = TestDatabases.create();

  it.each(databases.eachSupportedId())('stores rollouts and claims them atomically with a lease on %p', async databaseId => {
    const knex = await databases.init(databaseId);
    await KnexResourceStore.migrateUp(knex);
    const store = new KnexRolloutStore(knex);
    const items = Array.from({ length: 120 }, (_, i) => ({
      rolloutId: 'r1',
      resourceId: `res-${String(i).padStart(3, '0')}`,
      wave: i < 6 ? 0 : 1,
      name: `db-${String(i).padStart(3, '0')}`,
      owner: 'group:default/orders-team',
      previousVersion: '1.0.0',
      status: 'pending' as const,
    }));
    await store.createRollout(rollout('r1'), items);
    expect(await store.getRollout('r1')).toEqual(rollout('r1'));
    expect(await store.listItems('r1', 0)).toHaveLength(6);
    expect(await store.listItems('r1')).toHaveLength(120);
    // one active rollout per type
    await expect(store.createRollout(rollout('r2'), [])).rejects.toThrow(/already in progress \(r1\)/);
    await store.createRollout(rollout('r3', 'redis'), []);

    // claims: one worker at a time until the lease expires
    expect(await store.findClaimable(2000, 10)).toEqual(['r1', 'r3']);
    expect(await store.claim('r1', 'a', 10_000, 2000)).toBe(true);
    expect(await store.claim('r1', 'b', 10_000, 2000)).toBe(false);
    expect(await store.findClaimable(2000, 10)).toEqual(['r3']);
    expect(await store.claim('r1', 'b', 10_000, 12_001)).toBe(true);
    // a guarded update by the worker that lost its claim changes nothing
    expect(await store.updateRollout('r1', { phase: 'soaking' }, 12_002, { status: 'running', claimedBy: 'a' })).toBe(false);
    expect(await store.updateRollout('r1', { phase: 'soaking', soakUntil: 20_000 }, 12_002, { status: 'running', claimedBy: 'b' })).toBe(true);
    await store.release('r1', 'b');
    expect((await store.getRollout('r1'))!.claimedBy).toBeUndefined();

    // items: guarded status changes
    expect(await store.markApplying('r1', ['res-000', 'res-001'], 3000)).toBe(2);
    expect(await store.markApplying('r1', ['res-000'], 3000)).toBe(0);
    expect(await store.updateItem('r1', 'res-000', 'applied', 'at 1.1.0', 3000, ['applying'])).toBe(true);
    expect(await store.updateItem('r1', 'res-000', 'failed', 'x', 3000, ['applying'])).toBe(false);
    expect(await store.updateItems('r1', 'pending', 'skipped', 'aborted', 3000)).toBe(118);
    const [first, second] = await store.listItems('r1', 0);
    expect(first).toMatchObject({ status: 'applied', message: 'at 1.1.0' });
    expect(second).toMatchObject({ status: 'applying' });

    // a paused rollout is not claimable; another of the type may start once it is finished
    await store.updateRollout('r1', { status: 'paused' }, 4000);
    expect(await store.findClaimable(50_000, 10)).toEqual(['r3']);
    expect(await store.claim('r1', 'c', 10_000, 50_000)).toBe(false);
    await store.updateRollout('r1', { status: 'aborted', finishedAt: 5000 }, 5000);
    await store.createRollout(rollout('r4'), []);
    expect((await store.listRollouts({ type: 'postgresql', limit: 10 })).map(r => r.id).sort()).toEqual(['r1', 'r4']);
    expect((await store.listRollouts({ status: 'aborted', limit: 10 })).map(r => r.id)).toEqual(['r1']);
    await knex.destroy();
  });
});
