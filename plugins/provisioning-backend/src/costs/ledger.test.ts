import { billedSegments, ledgerDays, proratedCost } from './ledger';

const t = (iso: string) => Date.parse(iso);

describe('ledger arithmetic', () => {
  it('prorates by the seconds of each calendar month', () => {
    // a whole month costs the monthly price
    expect(proratedCost(t('2026-02-01T00:00:00Z'), t('2026-03-01T00:00:00Z'), 28)).toBeCloseTo(28, 10);
    // one day of December is 1/31 of the price
    expect(proratedCost(t('2026-12-05T00:00:00Z'), t('2026-12-06T00:00:00Z'), 31)).toBeCloseTo(1, 10);
    // across a month boundary: 12 h of November (30 days) + 12 h of December (31 days)
    expect(proratedCost(t('2026-11-30T12:00:00Z'), t('2026-12-01T12:00:00Z'), 60)).toBeCloseTo(1 + 60 / 62, 10);
  });

  it('bills only real lifetimes: never ready and failed creates cost nothing', () => {
    const until = t('2026-12-01T00:00:00Z');
    expect(
      billedSegments({
        events: [
          { at: t('2026-11-01T00:00:00Z'), toState: 'awaiting-approval' },
          { at: t('2026-11-02T00:00:00Z'), fromState: 'awaiting-approval', toState: 'deleted' },
        ],
        prices: [],
        fallbackMonthlyCostUsd: 240,
        until,
      }),
    ).toEqual([]);
    expect(
      billedSegments({
        events: [
          { at: t('2026-11-01T00:00:00Z'), toState: 'requested' },
          { at: t('2026-11-01T00:00:01Z'), fromState: 'requested', toState: 'provisioning' },
          { at: t('2026-11-01T00:10:00Z'), fromState: 'provisioning', toState: 'failed' },
          { at: t('2026-11-03T00:00:00Z'), fromState: 'failed', toState: 'deleted' },
        ],
        prices: [],
        fallbackMonthlyCostUsd: 15,
        until,
      }),
    ).toEqual([]);
  });

  it('keeps billing through a failed update and splits at a resize', () => {
    const segments = billedSegments({
      events: [
        { at: t('2026-11-10T12:00:00Z'), fromState: 'provisioning', toState: 'ready' },
        { at: t('2026-11-15T00:00:00Z'), fromState: 'ready', toState: 'updating' },
        { at: t('2026-11-15T01:00:00Z'), fromState: 'updating', toState: 'failed' },
        { at: t('2026-11-20T00:00:00Z'), fromState: 'failed', toState: 'updating' },
        { at: t('2026-11-20T06:00:00Z'), fromState: 'updating', toState: 'ready' },
      ],
      prices: [
        { at: t('2026-11-10T12:00:00Z'), monthlyCostUsd: 15, size: 'small' },
        { at: t('2026-11-20T06:00:00Z'), monthlyCostUsd: 60, size: 'medium' },
      ],
      fallbackMonthlyCostUsd: 60,
      until: t('2026-12-01T00:00:00Z'),
    });
    expect(segments).toEqual([
      { start: t('2026-11-10T12:00:00Z'), end: t('2026-11-20T06:00:00Z'), monthlyCostUsd: 15, size: 'small' },
      { start: t('2026-11-20T06:00:00Z'), end: t('2026-12-01T00:00:00Z'), monthlyCostUsd: 60, size: 'medium' },
    ]);
    const days = ledgerDays(segments);
    expect(days).toHaveLength(21);
    // first day: 12 h of small = 15 * 0.5 / 30
    expect(days[0]).toMatchObject({ day: '2026-11-10', billedHours: 12 });
    expect(days[0].costUsd).toBeCloseTo(0.25, 10);
    // the resize day: 6 h small + 18 h medium
    const resize = days.find(d => d.day === '2026-11-20')!;
    expect(resize.costUsd).toBeCloseTo(0.125 + 1.5, 10);
    expect(resize).toMatchObject({ size: 'medium', monthlyPriceUsd: 60, billedHours: 24 });
    // the month: 9.75 days small + 10.75 days medium
    expect(days.reduce((s, d) => s + d.costUsd, 0)).toBeCloseTo(4.875 + 21.5, 10);
    // restricted to days from a day on
    expect(ledgerDays(segments, '2026-11-30').map(d => d.day)).toEqual(['2026-11-30']);
  });
});
