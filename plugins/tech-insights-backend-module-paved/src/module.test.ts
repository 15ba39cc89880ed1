/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  FactRetriever,
  techInsightsFactRetrieversExtensionPoint,
} from '@backstage-community/plugin-tech-insights-node';
import techInsightsPlugin from '@backstage-community/plugin-tech-insights-backend';
import jsonfcModule from '@backstage-community/plugin-tech-insights-backend-module-jsonfc';
import request from 'supertest';
import { techInsightsModulePavedFacts } from './module';

jest.setTimeout(60_000);

describe('techInsightsModulePavedFacts', () => {
  it('adds the Paved fact retriever to the tech insights extension point', async () => {
    const added: Record<string, FactRetriever> = {};
    await startTestBackend({
      extensionPoints: [
        [
          techInsightsFactRetrieversExtensionPoint,
          { addFactRetrievers: (r: Record<string, FactRetriever>) => Object.assign(added, r) },
        ],
      ],
      features: [techInsightsModulePavedFacts, catalogServiceMock.factory({ entities: [] })],
    });
    expect(Object.keys(added)).toEqual(['pavedFactRetriever']);
    expect(Object.keys(added.pavedFactRetriever.schema)).toEqual([
      'hasOwner',
      'hasDocs',
      'hasHealthUrl',
      'uptime7dPercent',
      'deploymentsReported',
      'onLatestTemplateVersion',
      'noDriftedOrFailedResources',
      'oldestOpenIncidentDays',
    ]);
  });

  it('runs in the community Tech Insights backend with checks from config (jsonfc)', async () => {
    const { server } = await startTestBackend({
      features: [
        techInsightsPlugin,
        jsonfcModule,
        techInsightsModulePavedFacts,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({
          data: {
            techInsights: {
              factRetrievers: { pavedFactRetriever: { cadence: '0 * * * *' } },
              factChecker: {
                checks: {
                  pavedHasOwner: {
                    type: 'json-rules-engine',
                    name: 'Has an owner',
                    description: 'spec.owner is set',
                    factIds: ['pavedFactRetriever'],
                    rule: {
                      conditions: { all: [{ fact: 'hasOwner', operator: 'equal', value: true }] },
                    },
                  },
                },
              },
            },
          },
        }),
      ],
    });
    const checks = await request(server)
      .get('/api/tech-insights/checks')
      .set('Authorization', mockCredentials.user.header());
    expect(checks.status).toBe(200);
    expect(checks.body.map((c: { id: string }) => c.id)).toEqual(['pavedHasOwner']);
    const schemas = await request(server)
      .get('/api/tech-insights/fact-schemas')
      .set('Authorization', mockCredentials.user.header());
    expect(schemas.status).toBe(200);
    expect(JSON.stringify(schemas.body)).toContain('noDriftedOrFailedResources');
  });
});
