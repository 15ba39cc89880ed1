/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** Examples of `paved:catalog:register`. @internal */
export const examples: TemplateExample[] = [
  {
    description:
      'Register the published repository and wait until its component is in the catalog',
    example: yaml.stringify({
      steps: [
        {
          id: 'register',
          action: 'paved:catalog:register',
          name: 'Register in the catalog',
          input: {
            catalogInfoUrl: '${{ steps.publish.output.catalogInfoUrl }}',
          },
        },
      ],
    }),
  },
  {
    description: 'Register without waiting for the catalog',
    example: yaml.stringify({
      steps: [
        {
          id: 'register',
          action: 'paved:catalog:register',
          name: 'Register in the catalog',
          input: {
            catalogInfoUrl:
              'http://localhost:7007/api/scaffolder/paved-git/invoice-api/raw/main/catalog-info.yaml',
            waitTimeoutSeconds: 0,
          },
        },
      ],
    }),
  },
];
