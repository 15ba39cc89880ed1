/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { FactRetrieverContext } from '@backstage-community/plugin-tech-insights-node';
import type { PavedSources } from '../sources/PavedSources';
import { createPavedFactRetriever } from './pavedFactRetriever';

const DAY = 24 * 3_600_000;
const NOW = Date.parse('2026-12-06T12:00:00Z');

function component(name: string, extra: Partial<Entity['metadata']> = {}, owner?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', ...extra },
    spec: { type: 'service', ...(owner ? { owner } : {}) },
  };
}

const entities: Entity[] = [
  component(
    'invoice-api',
    {
      annotations: {
        'backstage.io/techdocs-ref': 'dir:.',
        'paved.dev/health-url': 'https://invoice-api.example/healthz',
      },
    },
    'group:default/orders-team',
  ),
  component('legacy-batch', {}, 'group:default/orders-team'),
  component('orphan'),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'invoice-db', namespace: 'default' },
    spec: { type: 'database', owner: 'orders-team' },
  },
];

function fakeSources(overrides: Partial<PavedSources> = {}): PavedSources {
  return {
    uptime7d: async ref =>
      ({
        'component:default/invoice-api': 0.9995,
        'component:default/legacy-batch': 0.8,
      })[ref],
    deploymentCounts: async refs =>
      new Map(refs.filter(r => r === 'component:default/invoice-api').map(r => [r, 4])),
    templateVersions: async () =>
      new Map([
        ['component:default/invoice-api', { behind: false }],
        ['component:default/legacy-batch', { behind: true }],
      ]),
    resources: async () => [
      { entityRef: 'component:default/invoice-api', state: 'ready', drifted: false },
      { entityRef: 'component:default/legacy-batch', state: 'ready', drifted: true },
      { entityRef: 'component:default/orphan', state: 'failed', drifted: false },
    ],
    openIncidents: async () => [
      { entityRef: 'component:default/legacy-batch', createdAt: NOW - 10 * DAY },
      { entityRef: 'component:default/legacy-batch', createdAt: NOW - DAY },
      { entityRef: 'component:default/invoice-api', createdAt: NOW - DAY / 2 },
    ],
    ...overrides,
  };
}

function context(): FactRetrieverContext {
  return {
    config: new ConfigReader({}),
    discovery: mockServices.discovery(),
    logger: mockServices.logger.mock(),
    auth: mockServices.auth(),
    urlReader: mockServices.urlReader.mock(),
  };
}

describe('pavedFactRetriever', () => {
  it('computes the Paved facts of every component from the catalog and the Paved APIs', async () => {
    const retriever = createPavedFactRetriever({
      catalog: catalogServiceMock({ entities }),
      sources: fakeSources(),
      clock: () => NOW,
    });
    expect(retriever.entityFilter).toEqual([{ kind: 'component' }]);
    const facts = await retriever.handler(context());
    const byName = Object.fromEntries(facts.map(f => [f.entity.name, f]));
    expect(Object.keys(byName).sort()).toEqual(['invoice-api', 'legacy-batch', 'orphan']);
    expect(byName['invoice-api']).toEqual({
      entity: { namespace: 'default', kind: 'Component', name: 'invoice-api' },
      facts: {
        hasOwner: true,
        hasDocs: true,
        hasHealthUrl: true,
        uptime7dPercent: 99.95,
        deploymentsReported: 4,
        onLatestTemplateVersion: true,
        noDriftedOrFailedResources: true,
        oldestOpenIncidentDays: 0.5,
      },
    });
    expect(byName['legacy-batch'].facts).toEqual({
      hasOwner: true,
      hasDocs: false,
      hasHealthUrl: false,
      uptime7dPercent: 80,
      deploymentsReported: 0,
      onLatestTemplateVersion: false,
      noDriftedOrFailedResources: false,
      oldestOpenIncidentDays: 10,
    });
    expect(byName.orphan.facts).toEqual({
      hasOwner: false,
      hasDocs: false,
      hasHealthUrl: false,
      uptime7dPercent: -1,
      deploymentsReported: 0,
      // not made from a versioned template: nothing to upgrade
      onLatestTemplateVersion: true,
      noDriftedOrFailedResources: false,
      oldestOpenIncidentDays: 0,
    });
    // every fact the handler returns is in the schema
    for (const f of facts) {
      for (const key of Object.keys(f.facts)) {
        expect(retriever.schema).toHaveProperty(key);
      }
    }
  });

  it('leaves out the facts of a source that cannot be read, and logs why', async () => {
    const ctx = context();
    const retriever = createPavedFactRetriever({
      catalog: catalogServiceMock({ entities }),
      sources: fakeSources({
        resources: async () => {
          throw new Error('provisioning: 503');
        },
        uptime7d: async () => {
          throw new Error('service-status: 503');
        },
      }),
      clock: () => NOW,
    });
    const facts = await retriever.handler(ctx);
    const invoice = facts.find(f => f.entity.name === 'invoice-api')!;
    expect(invoice.facts).not.toHaveProperty('noDriftedOrFailedResources');
    expect(invoice.facts).not.toHaveProperty('uptime7dPercent');
    expect(invoice.facts.deploymentsReported).toBe(4);
    expect(ctx.logger.warn).toHaveBeenCalledWith(
      'Paved facts: could not read resources: provisioning: 503',
    );
  });
});
