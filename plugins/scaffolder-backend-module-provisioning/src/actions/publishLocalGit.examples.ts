/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** Examples of `publish:paved-git`. @internal */
export const examples: TemplateExample[] = [
  {
    description: 'Publish the whole workspace as a new local repository',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'publish:paved-git',
          name: 'Publish',
          input: { repoName: '${{ parameters.name }}' },
        },
      ],
    }),
  },
  {
    description:
      'Publish a subdirectory with its own commit message and author',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'publish:paved-git',
          name: 'Publish',
          input: {
            repoName: 'invoice-api',
            sourcePath: 'service',
            commitMessage: 'Create invoice-api from the TypeScript HTTP service golden path',
            gitAuthorName: 'Paved',
            gitAuthorEmail: 'paved@example.com',
          },
        },
      ],
    }),
  },
];
