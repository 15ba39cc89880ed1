import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { ResourceState } from '@paved/backstage-plugin-provisioning-common';
import type { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { KnexResourceStore } from '../database/KnexResourceStore';
import type { ChangeNotifier, ResourceChange } from './ChangeNotifier';
import { AnnouncementSweeper, ANNOUNCEMENT_SWEEP_DEFAULTS } from './AnnouncementSweeper';
import { TransitionRunner } from './TransitionRunner';

jest.setTimeout(60_000);

const GRACE = ANNOUNCEMENT_SWEEP_DEFAULTS.gracePeriodMs;
const LEASE = ANNOUNCEMENT_SWEEP_DEFAULTS.leaseMs;

describe('announcement outbox', () => {
  const databases = TestDatabases.create();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let knex: Knex;
    let store: KnexResourceStore;
    /** The sweepers' clock; events are recorded at the store's real time, so tests set it relative to `Date.now()`. */
    let now = Date.now();

    /** A notifier that records what it announced; `failures` makes the next calls reject (a crash mid-announcement). */
    const recordingNotifier = (failures = 0) => {
      const announced: ResourceChange[] = [];
      let left = failures;
      const notifier = {
        notify: jest.fn(async (change: ResourceChange) => {
          if (left > 0) {
            left -= 1;
            throw new Error('replica killed');
          }
          announced.push(change);
        }),
      } as unknown as ChangeNotifier;
      return { notifier, announced };
    };
    const sweeperWith = (notifier: ChangeNotifier, options: { batchSize?: number } = {}) =>
      new AnnouncementSweeper({ store, notifier, logger: mockServices.logger.mock(), now: () => now, ...options });

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      store = await KnexResourceStore.create({ database: mockServices.database({ knex }) });
    });

    beforeEach(async () => {
      // nothing of an earlier test is left to announce
      await knex('provisioning_events').update({ announced_at: 1 });
    });

    const seed = async (state: ResourceState) => {
      const id = randomUUID();
      const at = new Date().toISOString();
      await store.createResource(
        {
          id, name: `r-${id.slice(0, 8)}`, type: 'memdb', owner: 'group:default/orders-team', parameters: {}, state,
          drifted: false, conditions: [], outputs: {}, monthlyCostUsd: 0, billable: false,
          createdBy: 'user:default/dana', createdAt: at, updatedAt: at, attempts: 0,
        },
        { actor: 'user:default/dana', type: 'created', toState: state, message: 'seeded' },
      );
      return (await store.getResource(id))!;
    };
    const announcedAt = async (resourceId: string, type: string) =>
      (await knex('provisioning_events').where({ resource_id: resourceId, type }).select('announced_at')).map(r =>
        r.announced_at === null ? null : Number(r.announced_at),
      );

    it('announces a transition whose announcement crashed once the grace period is over, not before, and exactly once', async () => {
      const r = await seed('awaiting-approval');
      const crashing = recordingNotifier(1);
      const runner = new TransitionRunner({ store, notifier: crashing.notifier });
      const before = Date.now();
      await expect(
        runner.run({
          resource: r, event: 'approve', actor: 'user:default/pat', message: 'Approved by pat',
          auditEventId: 'resource-approve',
        }),
      ).rejects.toThrow('replica killed');
      const after = Date.now();
      // committed, but not announced
      expect((await store.getResource(r.id))!.state).toBe('requested');
      expect(crashing.announced).toEqual([]);
      expect(await announcedAt(r.id, 'transition')).toEqual([null]);

      const { notifier, announced } = recordingNotifier();
      const sweeper = sweeperWith(notifier);
      now = before + GRACE - 1; // within the grace period: the immediate path may still be announcing it
      expect(await sweeper.sweep()).toBe(0);
      expect(announced).toEqual([]);

      now = after + GRACE;
      expect(await sweeper.sweep()).toBe(1);
      expect(announced).toEqual([
        {
          id: r.id, name: r.name, type: 'memdb', owner: 'group:default/orders-team', eventId: 'resource-approve',
          actor: 'user:default/pat', fromState: 'awaiting-approval', toState: 'requested', message: 'Approved by pat',
          notifyOwner: true, notifyApprovers: false,
        },
      ]);
      expect(await announcedAt(r.id, 'transition')).toEqual([now]);

      // a second sweep, even much later, announces nothing more
      now += 10 * GRACE + LEASE;
      expect(await sweeper.sweep()).toBe(0);
      expect(announced).toHaveLength(1);
      // the seeded `created` event has no announcement: never announced by the sweep
      expect(await announcedAt(r.id, 'created')).toEqual([null]);
    });

    it('marks the events the normal path announced, so the sweep announces nothing', async () => {
      const a = await seed('awaiting-approval');
      const b = await seed('provisioning');
      const c = await seed('provisioning');
      const { notifier, announced } = recordingNotifier();
      const runner = new TransitionRunner({ store, notifier, now: () => 42 });
      expect(
        await runner.run({ resource: a, event: 'reject', actor: 'user:default/pat', message: 'Rejected', auditEventId: 'resource-reject' }),
      ).toBe(true);
      expect(
        await runner.runAll([
          { resource: b, event: 'succeeded', actor: 'plugin:provisioning', message: 'Ready' },
          { resource: c, event: 'failed', actor: 'plugin:provisioning', message: 'Failed' },
          // guard fails (b is no longer provisioning after the first): neither written nor announced
          { resource: b, event: 'failed', actor: 'plugin:provisioning', message: 'Failed too' },
        ]),
      ).toEqual([true, true, false]);
      expect(announced.map(x => [x.id, x.eventId, x.toState, x.notifyOwner])).toEqual([
        [a.id, 'resource-reject', 'deleted', true],
        [b.id, 'resource-transition', 'ready', true],
        [c.id, 'resource-transition', 'failed', true],
      ]);
      expect(await announcedAt(a.id, 'transition')).toEqual([42]);
      expect(await announcedAt(b.id, 'transition')).toEqual([42]);
      expect(await announcedAt(c.id, 'transition')).toEqual([42]);

      const swept = recordingNotifier();
      now = Date.now() + 10 * GRACE;
      expect(await sweeperWith(swept.notifier).sweep()).toBe(0);
      expect(swept.announced).toEqual([]);
    });

    it('leaves what a batch did not announce to the sweep and marks the rest', async () => {
      const rs = [await seed('provisioning'), await seed('provisioning'), await seed('provisioning')];
      const announced: ResourceChange[] = [];
      let calls = 0;
      const failingSecond = {
        notify: async (change: ResourceChange) => {
          calls += 1;
          if (calls === 2) throw new Error('replica killed');
          announced.push(change);
        },
      } as unknown as ChangeNotifier;
      const runner = new TransitionRunner({ store, notifier: failingSecond });
      await expect(
        runner.runAll(rs.map(r => ({ resource: r, event: 'succeeded' as const, actor: 'plugin:provisioning', message: 'Ready' }))),
      ).rejects.toThrow('replica killed');
      expect(announced.map(x => x.id)).toEqual([rs[0].id]);
      expect(await announcedAt(rs[0].id, 'transition')).toEqual([expect.any(Number)]);

      now = Date.now() + GRACE;
      const swept = recordingNotifier();
      expect(await sweeperWith(swept.notifier).sweep()).toBe(2);
      expect(swept.announced.map(x => x.id).sort()).toEqual([rs[1].id, rs[2].id].sort());
      expect(await sweeperWith(swept.notifier).sweep()).toBe(0);
    });

    it('two replicas sweeping at the same time announce each event once, in bounded batches', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 30; i += 1) {
        const r = await seed('provisioning');
        // committed with its announcement by a replica that died before announcing
        await store.updateResource(r.id, { state: 'ready' }, {
          guard: { state: 'provisioning' },
          event: {
            actor: 'plugin:provisioning', type: 'transition', fromState: 'provisioning', toState: 'ready', message: 'Ready',
            announcement: {
              auditEventId: 'resource-transition', name: r.name, type: r.type, owner: r.owner,
              fromState: 'provisioning', toState: 'ready', notifyOwner: true,
            },
          },
        });
        ids.push(r.id);
      }
      now = Date.now() + GRACE;
      const a = recordingNotifier();
      const b = recordingNotifier();
      const batches: number[] = [];
      for (let round = 0; round < 10; round += 1) {
        const counts = await Promise.all([
          sweeperWith(a.notifier, { batchSize: 20 }).sweep(),
          sweeperWith(b.notifier, { batchSize: 20 }).sweep(),
        ]);
        batches.push(...counts);
        if (counts[0] + counts[1] === 0) break;
      }
      expect(Math.max(...batches)).toBeLessThanOrEqual(20);
      const all = [...a.announced, ...b.announced].map(x => x.id);
      expect(all).toHaveLength(30);
      expect(all.sort()).toEqual([...ids].sort());
      expect(await sweeperWith(a.notifier).sweep()).toBe(0);
    });

    it('takes over the events of a sweep that died mid-batch once its claim lapses', async () => {
      const r = await seed('provisioning');
      const crashing = recordingNotifier(1);
      await expect(
        new TransitionRunner({ store, notifier: crashing.notifier }).run({
          resource: r, event: 'succeeded', actor: 'plugin:provisioning', message: 'Ready',
        }),
      ).rejects.toThrow();
      now = Date.now() + GRACE;
      // a replica claims the event and dies before announcing it
      expect(await store.claimUnannounced({ now, recordedBefore: now - GRACE, leaseMs: LEASE, limit: 10 })).toEqual([
        expect.objectContaining({ resourceId: r.id, actor: 'plugin:provisioning', message: 'Ready' }),
      ]);
      const { notifier, announced } = recordingNotifier();
      expect(await sweeperWith(notifier).sweep()).toBe(0);
      now += LEASE + 1;
      expect(await sweeperWith(notifier).sweep()).toBe(1);
      expect(announced.map(x => [x.id, x.toState])).toEqual([[r.id, 'ready']]);
    });
  });
});
