/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** Examples of `provisioning:resource:preview`. @internal */
export const examples: TemplateExample[] = [
  {
    description: 'A preview PostgreSQL database for a branch of orders-api that deletes itself after 2 hours',
    example: yaml.stringify({
      steps: [
        {
          id: 'preview-db',
          action: 'provisioning:resource:preview',
          name: 'Preview database',
          input: {
            entityRef: 'component:default/orders-api',
            branch: 'feature/faster-checkout',
            owner: 'group:default/orders-team',
            type: 'postgresql',
            ttl: '2h',
            parameters: { size: 'small' },
          },
        },
      ],
    }),
  },
  {
    description: 'A preview with a non-standard connection limit, justified for the platform team to approve',
    example: yaml.stringify({
      steps: [
        {
          id: 'load-test-db',
          action: 'provisioning:resource:preview',
          name: 'Load-test database',
          input: {
            entityRef: 'component:default/orders-api',
            branch: 'load-test/black-friday',
            owner: 'group:default/orders-team',
            ttl: '1d',
            parameters: { size: 'small', connectionLimit: 200 },
            justification: 'The load test opens 200 concurrent connections for one day.',
          },
        },
      ],
    }),
  },
];
