/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import yaml from 'yaml';
import { createTestStore, FakeProvisioning, mockContext } from '../__testUtils__/fakeProvisioning';
import { createProvisioningResourcePreviewAction } from './createPreview';
import { examples } from './createPreview.examples';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('provisioning:resource:preview examples', () => {
  it.each(examples.map(e => [e.description, e] as const))('%s', async (_description, example) => {
    const provisioning = new FakeProvisioning();
    const action = createProvisioningResourcePreviewAction({
      provisioning,
      store: await createTestStore(databases),
      appBaseUrl: 'http://localhost:3000',
    });
    const step = yaml.parse(example.example).steps[0];
    const ctx = mockContext({ input: step.input });
    await action.handler(ctx);

    const [resource] = [...provisioning.resources.values()];
    expect(resource).toMatchObject({
      type: 'postgresql',
      owner: step.input.owner,
      entityRef: step.input.entityRef,
      ttl: step.input.ttl,
      parameters: step.input.parameters,
    });
    expect(resource.name).toMatch(/^orders-api-/);
    expect(ctx.output).toHaveBeenCalledWith('resourceId', resource.id);
    expect(ctx.output).toHaveBeenCalledWith('expiresAt', resource.expiresAt);
  });
});
