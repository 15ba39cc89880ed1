/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** Examples of `provisioning:resource:create`. @internal */
export const examples: TemplateExample[] = [
  {
    description: 'Request a small PostgreSQL database for a new component',
    example: yaml.stringify({
      steps: [
        {
          id: 'database',
          action: 'provisioning:resource:create',
          name: 'Request the database',
          input: {
            name: 'invoice-db',
            type: 'postgresql',
            owner: 'group:default/orders-team',
            entityRef: 'component:default/invoice-api',
            system: 'system:default/orders',
            parameters: { size: 'small' },
          },
        },
      ],
    }),
  },
  {
    description:
      'Request a Redis cache that is kept even when a later step of the run fails',
    example: yaml.stringify({
      steps: [
        {
          id: 'cache',
          action: 'provisioning:resource:create',
          name: 'Request the cache',
          input: {
            name: 'invoice-cache',
            type: 'redis',
            owner: 'group:default/orders-team',
            entityRef: 'component:default/invoice-api',
            parameters: { size: 'small' },
            keepOnFailure: true,
          },
        },
      ],
    }),
  },
];
