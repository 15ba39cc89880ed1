/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** Examples of `provisioning:resource:release`. @internal */
export const examples: TemplateExample[] = [
  {
    description:
      'Release what the run created when any earlier step failed (the last step of a template)',
    example: yaml.stringify({
      steps: [
        {
          id: 'cleanup',
          if: '${{ failure() }}',
          action: 'provisioning:resource:release',
          name: 'Release resources of the failed run',
        },
      ],
    }),
  },
  {
    description:
      'Let the user decide whether a failed run keeps its resources (for debugging)',
    example: yaml.stringify({
      steps: [
        {
          id: 'cleanup',
          if: '${{ failure() }}',
          action: 'provisioning:resource:release',
          name: 'Release resources of the failed run',
          input: { keep: '${{ parameters.keepOnFailure }}' },
        },
      ],
    }),
  },
];
