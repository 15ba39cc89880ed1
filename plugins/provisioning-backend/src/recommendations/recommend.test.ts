import type { Resource } from '@paved/backstage-plugin-provisioning-common';
import type { UtilisationDay } from '../utilisation/KnexUtilisationStore';
import { formatBytes, recommend } from './recommend';

const config = { windowDays: 7, minSampledDays: 5, targetUtilisation: 0.6 };
const type = { pricing: { small: 15, medium: 60, large: 240 } };
const capacity = { small: { connections: 10 }, medium: { connections: 25 }, large: { connections: 50 } };
const resource = (size: string, extra: Partial<Resource> = {}): Resource => ({
  id: 'r1', name: 'orders-db', type: 'postgresql', owner: 'group:default/orders-team', parameters: { size },
  state: 'ready', drifted: false, conditions: [], outputs: {}, monthlyCostUsd: 60, billable: true,
  createdBy: 'user:default/dana', createdAt: '', updatedAt: '', ...extra,
});
const days = (peaks: number[], size = 'medium', lastDay = '2026-12-07', limit = 25): UtilisationDay[] =>
  peaks.map((peak, i) => ({
    resourceId: 'r1',
    day: new Date(Date.parse(`${lastDay}T00:00:00Z`) - (peaks.length - 1 - i) * 86_400_000).toISOString().slice(0, 10),
    size, samples: 10, peakConnections: peak, connectionLimit: limit, capacity, demo: false,
  }));

describe('recommend (rightsizing rule)', () => {
  it('proposes the cheapest size that holds the peak at 60 %, with the saving from the pricing', () => {
    const rec = recommend({ resource: resource('medium'), type, days: days([1, 3, 2, 0, 1, 2, 1]), today: '2026-12-07', config });
    expect(rec).toMatchObject({
      kind: 'oversized', action: 'resize', currentSize: 'medium', recommendedSize: 'small',
      currentMonthlyCostUsd: 60, recommendedMonthlyCostUsd: 15, monthlySavingUsd: 45,
      message: 'medium -> small saves $45.00/month: peak 3 of 25 connections over 7 days',
      evidence: { windowDays: 7, from: '2026-12-01', to: '2026-12-07', sampledDays: 7, peakConnections: 3, connectionLimit: 25, demo: false },
    });
  });

  it('keeps the size when the peak does not fit a cheaper one at the target utilisation', () => {
    // 7 > 0.6 x 10: small would run at 70 %
    expect(recommend({ resource: resource('medium'), type, days: days([1, 7, 2, 0, 1, 2, 1]), today: '2026-12-07', config })).toBeUndefined();
    // large -> medium: 14 <= 0.6 x 25
    expect(
      recommend({ resource: resource('large'), type, days: days([14, 3, 2, 0, 1, 2, 1], 'large', '2026-12-07', 50), today: '2026-12-07', config }),
    ).toMatchObject({ recommendedSize: 'medium', monthlySavingUsd: 180, message: 'large -> medium saves $180.00/month: peak 14 of 50 connections over 7 days' });
  });

  it('needs the whole window measured at the current size', () => {
    // 6 days only: the window's first day is not sampled
    expect(recommend({ resource: resource('medium'), type, days: days([1, 1, 1, 1, 1, 1]), today: '2026-12-07', config })).toBeUndefined();
    // sampled at another size (resized during the window)
    expect(recommend({ resource: resource('medium'), type, days: days([1, 1, 1, 1, 1, 1, 1], 'large'), today: '2026-12-07', config })).toBeUndefined();
    // gaps: the first and last day plus 2 more = 4 < 5 sampled days
    const gappy = days([1, 1, 1, 1, 1, 1, 1]).filter((_, i) => [0, 2, 4, 6].includes(i));
    expect(recommend({ resource: resource('medium'), type, days: gappy, today: '2026-12-07', config })).toBeUndefined();
    // a resource with a pending change or not ready gets none
    expect(recommend({ resource: resource('medium', { state: 'updating' }), type, days: days([0, 0, 0, 0, 0, 0, 0]), today: '2026-12-07', config })).toBeUndefined();
  });

  it('calls a resource without any connection idle, and proposes deleting it at the cheapest size', () => {
    expect(recommend({ resource: resource('medium'), type, days: days([0, 0, 0, 0, 0, 0, 0]), today: '2026-12-07', config })).toMatchObject({
      kind: 'idle', action: 'resize', recommendedSize: 'small',
      message: 'medium -> small saves $45.00/month: idle, peak 0 of 25 connections over 7 days',
    });
    expect(
      recommend({ resource: resource('small'), type, days: days([0, 0, 0, 0, 0, 0, 0], 'small', '2026-12-07', 10), today: '2026-12-07', config }),
    ).toMatchObject({
      kind: 'idle', action: 'delete', monthlySavingUsd: 15, recommendedMonthlyCostUsd: 0,
      message: 'deleting it saves $15.00/month: idle, peak 0 of 10 connections over 7 days',
    });
  });

  it('measures memory (Redis) against each size budget', () => {
    const memDays: UtilisationDay[] = days([0, 0, 0, 0, 0, 0, 0]).map(d => ({
      ...d, peakConnections: undefined, connectionLimit: undefined, peakMemoryBytes: 2 * 1024 * 1024, memoryLimitBytes: 256 * 1024 * 1024, maxKeys: 40,
      capacity: { small: { memoryBytes: 64 * 1024 * 1024 }, medium: { memoryBytes: 256 * 1024 * 1024 } },
    }));
    expect(recommend({ resource: resource('medium'), type: { pricing: { small: 5, medium: 20 } }, days: memDays, today: '2026-12-07', config })).toMatchObject({
      kind: 'oversized', recommendedSize: 'small', monthlySavingUsd: 15,
      message: 'medium -> small saves $15.00/month: peak 2 MiB of 256 MiB memory (40 keys) over 7 days',
    });
    expect(formatBytes(1536)).toBe('1.5 KiB');
  });
});
