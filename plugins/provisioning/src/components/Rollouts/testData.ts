import type { ResourceType, Rollout } from '@paved/backstage-plugin-provisioning-common';
import { postgresType } from '../../testUtils';

/** The postgresql type at 1.1.0 with three resources behind. @internal */
export const versionedPostgres: ResourceType = {
  ...postgresType,
  version: '1.1.0',
  createVersion: '1.0.0',
  resourcesBehind: 3,
  versions: [
    { version: '1.0.0', description: 'Connection limits 10 / 25 / 50', settings: {} },
    { version: '1.1.0', description: 'Connection limits 20 / 40 / 80', settings: { connectionLimits: { small: 20 } } },
  ],
};

const item = (n: number, status: string, wave: number) => ({
  resourceId: `7f1c2a1e-0000-4000-8000-00000000010${n}`,
  name: `db-${n}`,
  owner: 'group:default/orders-team',
  previousVersion: '1.0.0',
  status: status as any,
  ...(wave === 0 && status === 'applied' ? { message: 'at 1.1.0' } : {}),
});

/** A running rollout: the canary passed, wave 2 applying. @internal */
export function makeRollout(overrides: Partial<Rollout> = {}): Rollout {
  return {
    id: '5e1c2a1e-0000-4000-8000-000000000001',
    type: 'postgresql',
    targetVersion: '1.1.0',
    status: 'running',
    strategy: 'percent',
    wavePercents: [34],
    soakSeconds: 30,
    currentWave: 1,
    total: 3,
    applied: 1,
    createdBy: 'user:default/priya.shah',
    createdAt: '2026-12-06T01:00:00.000Z',
    updatedAt: '2026-12-06T01:00:05.000Z',
    waves: [
      { index: 0, name: 'canary', status: 'passed', total: 1, applied: 1, failed: 0, rolledBack: 0, skipped: 0, items: [item(1, 'applied', 0)] },
      {
        index: 1,
        name: 'rest',
        status: 'applying',
        total: 2,
        applied: 0,
        failed: 0,
        rolledBack: 0,
        skipped: 0,
        items: [item(2, 'applying', 1), item(3, 'pending', 1)],
      },
    ],
    ...overrides,
  };
}
