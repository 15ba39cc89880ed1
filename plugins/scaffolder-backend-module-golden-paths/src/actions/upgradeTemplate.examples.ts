/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** Examples of `paved:template:upgrade`. @internal */
export const examples: TemplateExample[] = [
  {
    description:
      'Upgrade a service to the newest version of the template it was made from, as a branch of its repository',
    example: yaml.stringify({
      steps: [
        {
          id: 'upgrade',
          action: 'paved:template:upgrade',
          name: 'Upgrade invoice-api',
          input: { repoName: 'invoice-api' },
        },
      ],
    }),
  },
  {
    description: 'Upgrade to a given version without running the service tests',
    example: yaml.stringify({
      steps: [
        {
          id: 'upgrade',
          action: 'paved:template:upgrade',
          name: 'Upgrade invoice-api to 2.0.0',
          input: { repoName: 'invoice-api', targetVersion: '2.0.0', runTests: false },
        },
      ],
    }),
  },
];
