/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { Entity } from '@backstage/catalog-model';
import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import { EntityProvider, entityRouteRef } from '@backstage/plugin-catalog-react';
import { ReactNode } from 'react';
import type { FleetTemplate, GoldenPathsApi } from '../api';

export const mountedRoutes = {
  '/catalog/:namespace/:kind/:name': convertLegacyRouteRef(entityRouteRef),
};

export const invoiceApi: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'invoice-api',
    namespace: 'default',
    annotations: {
      'paved.dev/template': 'template:default/typescript-service',
      'paved.dev/template-version': '1.0.0',
    },
  },
  spec: { type: 'service', owner: 'group:default/orders-team', lifecycle: 'experimental' },
};

export function WithEntity(props: { children: ReactNode }) {
  return <EntityProvider entity={invoiceApi}>{props.children}</EntityProvider>;
}

export function createApiMock(): jest.Mocked<GoldenPathsApi> {
  return {
    listTemplates: jest.fn(),
    getEntity: jest.fn(),
    startCampaign: jest.fn(),
    getCampaign: jest.fn(),
    merge: jest.fn(),
  };
}

export const fleet: FleetTemplate = {
  ref: 'template:default/typescript-service',
  title: 'TypeScript HTTP service',
  current: '2.0.0',
  versions: [
    { version: '1.0.0', changes: ['First release'], services: 2 },
    { version: '2.0.0', changes: ['GET /metrics', 'Graceful shutdown'], services: 1 },
  ],
  services: [
    { entityRef: 'component:default/invoice-api', name: 'invoice-api', owner: 'group:default/orders-team', version: '1.0.0', behind: true },
    { entityRef: 'component:default/billing-api', name: 'billing-api', owner: 'group:default/payments-team', version: '1.0.0', behind: true },
    { entityRef: 'component:default/shipping-api', name: 'shipping-api', owner: 'group:default/orders-team', version: '2.0.0', behind: false },
  ],
  counts: { services: 3, behind: 2, open: 0, conflicted: 0, merged: 0, failed: 0, queued: 0 },
};
