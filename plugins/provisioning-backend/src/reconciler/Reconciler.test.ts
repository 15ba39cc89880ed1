import { backoffMs, scrubSecrets } from './Reconciler';

describe('backoffMs', () => {
  it('doubles from the initial delay up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(a => backoffMs(a, 1000, 10_000))).toEqual([
      1000, 2000, 4000, 8000, 10_000, 10_000, 10_000,
    ]);
  });
});

describe('scrubSecrets', () => {
  it('removes secret values from messages', () => {
    expect(scrubSecrets('auth failed for pw=s3cretpass at host', { password: 's3cretpass' })).toBe(
      'auth failed for pw=*** at host',
    );
    expect(scrubSecrets('x'.repeat(3000), {}).length).toBeLessThanOrEqual(2001);
  });
});
