import { mockServices } from '@backstage/backend-test-utils';
import { randomBytes, randomUUID } from 'node:crypto';
import type {
  DriverContext,
  DriverResource,
} from '@paved/backstage-plugin-provisioning-node';

/** Admin URL of the PostgreSQL server the tests use. */
export const TEST_POSTGRES_URL =
  process.env.PAVED_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432';

/** The `provisioning.drivers.postgres.connection` config for a URL. */
export function connectionConfigFromUrl(url: string) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username || 'postgres'),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    database: u.pathname.replace(/^\//, '') || 'postgres',
  };
}

export function testResource(
  overrides: Partial<DriverResource> = {},
): DriverResource {
  return {
    id: randomUUID(),
    name: `paved-t-${randomBytes(4).toString('hex')}`,
    owner: 'group:default/orders-team',
    parameters: { size: 'small' },
    type: {
      id: 'postgresql',
      title: 'PostgreSQL database',
      description: 'A database',
      driver: 'postgres',
      parameters: { type: 'object' },
      pricing: { small: 15, medium: 40, large: 90 },
      policy: { approvalRequiredForSizes: ['large'] },
      repairDrift: false,
      entityType: 'database',
    },
    ...overrides,
  };
}

export function testContext(
  secrets: Record<string, string> = {},
): DriverContext {
  return {
    logger: mockServices.logger.mock(),
    signal: new AbortController().signal,
    secrets,
  };
}
