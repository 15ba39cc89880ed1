import { TestDatabases } from '@backstage/backend-test-utils';
import { applyDatabaseMigrations } from './migrations';
import { SampleStore } from './SampleStore';
import { HOUR_MS } from './util';

jest.setTimeout(60_000);

/** Reference percentile_cont: linear interpolation between closest ranks. */
function percentileCont(values: number[], q: number) {
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

const round1 = (v: number) => Math.round(v * 10) / 10;

describe('SampleStore', () => {
  const databases = TestDatabases.create();

  async function setup(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    await applyDatabaseMigrations(knex);
    return { knex, store: SampleStore.create({ knex }) };
  }

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('keeps since while the state holds and moves it on change', async () => {
      const { store, knex } = await setup(databaseId);
      const ref = 'component:default/orders-api';
      await store.recordSamples([
        {
          entityRef: ref,
          at: 1000,
          state: 'up',
          source: 'probe',
          latencyMs: 5,
        },
      ]);
      await store.recordSamples([
        {
          entityRef: ref,
          at: 2000,
          state: 'up',
          source: 'probe',
          latencyMs: 6,
        },
      ]);
      let current = (await store.getCurrent([ref])).get(ref)!;
      expect(current).toMatchObject({
        state: 'up',
        since: 1000,
        checkedAt: 2000,
      });

      await store.recordSamples([
        {
          entityRef: ref,
          at: 3000,
          state: 'down',
          source: 'probe',
          httpStatus: 500,
          error: 'HTTP 500',
        },
      ]);
      current = (await store.getCurrent([ref])).get(ref)!;
      expect(current).toMatchObject({
        state: 'down',
        since: 3000,
        checkedAt: 3000,
        httpStatus: 500,
        error: 'HTTP 500',
      });
      expect((await store.getCurrent(['component:default/none'])).size).toBe(0);
      const recent = await store.getRecentSamples(ref, 2);
      expect(recent.map(r => r.state)).toEqual(['down', 'up']);
      expect(recent[0]).toEqual({
        entityRef: ref,
        at: new Date(3000).toISOString(),
        state: 'down',
        httpStatus: 500,
        error: 'HTTP 500',
      });
      await knex.destroy();
    });

    it('computes uptime per window and hourly p50/p95 like percentile_cont', async () => {
      const { store, knex } = await setup(databaseId);
      const ref = 'component:default/a';
      const now = Date.UTC(2026, 10, 22, 12, 30);
      const hourA = Date.UTC(2026, 10, 22, 10); // 10:00
      const hourB = Date.UTC(2026, 10, 22, 11); // 11:00
      const latA = [10, 20, 30, 40, 50, 60, 70, 80, 90, 1000];
      const latB = [5, 7, 200];
      // 30 samples across windows: one per record call (one sample per entity per call)
      const samples = [
        ...latA.map((l, i) => ({
          at: hourA + i * 60_000,
          latencyMs: l,
          state: 'up' as const,
        })),
        ...latB.map((l, i) => ({
          at: hourB + i * 60_000,
          latencyMs: l,
          state: 'degraded' as const,
        })),
        {
          at: hourB + 10 * 60_000,
          state: 'down' as const,
          latencyMs: undefined,
        },
        // 3 days ago: in 7d and 30d, not 24h
        { at: now - 3 * 24 * HOUR_MS, state: 'down' as const, latencyMs: 1 },
        // 20 days ago: in 30d only
        { at: now - 20 * 24 * HOUR_MS, state: 'up' as const, latencyMs: 1 },
        // 40 days ago: in no window
        { at: now - 40 * 24 * HOUR_MS, state: 'down' as const, latencyMs: 1 },
      ];
      for (const s of samples) {
        await store.recordSamples([{ entityRef: ref, source: 'probe', ...s }]);
      }
      // another entity must not leak into the numbers
      await store.recordSamples([
        {
          entityRef: 'component:default/b',
          at: hourA,
          state: 'down',
          source: 'probe',
          latencyMs: 99999,
        },
      ]);

      const uptime = await store.getUptime(ref, now);
      expect(uptime).toEqual([
        { window: '24h', samples: 14, uptimeRatio: 13 / 14 },
        { window: '7d', samples: 15, uptimeRatio: 13 / 15 },
        { window: '30d', samples: 16, uptimeRatio: 14 / 16 },
      ]);

      const buckets = await store.getLatencyBuckets(
        ref,
        now - 24 * HOUR_MS,
        now,
      );
      expect(buckets).toEqual([
        {
          hour: new Date(hourA).toISOString(),
          samples: 10,
          p50Ms: round1(percentileCont(latA, 0.5)),
          p95Ms: round1(percentileCont(latA, 0.95)),
        },
        {
          hour: new Date(hourB).toISOString(),
          samples: 3,
          p50Ms: round1(percentileCont(latB, 0.5)),
          p95Ms: round1(percentileCont(latB, 0.95)),
        },
      ]);
      expect(buckets[0].p50Ms).toBe(55);
      expect(buckets[0].p95Ms).toBe(590.5);

      const empty = await store.getUptime('component:default/none', now);
      expect(empty[0]).toEqual({
        window: '24h',
        samples: 0,
        uptimeRatio: null,
      });
      await knex.destroy();
    });

    it('rolls old raw samples up into hourly rows and keeps history consistent', async () => {
      const { store, knex } = await setup(databaseId);
      const ref = 'resource:default/orders-db';
      const now = Date.UTC(2026, 10, 22, 12, 0);
      const oldHour = now - 10 * 24 * HOUR_MS; // 10 days ago, an hour start
      const lat = [3, 1, 4, 1, 5, 9, 2, 6];
      for (let i = 0; i < lat.length; i++) {
        await store.recordSamples([
          {
            entityRef: ref,
            at: oldHour + i * 60_000,
            state: i === 0 ? 'down' : 'up',
            source: 'probe',
            latencyMs: lat[i],
          },
        ]);
      }
      await store.recordSamples([
        {
          entityRef: ref,
          at: now - HOUR_MS,
          state: 'up',
          source: 'probe',
          latencyMs: 7,
        },
      ]);
      // a very old hourly row that retention removes
      await knex('status_hourly').insert({
        entity_ref: ref,
        hour: now - 100 * 24 * HOUR_MS,
        samples: 1,
        up_samples: 1,
        latency_samples: 0,
      });

      const before = await store.getUptime(ref, now);
      const bucketsBefore = await store.getLatencyBuckets(
        ref,
        now - 30 * 24 * HOUR_MS,
        now,
      );

      const result = await store.rollup({
        rawBefore: now - 7 * 24 * HOUR_MS,
        hourlyBefore: now - 90 * 24 * HOUR_MS,
      });
      expect(result).toEqual({
        hoursRolledUp: 1,
        rawSamplesDeleted: 8,
        hourlyRowsDeleted: 1,
      });

      const remaining = await knex('status_samples').count({ n: '*' }).first();
      expect(Number(remaining!.n)).toBe(1);
      expect(await store.getUptime(ref, now)).toEqual(before);
      expect(before[2]).toEqual({
        window: '30d',
        samples: 9,
        uptimeRatio: 8 / 9,
      });
      const bucketsAfter = await store.getLatencyBuckets(
        ref,
        now - 30 * 24 * HOUR_MS,
        now,
      );
      expect(bucketsAfter).toEqual(bucketsBefore);
      expect(bucketsAfter[0]).toEqual({
        hour: new Date(oldHour).toISOString(),
        samples: 8,
        p50Ms: round1(percentileCont(lat, 0.5)),
        p95Ms: round1(percentileCont(lat, 0.95)),
      });

      // idempotent: nothing left to roll up
      expect(
        await store.rollup({
          rawBefore: now - 7 * 24 * HOUR_MS,
          hourlyBefore: now - 90 * 24 * HOUR_MS,
        }),
      ).toEqual({
        hoursRolledUp: 0,
        rawSamplesDeleted: 0,
        hourlyRowsDeleted: 0,
      });
      await knex.destroy();
    });
  });
});
