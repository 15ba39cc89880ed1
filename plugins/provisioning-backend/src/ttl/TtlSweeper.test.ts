import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import type { ResourceState } from '@paved/backstage-plugin-provisioning-common';
import { randomUUID } from 'node:crypto';
import { KnexResourceStore } from '../database/KnexResourceStore';
import { ChangeNotifier } from '../service/ChangeNotifier';
import { TransitionRunner } from '../service/TransitionRunner';
import { ttlFields } from './durations';
import { TtlSweeper } from './TtlSweeper';

jest.setTimeout(60_000);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const REMINDERS = [2 * DAY, 2 * HOUR, 30 * MINUTE];
const T0 = Date.parse('2026-12-01T12:00:00.000Z');

describe('TtlSweeper', () => {
  const databases = TestDatabases.create();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let store: KnexResourceStore;
    let now = T0;
    const sent: NotificationSendOptions[] = [];
    const kicked: string[] = [];
    const sweeper = (clock = () => now) => {
      const notifier = new ChangeNotifier({ auditor: mockServices.auditor.mock(), logger: mockServices.logger.mock() });
      const runner = new TransitionRunner({ store, notifier, now: clock });
      return new TtlSweeper({
        store,
        runner,
        kick: id => kicked.push(id),
        notifications: { send: async n => void sent.push(n) },
        logger: mockServices.logger.mock(),
        remindersMs: REMINDERS,
        now: clock,
      });
    };

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      store = await KnexResourceStore.create({
        database: mockServices.database({ knex }),
      });
    });

    beforeEach(() => {
      sent.length = 0;
      kicked.length = 0;
    });

    /** A resource with a time to live of `ttlMs` set at `now`. */
    const seed = async (ttlMs: number, state: ResourceState = 'ready', name = `r-${randomUUID().slice(0, 8)}`) => {
      const id = randomUUID();
      const f = ttlFields(ttlMs, now, REMINDERS);
      await store.createResource(
        {
          id, name, type: 'memdb', owner: 'group:default/orders-team', parameters: {}, state,
          drifted: false, conditions: [], outputs: {}, monthlyCostUsd: 0, billable: state === 'ready',
          createdBy: 'user:default/dana', createdAt: new Date(now).toISOString(), updatedAt: new Date(now).toISOString(),
          attempts: 0, ttlMs: f.ttlMs, expiresAt: new Date(f.expiresAtMs).toISOString(),
          ttlRemindersSent: f.ttlRemindersSent,
        },
        { actor: 'user:default/dana', type: 'created', toState: state, message: 'seeded' },
      );
      return id;
    };
    const titles = () => sent.map(n => n.payload.title);

    it('reminds 2 days, 2 hours and 30 minutes before expiry, each once, then deletes through the lifecycle', async () => {
      now = T0;
      const s = sweeper();
      const id = await seed(3 * DAY, 'ready', `week-${databaseId.length}`);
      expect(await s.sweep()).toEqual({ expired: 0, reminded: 0 });

      now = T0 + DAY - MINUTE; // 2 days and 1 minute left
      expect((await s.sweep()).reminded).toBe(0);
      now = T0 + DAY; // exactly 2 days left
      expect(await s.sweep()).toEqual({ expired: 0, reminded: 1 });
      expect(titles()).toEqual([expect.stringMatching(/memdb\/week-\d+ expires in 2d$/)]);
      expect(sent[0].recipients).toEqual({ type: 'entity', entityRef: 'group:default/orders-team' });
      expect(sent[0].payload).toMatchObject({ link: `/provisioning/resources/${id}`, topic: 'provisioning', scope: `provisioning-ttl:${id}` });
      now = T0 + 2 * DAY; // a day later: nothing new
      expect((await s.sweep()).reminded).toBe(1 - 1);

      now = T0 + 3 * DAY - 2 * HOUR + MINUTE; // 1h59m left
      expect((await s.sweep()).reminded).toBe(1);
      expect((await s.sweep()).reminded).toBe(0);
      now = T0 + 3 * DAY - 30 * MINUTE;
      expect((await s.sweep()).reminded).toBe(1);
      expect(titles().slice(1)).toEqual([
        expect.stringMatching(/expires in 1h 59m$/),
        expect.stringMatching(/expires in 30m$/),
      ]);
      expect(sent[2].payload.severity).toBe('high');

      now = T0 + 3 * DAY - 1; // not yet
      expect(await s.sweep()).toEqual({ expired: 0, reminded: 0 });
      expect((await store.getResource(id))!.state).toBe('ready');

      now = T0 + 3 * DAY;
      expect(await s.sweep()).toEqual({ expired: 1, reminded: 0 });
      const r = (await store.getResource(id))!;
      expect(r).toMatchObject({ state: 'deleting', pendingOperation: 'delete', reason: 'Expired: time to live of 3d ended' });
      expect(kicked).toEqual([id]);
      const events = await store.listEvents(id);
      expect(events.filter(e => e.type === 'ttl-reminder')).toHaveLength(3);
      expect(events.filter(e => e.type === 'expired')).toEqual([expect.objectContaining({
        type: 'expired', fromState: 'ready', toState: 'deleting', actor: 'plugin:provisioning',
        message: 'expired: time to live of 3d ended',
      })]);
      // deleting: not expired again
      now += HOUR;
      expect(await s.sweep()).toEqual({ expired: 0, reminded: 0 });
    });

    it('sends only the nearest reminder for a short time to live, and an extension starts the reminders again', async () => {
      now = T0;
      const s = sweeper();
      const id = await seed(2 * HOUR); // 2d and 2h reminders are already past when it is created
      now = T0 + HOUR + 30 * MINUTE;
      expect(await s.sweep()).toEqual({ expired: 0, reminded: 1 });
      expect(titles()).toEqual([expect.stringMatching(/expires in 30m$/)]);

      // the owner extends it by 3 days from now (what ResourceService.extend writes)
      await store.updateResource(id, ttlFields(3 * DAY, now, REMINDERS));
      const extendedAt = now;
      now = extendedAt + HOUR; // the old expiry has passed: nothing happens
      expect(await s.sweep()).toEqual({ expired: 0, reminded: 0 });
      now = extendedAt + DAY;
      expect(await s.sweep()).toEqual({ expired: 0, reminded: 1 });
      now = extendedAt + 3 * DAY - 2 * HOUR;
      expect((await s.sweep()).reminded).toBe(1);
      now = extendedAt + 3 * DAY - 10 * MINUTE;
      expect((await s.sweep()).reminded).toBe(1);
      expect(titles().slice(1)).toEqual([
        expect.stringMatching(/expires in 2d$/),
        expect.stringMatching(/expires in 2h$/),
        expect.stringMatching(/expires in 10m$/),
      ]);
      now = extendedAt + 3 * DAY;
      expect((await s.sweep()).expired).toBe(1);
      expect((await store.getResource(id))!.state).toBe('deleting');
    });

    it('expires awaiting-approval and failed resources through the lifecycle too', async () => {
      now = T0;
      const s = sweeper();
      const waiting = await seed(HOUR, 'awaiting-approval');
      const failed = await store.createResource(
        {
          id: randomUUID(), name: `f-${randomUUID().slice(0, 8)}`, type: 'memdb', owner: 'group:default/orders-team',
          parameters: {}, state: 'failed', pendingOperation: 'create', drifted: false, conditions: [], outputs: {},
          monthlyCostUsd: 0, billable: false, createdBy: 'user:default/dana', createdAt: '', updatedAt: '',
          attempts: 0, ttlMs: HOUR, expiresAt: new Date(T0 + HOUR).toISOString(), ttlRemindersSent: 3,
        },
        { actor: 'user:default/dana', type: 'created', toState: 'failed', message: 'seeded' },
      );
      now = T0 + HOUR;
      expect((await s.sweep()).expired).toBe(2);
      expect((await store.getResource(waiting))!.state).toBe('deleted');
      expect((await store.getResource(failed.id))!.state).toBe('deleting');
      expect(kicked).toEqual([failed.id]);
    });

    it('an extension between finding and deleting an expired resource wins', async () => {
      now = T0;
      const id = await seed(HOUR);
      now = T0 + HOUR;
      const notifier = new ChangeNotifier({ auditor: mockServices.auditor.mock(), logger: mockServices.logger.mock() });
      // the owner extends right after the sweep read the (stale) expired resource
      const racing = {
        findExpired: async (at: number, limit: number) => {
          const found = await store.findExpired(at, limit);
          await store.updateResource(id, ttlFields(2 * HOUR, at, REMINDERS));
          return found;
        },
        claimReminders: (o: Parameters<KnexResourceStore['claimReminders']>[0]) => store.claimReminders(o),
      } as unknown as KnexResourceStore;
      const s = new TtlSweeper({
        store: racing,
        runner: new TransitionRunner({ store, notifier, now: () => now }),
        kick: k => kicked.push(k),
        logger: mockServices.logger.mock(),
        remindersMs: REMINDERS,
        now: () => now,
      });
      expect((await s.sweep()).expired).toBe(0);
      const r = (await store.getResource(id))!;
      expect(r.state).toBe('ready');
      expect(Date.parse(r.expiresAt!)).toBe(T0 + 3 * HOUR);
      expect((await store.listEvents(id)).map(e => e.type)).not.toContain('expired');
    });

    it('two replicas sweeping at the same time send each reminder and expire each resource once', async () => {
      now = T0;
      const ids = await Promise.all(Array.from({ length: 120 }, () => seed(3 * DAY)));
      const a = sweeper();
      const b = sweeper();
      now = T0 + DAY + HOUR;
      const [ra, rb] = await Promise.all([a.sweep(), b.sweep()]);
      expect(ra.reminded + rb.reminded).toBe(120);
      expect(new Set(sent.map(n => n.payload.link)).size).toBe(120);
      now = T0 + 3 * DAY;
      const [ea, eb] = await Promise.all([a.sweep(), b.sweep()]);
      expect(ea.expired + eb.expired).toBe(120);
      expect(ea.reminded + eb.reminded).toBe(0);
      for (const id of ids) {
        const events = await store.listEvents(id);
        expect(events.filter(e => e.type === 'expired')).toHaveLength(1);
        expect(events.filter(e => e.type === 'ttl-reminder')).toHaveLength(1);
      }
    });
  });
});
