/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import yaml from 'yaml';
import {
  FakeProvisioning,
  mockContext,
} from '../__testUtils__/fakeProvisioning';
import { createProvisioningResourceAwaitAction } from './awaitResource';
import { examples } from './awaitResource.examples';

describe('provisioning:resource:await examples', () => {
  it.each(examples.map(e => [e.description, e] as const))(
    '%s',
    async (_description, example) => {
      const provisioning = new FakeProvisioning();
      const resource = provisioning.seed({
        name: 'invoice-db',
        type: 'postgresql',
        state: 'ready',
      });
      const action = createProvisioningResourceAwaitAction({
        provisioning,
        appBaseUrl: 'http://localhost:3000',
        pollIntervalMs: 10,
      });
      const step = yaml.parse(example.example).steps[0];
      expect(step.input.resourceId).toContain('steps.database.output.resourceId');
      const ctx = mockContext({
        input: { ...step.input, resourceId: resource.id },
      });
      await action.handler(ctx);
      expect(ctx.output).toHaveBeenCalledWith('state', 'ready');
    },
  );
});
