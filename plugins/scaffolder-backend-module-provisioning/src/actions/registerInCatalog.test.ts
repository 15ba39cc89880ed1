/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Entity } from '@backstage/catalog-model';
import { mockContext, responseError } from '../__testUtils__/fakeProvisioning';
import { createPavedCatalogRegisterAction } from './registerInCatalog';

const url =
  'http://localhost:7007/api/scaffolder/paved-git/invoice-api/raw/main/catalog-info.yaml';
const component: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'invoice-api', namespace: 'default' },
  spec: { type: 'service', owner: 'group:default/orders-team', lifecycle: 'experimental' },
};

describe('paved:catalog:register', () => {
  it('registers the URL, refreshes the location and waits for the entity', async () => {
    const catalog = catalogServiceMock.mock();
    catalog.addLocation.mockImplementation(async (req: any): Promise<any> => ({
      location: { id: '1', type: 'url', target: url },
      entities: req.dryRun ? [component] : [],
      exists: false,
    }));
    let lookups = 0;
    catalog.getEntityByRef.mockImplementation(async () =>
      ++lookups >= 3 ? component : undefined,
    );
    const action = createPavedCatalogRegisterAction({
      catalog,
      pollIntervalMs: 5,
    });
    const ctx = mockContext({ input: { catalogInfoUrl: url } });
    await action.handler(ctx);

    expect(catalog.addLocation).toHaveBeenCalledWith(
      { type: 'url', target: url },
      expect.anything(),
    );
    expect(catalog.refreshEntity).toHaveBeenCalledWith(
      expect.stringMatching(/^location:default\/generated-/),
      expect.anything(),
    );
    expect(lookups).toBe(3);
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'component:default/invoice-api',
    );
  });

  it('treats an existing registration as done and gives up waiting after the timeout', async () => {
    const catalog = catalogServiceMock.mock();
    catalog.addLocation.mockImplementation(async (req: any): Promise<any> => {
      if (!req.dryRun) {
        throw await responseError(409, 'ConflictError', 'exists');
      }
      return {
        location: { id: '1', type: 'url', target: url },
        entities: [component],
      };
    });
    catalog.getEntityByRef.mockResolvedValue(undefined);
    const action = createPavedCatalogRegisterAction({
      catalog,
      pollIntervalMs: 5,
    });
    const ctx = mockContext({
      input: { catalogInfoUrl: url, waitTimeoutSeconds: 0.05 },
    });
    const warn = jest.spyOn(ctx.logger, 'warn');
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'component:default/invoice-api',
    );
    expect(String(warn.mock.calls[0][0])).toMatch(/not in the catalog yet/);
  });

  it('fails when the catalog cannot read the URL', async () => {
    const catalog = catalogServiceMock.mock();
    catalog.addLocation.mockRejectedValue(new Error('could not read'));
    const action = createPavedCatalogRegisterAction({ catalog });
    await expect(
      action.handler(mockContext({ input: { catalogInfoUrl: url } })),
    ).rejects.toThrow('could not read');
  });
});
