/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** Examples of `paved:service:retire`. @internal */
export const examples: TemplateExample[] = [
  {
    description:
      'Retire the chosen component with everything it owns, after the user typed its name',
    example: yaml.stringify({
      steps: [
        {
          id: 'retire',
          action: 'paved:service:retire',
          name: 'Retire the service',
          input: {
            entityRef: 'component:default/invoice-api',
            confirmName: 'invoice-api',
          },
        },
      ],
    }),
  },
];
