/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** Examples of `paved:template:record`. @internal */
export const examples: TemplateExample[] = [
  {
    description:
      'Record the template, its version and the values of fetch:template (a YAML anchor avoids repeating them)',
    example: yaml.stringify({
      steps: [
        {
          id: 'provenance',
          action: 'paved:template:record',
          name: 'Record where the service came from',
          input: {
            values: {
              name: '${{ parameters.name }}',
              owner: '${{ parameters.owner }}',
            },
          },
        },
      ],
    }),
  },
];
