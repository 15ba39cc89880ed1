import { ConfigReader } from '@backstage/config';
import { PROVISIONING_CONFIG_DEFAULTS, readProvisioningConfig } from './config';

describe('readProvisioningConfig', () => {
  it('applies defaults', () => {
    const c = readProvisioningConfig(new ConfigReader({}));
    expect(c).toEqual({
      types: [],
      approvers: 'group:default/platform-team',
      secretsKey: undefined,
      maxBodyBytes: 65536,
      reconciler: {
        sweepIntervalMs: 2000,
        driftCheckIntervalMs: 60000,
        operationTimeoutMs: 120000,
        leaseDurationMs: 30000,
        maxAttempts: 5,
        backoffInitialMs: 1000,
        backoffMaxMs: 60000,
      },
    });
    expect(PROVISIONING_CONFIG_DEFAULTS.approvers).toBe(c.approvers);
  });

  it('reads types and durations', () => {
    const c = readProvisioningConfig(
      new ConfigReader({
        provisioning: {
          approvers: 'group:default/ops',
          secrets: { key: 'k' },
          reconciler: { sweepInterval: '5s', driftCheckInterval: { minutes: 2 }, operationTimeout: 'PT30S', maxAttempts: 2 },
          types: [
            {
              id: 'postgresql',
              title: 'PostgreSQL',
              driver: 'postgres',
              parameters: { type: 'object', properties: { size: { type: 'string', enum: ['small'] } } },
              pricing: { small: 15 },
              policy: { approvalRequiredForSizes: ['large'], quotaPerOwner: 5 },
              repairDrift: true,
            },
            {
              id: 'bucket',
              driver: 'kubernetes',
              driverConfig: { cluster: 'platform', namespace: 'paved', apiVersion: 'x.io/v1', kind: 'Bucket', manifest: { spec: {} } },
            },
          ],
        },
      }),
    );
    expect(c.approvers).toBe('group:default/ops');
    expect(c.secretsKey).toBe('k');
    expect(c.reconciler).toMatchObject({ sweepIntervalMs: 5000, driftCheckIntervalMs: 120000, operationTimeoutMs: 30000, maxAttempts: 2 });
    expect(c.types).toEqual([
      {
        id: 'postgresql',
        title: 'PostgreSQL',
        description: '',
        driver: 'postgres',
        parameters: { type: 'object', properties: { size: { type: 'string', enum: ['small'] } } },
        pricing: { small: 15 },
        policy: { approvalRequiredForSizes: ['large'], quotaPerOwner: 5 },
        repairDrift: true,
        entityType: 'database',
      },
      {
        id: 'bucket',
        title: 'bucket',
        description: '',
        driver: 'kubernetes',
        parameters: { type: 'object', properties: {} },
        pricing: {},
        policy: { approvalRequiredForSizes: [] },
        repairDrift: false,
        entityType: 'database',
        driverConfig: { cluster: 'platform', namespace: 'paved', apiVersion: 'x.io/v1', kind: 'Bucket', manifest: { spec: {} } },
      },
    ]);
  });

  it.each([
    [{ types: [{ id: 'Bad Id', driver: 'x' }] }, /Invalid provisioning.types id 'Bad Id'/],
    [{ types: [{ id: 'a', driver: 'x' }, { id: 'a', driver: 'y' }] }, /Duplicate provisioning.types id 'a'/],
    [{ types: [{ id: 'a', driver: 'x', pricing: { small: -1 } }] }, /pricing.small/],
    [{ types: [{ id: 'a', driver: 'x', parameters: { type: 'string' } }] }, /must be a JSON Schema of type object/],
    [{ types: [{ id: 'a', driver: 'x', policy: { quotaPerOwner: 1.5 } }] }, /quotaPerOwner/],
    [{ reconciler: { maxAttempts: 0 } }, /maxAttempts must be positive/],
    [{ types: [{ id: 'a', driver: 'x', driverConfig: 'nope' }] }, /driverConfig: must be an object/],
  ])('rejects invalid config %#', (provisioning, message) => {
    expect(() => readProvisioningConfig(new ConfigReader({ provisioning }))).toThrow(message);
  });
});
