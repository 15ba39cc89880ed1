import {
  BackstageCredentials,
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  ProvisioningDriver,
  provisioningDriversExtensionPoint,
} from '@paved/backstage-plugin-provisioning-node';
import type { JsonObject, JsonValue } from '@backstage/types';
import { Knex } from 'knex';
import type { Entity } from '@backstage/catalog-model';
import {
  notificationService,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import {
  signalsServiceRef,
  SignalsService,
} from '@backstage/plugin-signals-node';
import { decideProvisioningPermission } from '../permissions/rules';
import { provisioningPlugin } from '../plugin';

export const APPROVERS = 'group:default/platform-team';

/** Who is in which group. */
export const MEMBERSHIP: Record<string, string[]> = {
  'user:default/dana': ['group:default/orders-team'],
  'user:default/pat': ['group:default/payments-team'],
  'user:default/alex': [APPROVERS],
};

const ownership = (credentials: BackstageCredentials) => {
  const p = credentials.principal as { type: string; userEntityRef?: string };
  return p.type === 'user' && p.userEntityRef
    ? [p.userEntityRef, ...(MEMBERSHIP[p.userEntityRef] ?? [])]
    : [];
};

/** The type declared in tests. */
export const testTypes = [
  {
    id: 'memdb',
    title: 'Memory DB',
    description: 'test',
    driver: 'memory',
    entityType: 'database',
    parameters: {
      type: 'object',
      additionalProperties: false,
      properties: {
        size: { type: 'string', enum: ['small', 'medium', 'large'], default: 'small' },
        version: { type: 'string', enum: ['15', '16'], default: '16' },
      },
    },
    pricing: { small: 15, medium: 60, large: 240 },
    policy: { approvalRequiredForSizes: ['large'], quotaPerOwner: 3 },
  },
  {
    id: 'selfheal',
    title: 'Repairs its drift',
    driver: 'memory',
    parameters: {
      type: 'object',
      properties: { size: { type: 'string', enum: ['small'], default: 'small' } },
    },
    repairDrift: true,
  },
  {
    id: 'nodriver',
    title: 'Needs a missing driver',
    driver: 'absent',
  },
];

export async function startProvisioningTestBackend(options: {
  knex: Knex;
  driver: ProvisioningDriver;
  types?: JsonValue[];
  reconciler?: JsonObject;
  /** `provisioning.ttl` settings. */
  ttl?: JsonObject;
  /** `provisioning.rollouts` settings (default: no service-status gate, ticks every 200 ms, no soak). */
  rollouts?: JsonObject;
  /** Captures notifications instead of sending them to the notifications backend. */
  notifications?: NotificationService;
  /** Further catalog entities (e.g. components that depend on resources). */
  entities?: Entity[];
  /** Further `provisioning` settings (e.g. `budgets`, `costs`). */
  provisioning?: JsonObject;
  /** Captures signals instead of publishing them through the events service. */
  signals?: SignalsService;
}) {
  const driverModule = createBackendModule({
    pluginId: 'provisioning',
    moduleId: 'memory-driver',
    register(reg) {
      reg.registerInit({
        deps: { ep: provisioningDriversExtensionPoint },
        async init({ ep }) {
          ep.addDriver(options.driver);
        },
      });
    },
  });
  const group = (name: string) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: [] },
  });
  return startTestBackend({
    features: [
      provisioningPlugin,
      driverModule,
      mockServices.database.factory({ knex: options.knex }),
      schedulerServiceFactory,
      mockServices.httpAuth.factory({ defaultCredentials: mockCredentials.none() }),
      mockServices.rootConfig.factory({
        data: {
          provisioning: {
            secrets: { key: 'test-passphrase-not-secret' },
            maxBodyBytes: 8192,
            types: options.types ?? testTypes,
            ...(options.ttl ? { ttl: options.ttl } : {}),
            rollouts: { healthGate: 'none', tickInterval: 200, defaultSoak: 0, ...options.rollouts },
            reconciler: {
              sweepInterval: 200,
              driftCheckInterval: 400,
              backoffInitial: 50,
              backoffMax: 200,
              maxAttempts: 3,
              leaseDuration: 2000,
              operationTimeout: 1000,
              ...options.reconciler,
            },
            ...options.provisioning,
          },
        },
      }),
      catalogServiceMock.factory({
        entities: [
          group('orders-team'),
          group('payments-team'),
          group('platform-team'),
          ...(options.entities ?? []),
        ],
      }),
      ...(options.signals
        ? [
            createServiceFactory({
              service: signalsServiceRef,
              deps: {},
              factory: () => options.signals!,
            }),
          ]
        : []),
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () =>
          options.notifications ?? { async send() {} },
      }),
      createServiceFactory({
        service: coreServices.userInfo,
        deps: {},
        factory: () => ({
          async getUserInfo(credentials: BackstageCredentials) {
            const refs = ownership(credentials);
            return { userEntityRef: refs[0], ownershipEntityRefs: refs };
          },
        }),
      }),
      createServiceFactory({
        service: coreServices.permissions,
        deps: {},
        factory: () => {
          const decide = (
            permission: any,
            credentials: BackstageCredentials,
          ): PolicyDecision => {
            const refs = ownership(credentials);
            const p = credentials.principal as { type: string };
            if (p.type !== 'user') return { result: AuthorizeResult.ALLOW };
            if (permission.name === 'provisioning.inventory.manage') {
              // as the Paved policy: the platform team only
              return { result: refs.includes(APPROVERS) ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
            }
            return (
              decideProvisioningPermission(
                { permission },
                {
                  identity: { type: 'user', userEntityRef: refs[0], ownershipEntityRefs: refs },
                  info: { userEntityRef: refs[0], ownershipEntityRefs: refs },
                  token: 'x',
                  credentials: credentials as any,
                } as any,
                { approvers: APPROVERS },
              ) ?? { result: AuthorizeResult.ALLOW }
            );
          };
          return {
            async authorize(requests: any[], opts: { credentials: BackstageCredentials }) {
              return requests.map(r => {
                const d = decide(r.permission, opts.credentials);
                if (d.result === AuthorizeResult.CONDITIONAL) {
                  throw new Error('resource checks go through authorizeConditional in this plugin');
                }
                return d as any;
              });
            },
            async authorizeConditional(requests: any[], opts: { credentials: BackstageCredentials }) {
              return requests.map(r => decide(r.permission, opts.credentials)) as any;
            },
          };
        },
      }),
    ],
  });
}

/**
 * Polls `fn` every 100 ms until `ok` accepts its result or `ms` milliseconds have
 * passed, and returns the last result either way (the caller asserts on it).
 */
export async function waitFor<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > end) return v;
    await new Promise(r => setTimeout(r, 100));
  }
}
