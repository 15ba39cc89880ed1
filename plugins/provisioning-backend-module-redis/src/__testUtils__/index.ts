import { mockServices } from '@backstage/backend-test-utils';
import { randomBytes, randomUUID } from 'node:crypto';
import type {
  DriverContext,
  DriverResource,
} from '@paved/backstage-plugin-provisioning-node';

/** Admin URL of the Redis server the tests use. */
export const TEST_REDIS_URL =
  process.env.PAVED_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function testResource(
  overrides: Partial<DriverResource> = {},
): DriverResource {
  return {
    id: randomUUID(),
    name: `paved-t-${randomBytes(4).toString('hex')}`,
    owner: 'group:default/orders-team',
    parameters: { size: 'small' },
    type: {
      id: 'redis',
      title: 'Redis cache',
      description: 'A key prefix on the shared Redis',
      driver: 'redis',
      parameters: { type: 'object' },
      pricing: { small: 5 },
      policy: { approvalRequiredForSizes: [] },
      repairDrift: false,
      entityType: 'cache',
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
