import type { ResourceCondition } from '@paved/backstage-plugin-provisioning-common';
import { mergeConditions } from './DriftChecker';

const at = (t: string) => `2026-12-06T0${t}:00:00.000Z`;
const budget = (status: 'True' | 'False', message: string, time: string): ResourceCondition => ({
  type: 'MemoryWithinBudget',
  status,
  reason: status === 'True' ? 'WithinMemoryBudget' : 'OverMemoryBudget',
  message,
  lastTransitionTime: at(time),
});

describe('mergeConditions', () => {
  const ready: ResourceCondition = { type: 'Ready', status: 'True', reason: 'Available', lastTransitionTime: at('1') };

  it('adds a condition the driver reports for the first time and keeps the others', () => {
    const merged = mergeConditions([ready], [budget('False', 'uses 80 MiB of 64 MiB', '2')]);
    expect(merged).toEqual([ready, budget('False', 'uses 80 MiB of 64 MiB', '2')]);
  });

  it('keeps the stored condition (same array) while status and reason stay, whatever the message', () => {
    const stored = [ready, budget('False', 'uses 80 MiB of 64 MiB', '2')];
    expect(mergeConditions(stored, [budget('False', 'uses 81 MiB of 64 MiB', '3')])).toBe(stored);
    expect(mergeConditions(stored, [])).toBe(stored);
  });

  it('replaces a condition on a transition, with the message and time of the transition', () => {
    const stored = [ready, budget('False', 'uses 80 MiB of 64 MiB', '2')];
    expect(mergeConditions(stored, [budget('True', 'uses 10 MiB of 64 MiB', '4')])).toEqual([
      ready,
      budget('True', 'uses 10 MiB of 64 MiB', '4'),
    ]);
  });
});
