/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { serviceStatusPlugin } from './plugin';

jest.setTimeout(60_000);

describe.each(TestDatabases.create().eachSupportedId())('born known on %p', databaseId => {
  const databases = TestDatabases.create({ ids: [databaseId] });

  it('shows a new golden-path service as awaiting its first deployment until CI reports one', async () => {
    const knex = await databases.init(databaseId);
    const { server } = await startTestBackend({
      features: [
        serviceStatusPlugin,
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: {
                name: 'invoice-api',
                namespace: 'default',
                annotations: {
                  // A host outside serviceStatus.probes.allow, as the golden path writes it.
                  'paved.dev/health-url': 'https://invoice-api.brightcart.example/healthz',
                  'paved.dev/template': 'template:default/typescript-service',
                },
              },
              spec: { type: 'service', owner: 'group:default/orders-team', lifecycle: 'experimental' },
            },
          ],
        }),
        mockServices.database.factory({ knex }),
        mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
      ],
    });
    const status = async () =>
      (
        await request(server)
          .get('/api/service-status/v1/status')
          .set('Authorization', mockCredentials.user.header())
          .query({ entityRef: 'component:default/invoice-api' })
      ).body;

    const born = await status();
    expect(born.state).toBe('unknown');
    expect(born.reasons.map((r: { message: string }) => r.message)).toEqual([
      'unknown: awaiting first deployment',
    ]);

    const deployed = await request(server)
      .post('/api/service-status/v1/deployments')
      .set(
        'Authorization',
        mockCredentials.service.header({
          onBehalfOf: mockCredentials.service('external:ci'),
          targetPluginId: 'service-status',
        }),
      )
      .send({
        entityRef: 'component:default/invoice-api',
        environment: 'production',
        status: 'succeeded',
        version: '1.0.0',
        startedAt: '2026-12-01T10:00:00.000Z',
        finishedAt: '2026-12-01T10:05:00.000Z',
      });
    expect(deployed.status).toBe(201);
    const after = await status();
    expect(after.reasons.map((r: { message: string }) => r.message)).not.toContain(
      'unknown: awaiting first deployment',
    );
    expect(after.reasons[0].message).toMatch(/health URL not allowed/);
  });
});
