import type { ReactNode } from 'react';
import type { Entity } from '@backstage/catalog-model';
import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import type {
  EntityHistory,
  EntityStatus,
  EntityStatusSummary,
  Incident,
} from '@paved/backstage-plugin-service-status-common';
import type { ServiceStatusApi } from '../api';

export const ORDERS_API = 'component:default/orders-api';
export const DB_MESSAGE =
  'connection limit nearly reached: 97 of 100 connections in use';

export const ordersApiEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders-api', namespace: 'default' },
  spec: {
    type: 'service',
    owner: 'group:default/orders-team',
    lifecycle: 'production',
  },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/orders-team' }],
};

export function createApiMock(): jest.Mocked<ServiceStatusApi> {
  return {
    getEntityStatus: jest.fn(),
    getEntityHistory: jest.fn(),
    listStatuses: jest.fn(),
    listDeployments: jest.fn(),
    listIncidents: jest.fn(),
    openIncident: jest.fn(),
    updateIncident: jest.fn(),
    resolveIncident: jest.fn(),
    getDeliveryMetrics: jest.fn(),
  };
}

const now = Date.now();
export const iso = (minutesAgo: number) =>
  new Date(now - minutesAgo * 60_000).toISOString();

export const openIncident: Incident = {
  id: 'inc-1',
  entityRef: ORDERS_API,
  title: 'Checkout errors',
  severity: 'sev2',
  state: 'investigating',
  createdBy: 'user:default/dana.ortiz',
  createdAt: iso(30),
  updatedAt: iso(10),
  updates: [
    {
      id: 'u-1',
      incidentId: 'inc-1',
      at: iso(30),
      author: 'user:default/dana.ortiz',
      message: 'Elevated 5xx on POST /orders',
      state: 'investigating',
      severity: 'sev2',
    },
  ],
};

export const degradedStatus: EntityStatus = {
  entityRef: ORDERS_API,
  state: 'degraded',
  healthState: 'up',
  healthSource: 'probe',
  since: iso(12),
  reasons: [
    {
      state: 'degraded',
      source: 'dependency',
      entityRef: 'resource:default/orders-db',
      entityTitle: 'Orders database',
      cause: DB_MESSAGE,
      message: `degraded: Orders database is degraded since 10:42 UTC: ${DB_MESSAGE}`,
      since: iso(12),
      path: ['resource:default/orders-db'],
    },
  ],
  lastProbe: {
    entityRef: ORDERS_API,
    at: iso(1),
    state: 'up',
    httpStatus: 200,
    latencyMs: 14.2,
  },
  openIncidents: [],
  dependencies: [
    {
      entityRef: 'resource:default/orders-db',
      title: 'Orders database',
      state: 'degraded',
      cause: DB_MESSAGE,
      depth: 1,
      via: ORDERS_API,
      since: iso(12),
    },
    {
      entityRef: 'component:default/commerce-sdk',
      state: 'up',
      depth: 1,
      via: ORDERS_API,
    },
  ],
  dependenciesTruncated: false,
  computedAt: iso(0),
};

export const history: EntityHistory = {
  entityRef: ORDERS_API,
  uptime: [
    { window: '24h', uptimeRatio: 0.9993, samples: 1440 },
    { window: '7d', uptimeRatio: 0.985, samples: 10080 },
    { window: '30d', uptimeRatio: null, samples: 0 },
  ],
  latency: [
    { hour: '2026-11-22T08:00:00.000Z', p50Ms: 12, p95Ms: 40, samples: 60 },
    { hour: '2026-11-22T10:00:00.000Z', p50Ms: 15, p95Ms: 55, samples: 60 },
  ],
  recentProbes: [],
};

export function summary(
  name: string,
  overrides: Partial<EntityStatusSummary> = {},
): EntityStatusSummary {
  return {
    entityRef: `component:default/${name}`,
    kind: 'Component',
    namespace: 'default',
    name,
    state: 'up',
    healthState: 'up',
    healthSource: 'probe',
    reasons: [],
    openIncidentCount: 0,
    ...overrides,
  };
}

/** Mount points that EntityRefLink needs. */
export const mountedRoutes = {
  '/catalog/:namespace/:kind/:name': convertLegacyRouteRef(entityRouteRef),
};

export function WithEntity(props: { entity?: Entity; children: ReactNode }) {
  return (
    <EntityProvider entity={props.entity ?? ordersApiEntity}>
      {props.children}
    </EntityProvider>
  );
}
