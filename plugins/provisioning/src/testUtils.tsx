import {
  Resource,
  ResourceType,
} from '@paved/backstage-plugin-provisioning-common';
import { ProvisioningApi } from './api';

/** A typed mock of every {@link ProvisioningApi} method. @internal */
export function mockProvisioningApi(): jest.Mocked<Required<ProvisioningApi>> {
  return {
    listTypes: jest.fn(),
    estimate: jest.fn(),
    listResources: jest.fn(),
    getResource: jest.fn(),
    createResource: jest.fn(),
    updateResource: jest.fn(),
    deleteResource: jest.fn(),
    listEvents: jest.fn(),
    retryResource: jest.fn(),
    approveResource: jest.fn(),
    rejectResource: jest.fn(),
    withdrawResource: jest.fn(),
    extendResource: jest.fn(),
    listApprovals: jest.fn(),
    listDependents: jest.fn(),
    getCredentials: jest.fn(),
    echoSignal: jest.fn(async (nonce: string) => ({ nonce })),
    listRollouts: jest.fn(),
    getRollout: jest.fn(),
    createRollout: jest.fn(),
    steerRollout: jest.fn(),
  };
}

/** @internal */
export const postgresType: ResourceType = {
  id: 'postgresql',
  title: 'PostgreSQL database',
  description: 'A PostgreSQL 15 database with its own role.',
  driver: 'postgres',
  parameters: {
    type: 'object',
    required: ['size'],
    properties: {
      size: {
        type: 'string',
        title: 'size',
        enum: ['small', 'medium', 'large'],
        default: 'small',
        description: 'Instance size',
      },
      extensions: {
        type: 'string',
        title: 'extensions',
        description: 'Comma-separated extensions',
      },
    },
  },
  pricing: { small: 15, medium: 60, large: 240 },
  policy: { approvalRequiredForSizes: ['large'], quotaPerOwner: 5 },
  repairDrift: true,
  entityType: 'database',
  naming: {
    pattern: '^[a-z](?:[-a-z0-9]{0,38}[a-z0-9])?$',
    maxLength: 40,
    reserved: [],
    description:
      "lowercase letters, digits and '-', starting with a letter and not ending with '-', at most 40 characters",
  },
};

/** @internal */
export const redisType: ResourceType = {
  id: 'redis',
  title: 'Redis cache',
  description: 'A Redis 7 logical database.',
  driver: 'redis',
  parameters: {
    type: 'object',
    properties: {
      size: { type: 'string', enum: ['small', 'medium'], default: 'small' },
    },
  },
  pricing: { small: 10, medium: 40 },
  policy: { approvalRequiredForSizes: [] },
  repairDrift: false,
  entityType: 'cache',
  naming: {
    pattern: '^[a-z](?:[-a-z0-9]{0,38}[a-z0-9])?$',
    maxLength: 40,
    reserved: [],
    description:
      "lowercase letters, digits and '-', starting with a letter and not ending with '-', at most 40 characters",
  },
};

let resourceCounter = 0;

/** A resource with a fresh id (permission answers are cached per resource id). @internal */
export function makeResource(overrides: Partial<Resource> = {}): Resource {
  resourceCounter += 1;
  return {
    id: `7f1c2a1e-0000-4000-8000-${String(resourceCounter).padStart(12, '0')}`,
    name: 'invoice-db',
    type: 'postgresql',
    owner: 'group:default/orders-team',
    entityRef: 'component:default/invoice-api',
    parameters: { size: 'small' },
    state: 'ready',
    drifted: false,
    conditions: [],
    outputs: { host: '127.0.0.1', port: '5432', database: 'invoice_db' },
    monthlyCostUsd: 15,
    billable: true,
    createdBy: 'user:default/dana.ortiz',
    createdAt: '2026-11-01T10:00:00.000Z',
    updatedAt: '2026-11-01T10:00:05.000Z',
    ...overrides,
  };
}

/** A `ResponseError`-like error as the client throws it. @internal */
export function apiError(statusCode: number, message: string): Error {
  const error = new Error(`Request failed with ${statusCode}`) as Error & {
    statusCode: number;
    body: unknown;
    cause: Error;
  };
  error.name = 'ResponseError';
  error.statusCode = statusCode;
  error.body = {
    error: { name: 'Error', message },
    response: { statusCode },
  };
  error.cause = new Error(message);
  return error;
}

/**
 * A signal API whose subscribers the test publishes to, e.g. `signals.publish('provisioning:resource', { id })`.
 * With `echoFrom`, that API's `echoSignal` publishes the echo back (the signal connection works, as in production);
 * without it no echo arrives and the pages treat the connection as not (yet) live.
 * @internal
 */
export function mockSignalApi(
  options: { echoFrom?: jest.Mocked<Required<ProvisioningApi>> } = {},
) {
  const subscribers = new Map<string, Set<(message: any) => void>>();
  const publish = (channel: string, message: Record<string, unknown>) => {
    for (const onMessage of [...(subscribers.get(channel) ?? [])]) {
      onMessage(message);
    }
  };
  options.echoFrom?.echoSignal.mockImplementation(async (nonce: string) => {
    publish('provisioning:resource', { echo: nonce });
    return { nonce };
  });
  return {
    subscribe: jest.fn((channel: string, onMessage: (m: any) => void) => {
      const set = subscribers.get(channel) ?? new Set();
      set.add(onMessage);
      subscribers.set(channel, set);
      return { unsubscribe: () => set.delete(onMessage) };
    }),
    publish,
  };
}
