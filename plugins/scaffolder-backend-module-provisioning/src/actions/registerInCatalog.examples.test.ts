/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import yaml from 'yaml';
import { mockContext } from '../__testUtils__/fakeProvisioning';
import { createPavedCatalogRegisterAction } from './registerInCatalog';
import { examples } from './registerInCatalog.examples';

describe('paved:catalog:register examples', () => {
  it.each(examples.map(e => [e.description, e] as const))(
    '%s',
    async (_description, example) => {
      const component = {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'invoice-api', namespace: 'default' },
      };
      const catalog = catalogServiceMock({ entities: [component] });
      const step = yaml.parse(example.example).steps[0];
      const url =
        'http://localhost:7007/api/scaffolder/paved-git/invoice-api/raw/main/catalog-info.yaml';
      const spy = jest.spyOn(catalog, 'addLocation').mockImplementation(
        async (req: any): Promise<any> => ({
          location: { id: '1', type: 'url', target: url },
          entities: req.dryRun ? [component] : [],
        }),
      );
      const ctx = mockContext({
        input: { ...step.input, catalogInfoUrl: url },
      });
      await createPavedCatalogRegisterAction({ catalog }).handler(ctx);
      expect(spy).toHaveBeenCalledTimes(2);
      expect(ctx.output).toHaveBeenCalledWith(
        'entityRef',
        'component:default/invoice-api',
      );
    },
  );
});
