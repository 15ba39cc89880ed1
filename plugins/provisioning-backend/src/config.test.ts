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
      ttl: { sweepIntervalMs: 60000, remindersMs: [172800000, 7200000, 1800000] },
      rollouts: { tickIntervalMs: 2000, leaseDurationMs: 30000, defaultSoakMs: 60000, healthGate: 'service-status' },
      announcements: { sweepIntervalMs: 30000, gracePeriodMs: 30000 },
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
        version: '1.0.0',
        createVersion: '1.0.0',
        versions: [{ version: '1.0.0', settings: {} }],
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
        version: '1.0.0',
        createVersion: '1.0.0',
        versions: [{ version: '1.0.0', settings: {} }],
      },
    ]);
  });

  it('reads type versions and their settings', () => {
    const c = readProvisioningConfig(
      new ConfigReader({
        provisioning: {
          rollouts: { tickInterval: '5s', defaultSoak: 0, healthGate: 'none' },
          types: [
            {
              id: 'pg',
              driver: 'postgres',
              createVersion: '1.0.0',
              versions: [
                { version: '1.10.0', settings: { statementTimeout: '60s' } },
                { version: '1.0.0', description: 'first', settings: { connectionLimits: { small: 10 } } },
                { version: '1.2.0-rc.1' },
              ],
            },
            { id: 'single', driver: 'redis', version: '2.0.0', settings: { aclRules: ['+@read'] } },
          ],
        },
      }),
    );
    expect(c.rollouts).toEqual({ tickIntervalMs: 5000, leaseDurationMs: 30000, defaultSoakMs: 0, healthGate: 'none' });
    expect(c.types[0]).toMatchObject({
      version: '1.10.0',
      createVersion: '1.0.0',
      versions: [
        { version: '1.0.0', description: 'first', settings: { connectionLimits: { small: 10 } } },
        { version: '1.2.0-rc.1', settings: {} },
        { version: '1.10.0', settings: { statementTimeout: '60s' } },
      ],
    });
    expect(c.types[1]).toMatchObject({
      version: '2.0.0',
      createVersion: '2.0.0',
      versions: [{ version: '2.0.0', settings: { aclRules: ['+@read'] } }],
    });
  });

  it.each([
    [{ id: 'a', driver: 'x', version: 'v1' }, /version 'v1': must be a semantic version/],
    [{ id: 'a', driver: 'x', versions: [{ version: '1.0' }] }, /versions version '1.0'/],
    [{ id: 'a', driver: 'x', versions: [{ version: '1.0.0' }], version: '2.0.0' }, /version '2.0.0': not among the declared versions \(1.0.0\)/],
    [{ id: 'a', driver: 'x', versions: [{ version: '1.0.0' }, { version: '1.0.0' }] }, /duplicate version/],
    [{ id: 'a', driver: 'x', versions: [{ version: '1.0.0' }], settings: {} }, /either per version/],
    [{ id: 'a', driver: 'x', versions: [{ version: '1.0.0', settings: 'x' }] }, /settings: must be an object/],
  ])('rejects invalid type versions %#', (type, message) => {
    expect(() => readProvisioningConfig(new ConfigReader({ provisioning: { types: [type] } }))).toThrow(message);
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

  it('reads the announcement sweep settings (ms) and refuses non-positive ones', () => {
    const read = (announcements: unknown) =>
      readProvisioningConfig(new ConfigReader({ provisioning: { announcements } } as any)).announcements;
    expect(read({ sweepInterval: '10s', gracePeriod: { minutes: 1 } })).toEqual({
      sweepIntervalMs: 10_000,
      gracePeriodMs: 60_000,
    });
    expect(read({ gracePeriod: 5000 })).toEqual({ sweepIntervalMs: 30_000, gracePeriodMs: 5000 });
    expect(() => read({ gracePeriod: 0 })).toThrow(/provisioning.announcements.gracePeriod must be positive/);
  });

  describe('time to live', () => {
    const withType = (ttl: unknown, extra: object = {}) =>
      new ConfigReader({
        provisioning: { ...extra, types: [{ id: 'preview', driver: 'postgres', ttl }] },
      } as any);

    it('reads a type ttl as ms (strings, ISO 8601 and HumanDuration) and the sweep settings', () => {
      const c = readProvisioningConfig(
        withType(
          { default: '2h', max: 'P7D', required: true },
          { ttl: { sweepInterval: { seconds: 30 }, remindersBefore: ['1h', { days: 1 }, 'PT10M'] } },
        ),
      );
      expect(c.types[0].ttl).toEqual({ defaultMs: 7_200_000, maxMs: 7 * 86_400_000, required: true });
      expect(c.ttl).toEqual({ sweepIntervalMs: 30_000, remindersMs: [86_400_000, 3_600_000, 600_000] });
      expect(readProvisioningConfig(withType({ max: { days: 3 } })).types[0].ttl).toEqual({
        maxMs: 3 * 86_400_000,
        required: false,
      });
      expect(readProvisioningConfig(withType(undefined)).types[0].ttl).toBeUndefined();
    });

    it('refuses invalid ttl settings', () => {
      expect(() => readProvisioningConfig(withType({ default: '2h' }))).toThrow(/ttl.max: must be a positive duration/);
      expect(() => readProvisioningConfig(withType({ default: '3d', max: '2d' }))).toThrow(
        /ttl.default: must be a positive duration no longer than max/,
      );
      expect(() => readProvisioningConfig(withType({ max: 'soon' }))).toThrow(/Invalid duration 'soon'/);
      expect(() =>
        readProvisioningConfig(withType({ max: '2d' }, { ttl: { remindersBefore: ['2h', '120m'] } })),
      ).toThrow(/distinct positive durations/);
    });
  });

  describe('advanced parameters (escape hatches)', () => {
    const parameters = {
      type: 'object',
      properties: { size: { type: 'string' }, connectionLimit: { type: 'integer' }, extensions: { type: 'array' } },
    };
    const read = (advancedParameters: unknown) =>
      readProvisioningConfig(
        new ConfigReader({
          provisioning: { types: [{ id: 'pg', driver: 'postgres', parameters, advancedParameters }] },
        } as any),
      ).types[0];

    it('reads names and objects', () => {
      expect(read(undefined).advancedParameters).toBeUndefined();
      expect(
        read([
          'connectionLimit',
          { parameter: 'extensions', goldenPath: { items: { enum: ['citext'] } }, goldenPathDefault: [] },
        ]).advancedParameters,
      ).toEqual([
        { parameter: 'connectionLimit' },
        { parameter: 'extensions', goldenPath: { items: { enum: ['citext'] } }, goldenPathDefault: [] },
      ]);
    });

    it('refuses a parameter the schema does not have, and bad shapes', () => {
      expect(() => read(['poolSize'])).toThrow(/'poolSize' is not a property of the type's parameters schema/);
      expect(() => read('connectionLimit')).toThrow(/must be a list/);
      expect(() => read([{ parameter: 'extensions', goldenPath: 'x' }])).toThrow(/goldenPath: must be an object/);
    });
  });
});
