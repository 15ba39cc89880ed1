import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { StoredResource } from '../database/types';
import { builtInVerdict, ServiceStatusGate } from './gate';

const resource = (name: string, extra: Partial<StoredResource> = {}): StoredResource =>
  ({
    id: `id-${name}`,
    name,
    type: 'postgresql',
    owner: 'group:default/orders-team',
    state: 'ready',
    drifted: false,
    ...extra,
  }) as StoredResource;

const rollout = {} as any;

describe('builtInVerdict', () => {
  it('needs every resource ready and not drifted', () => {
    expect(builtInVerdict([resource('a')])).toEqual({ passed: true });
    expect(builtInVerdict([resource('a'), resource('b', { state: 'failed' })])).toEqual({
      passed: false,
      resourceId: 'id-b',
      reason: 'postgresql/b is failed, not ready',
    });
    expect(builtInVerdict([resource('c', { drifted: true, reason: 'connection limit is 7, declared 20' })])).toMatchObject({
      passed: false,
      reason: 'postgresql/c drifted: connection limit is 7, declared 20',
    });
  });
});

describe('ServiceStatusGate', () => {
  const statuses: Record<string, { status: number; body?: unknown }> = {};
  const calls: string[] = [];
  const fetchMock = (async (url: string, init: any) => {
    const ref = decodeURIComponent(new URL(url).searchParams.get('entityRef')!);
    calls.push(`${ref} ${init.headers.Authorization}`);
    const s = statuses[ref] ?? { status: 404 };
    return {
      status: s.status,
      ok: s.status < 400,
      json: async () => s.body,
    } as Response;
  }) as unknown as typeof fetch;
  const gate = new ServiceStatusGate({
    discovery: mockServices.discovery.mock({ getBaseUrl: async () => 'http://backend/api/service-status' }),
    auth: mockServices.auth(),
    catalog: catalogServiceMock({
      entities: [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'orders-api', namespace: 'default' },
          spec: { type: 'service', owner: 'orders-team', lifecycle: 'production', dependsOn: ['resource:default/orders-db'] },
          relations: [{ type: 'dependsOn', targetRef: 'resource:default/orders-db' }],
        },
      ],
    }),
    logger: mockServices.logger.mock(),
    fetch: fetchMock,
  });

  beforeEach(() => {
    for (const k of Object.keys(statuses)) delete statuses[k];
    calls.length = 0;
  });

  it('passes unknown entities and resources without probes, with a plugin token for service-status', async () => {
    statuses['resource:default/orders-db'] = { status: 200, body: { state: 'unknown' } };
    statuses['component:default/orders-api'] = { status: 200, body: { state: 'up' } };
    await expect(gate.check({ rollout, wave: 0, resources: [resource('orders-db')] })).resolves.toEqual({ passed: true });
    expect(calls).toContain(
      'component:default/orders-api Bearer mock-service-token:{"sub":"plugin:test","target":"service-status"}',
    );
  });

  it('fails when the resource is down or a component depending on it is degraded', async () => {
    statuses['resource:default/orders-db'] = { status: 200, body: { state: 'down', reasons: [{ message: 'probe failed' }] } };
    await expect(gate.check({ rollout, wave: 0, resources: [resource('orders-db')] })).resolves.toEqual({
      passed: false,
      resourceId: 'id-orders-db',
      reason: 'resource:default/orders-db is down: probe failed',
    });
    statuses['resource:default/orders-db'] = { status: 200, body: { state: 'up' } };
    statuses['component:default/orders-api'] = { status: 200, body: { state: 'degraded' } };
    await expect(gate.check({ rollout, wave: 0, resources: [resource('orders-db')] })).resolves.toEqual({
      passed: false,
      resourceId: 'id-orders-db',
      reason: 'component:default/orders-api, which depends on postgresql/orders-db, is degraded',
    });
  });

  it('fails closed when the service-status API cannot answer', async () => {
    statuses['resource:default/orders-db'] = { status: 503 };
    await expect(gate.check({ rollout, wave: 0, resources: [resource('orders-db')] })).resolves.toMatchObject({
      passed: false,
      reason: expect.stringContaining('service-status answered 503'),
    });
  });
});
