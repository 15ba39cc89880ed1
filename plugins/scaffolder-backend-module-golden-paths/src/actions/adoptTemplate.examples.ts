/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

const values = {
  name: 'billing',
  description: 'Bills customers every month.',
  owner: 'group:default/orders-team',
  system: 'system:default/orders',
  database: false,
  redis: false,
  databaseResource: 'billing-db',
  redisResource: 'billing-cache',
};

/** Examples of `paved:template:adopt`. @internal */
export const examples: TemplateExample[] = [
  {
    description:
      'Onboard a repository of the embedded git server onto the TypeScript HTTP service golden path, as a branch to review',
    example: yaml.stringify({
      steps: [
        {
          id: 'adopt',
          action: 'paved:template:adopt',
          name: 'Adopt the golden path',
          input: { repoName: 'billing', templateRef: 'template:default/typescript-service', values },
        },
      ],
    }),
  },
  {
    description:
      'Import existing code from a URL the backend can read, adopt version 1.0.0 and merge right away when nothing clashes',
    example: yaml.stringify({
      steps: [
        {
          id: 'adopt',
          action: 'paved:template:adopt',
          name: 'Import and adopt',
          input: {
            repoName: 'billing',
            sourceUrl: 'file:///srv/checkouts/billing',
            version: '1.0.0',
            autoMerge: true,
            values,
          },
        },
      ],
    }),
  },
];
