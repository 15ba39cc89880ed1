/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { createScaffolderProvisioning } from './provisioningClient';

describe('createScaffolderProvisioning', () => {
  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'Content-Type': 'application/json' },
    });

  it('calls the API with a plugin token on behalf of the caller and the idempotency key', async () => {
    const fetch = jest.fn(async (_url: string, _init?: RequestInit) =>
      json({ id: 'r1', name: 'invoice-db' }, 201),
    );
    const auth = mockServices.auth();
    const provisioning = createScaffolderProvisioning({
      discovery: mockServices.discovery(),
      auth,
      fetch: fetch as unknown as typeof globalThis.fetch,
    });
    const credentials = mockCredentials.user('user:default/dana.ortiz');
    await provisioning.createResource(
      {
        name: 'invoice-db',
        type: 'postgresql',
        owner: 'group:default/orders-team',
        parameters: {},
      },
      { credentials, idempotencyKey: 'scaffolder:t1:db:postgresql/invoice-db' },
    );
    const [url, init] = fetch.mock.calls[0];
    expect(url).toMatch(/\/api\/provisioning\/v1\/resources$/);
    const headers = init?.headers as Record<string, string>;
    expect(headers['Idempotency-Key']).toBe(
      'scaffolder:t1:db:postgresql/invoice-db',
    );
    expect(headers.Authorization).toBe(
      `Bearer ${mockCredentials.service.token({
        onBehalfOf: credentials,
        targetPluginId: 'provisioning',
      })}`,
    );
  });

  it('answers undefined for a resource that does not exist', async () => {
    const fetch = jest.fn(async () =>
      json(
        {
          error: { name: 'NotFoundError', message: 'no such resource' },
          response: { statusCode: 404 },
        },
        404,
      ),
    );
    const provisioning = createScaffolderProvisioning({
      discovery: mockServices.discovery(),
      auth: mockServices.auth(),
      fetch: fetch as unknown as typeof globalThis.fetch,
    });
    await expect(
      provisioning.getResource('r1', { credentials: mockCredentials.user() }),
    ).resolves.toBeUndefined();
  });
});
