/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** Examples of `provisioning:resource:await`. @internal */
export const examples: TemplateExample[] = [
  {
    description: 'Wait up to five minutes for a requested database to be ready',
    example: yaml.stringify({
      steps: [
        {
          id: 'database-ready',
          action: 'provisioning:resource:await',
          name: 'Wait for the database',
          input: {
            resourceId: '${{ steps.database.output.resourceId }}',
            timeoutSeconds: 300,
          },
        },
      ],
    }),
  },
  {
    description: 'Wait, also through the approval, for a large database',
    example: yaml.stringify({
      steps: [
        {
          id: 'database-ready',
          action: 'provisioning:resource:await',
          name: 'Wait for the database',
          input: {
            resourceId: '${{ steps.database.output.resourceId }}',
            timeoutSeconds: 3600,
            waitForApproval: true,
          },
        },
      ],
    }),
  },
];
