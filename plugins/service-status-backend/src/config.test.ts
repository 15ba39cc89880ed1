import { ConfigReader } from '@backstage/config';
import { readServiceStatusConfig } from './config';

describe('readServiceStatusConfig', () => {
  it('applies defaults', () => {
    expect(readServiceStatusConfig(new ConfigReader({}))).toEqual({
      probes: {
        schedule: { frequency: { seconds: 30 }, timeout: { minutes: 2 } },
        timeoutMs: 5_000,
        concurrency: 16,
        degradedLatencyMs: 1_000,
        maxRedirects: 3,
        allow: ['localhost', '127.0.0.1'],
        staleAfterMs: 300_000,
      },
      retention: {
        rawSamplesMs: 7 * 24 * 3600_000,
        hourlyMs: 90 * 24 * 3600_000,
        schedule: { frequency: { minutes: 15 }, timeout: { minutes: 10 } },
      },
      platformGroup: 'group:default/platform-team',
      rollup: { maxDepth: 5 },
    });
  });

  it('reads values in every supported form', () => {
    const config = readServiceStatusConfig(
      new ConfigReader({
        serviceStatus: {
          probes: {
            schedule: { frequency: { minutes: 1 }, timeout: '30s' },
            timeout: '2s',
            concurrency: 3,
            degradedLatencyMs: 250,
            maxRedirects: 0,
            allow: ['API.example.com:8443', '*.svc.local'],
            staleAfter: { minutes: 2 },
          },
          retention: { rawSamples: { days: 2 }, hourly: 'P30D' },
          platformGroup: 'sre',
          rollup: { maxDepth: 2 },
        },
      }),
    );
    expect(config.probes).toMatchObject({
      timeoutMs: 2_000,
      concurrency: 3,
      degradedLatencyMs: 250,
      maxRedirects: 0,
      allow: ['api.example.com:8443', '*.svc.local'],
      staleAfterMs: 120_000,
    });
    expect(config.probes.schedule.frequency).toEqual({ minutes: 1 });
    expect(config.retention.rawSamplesMs).toBe(2 * 24 * 3600_000);
    expect(config.retention.hourlyMs).toBe(30 * 24 * 3600_000);
    expect(config.platformGroup).toBe('group:default/sre');
    expect(config.rollup.maxDepth).toBe(2);
  });

  it.each([
    [{ probes: { concurrency: 0 } }, /probes.concurrency/],
    [{ probes: { allow: ['http://x'] } }, /probes.allow/],
    [{ probes: { maxRedirects: 11 } }, /probes.maxRedirects/],
    [{ rollup: { maxDepth: 100 } }, /rollup.maxDepth/],
    [{ platformGroup: 'a:b:c/d' }, /platformGroup/],
  ])('rejects invalid values %j', (serviceStatus, message) => {
    expect(() =>
      readServiceStatusConfig(new ConfigReader({ serviceStatus })),
    ).toThrow(message);
  });
});
