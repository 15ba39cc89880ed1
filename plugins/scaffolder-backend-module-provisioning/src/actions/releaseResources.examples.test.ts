/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import yaml from 'yaml';
import {
  createTestStore,
  FakeProvisioning,
  mockContext,
} from '../__testUtils__/fakeProvisioning';
import { createProvisioningResourceReleaseAction } from './releaseResources';
import { examples } from './releaseResources.examples';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('provisioning:resource:release examples', () => {
  it.each(examples.map(e => [e.description, e] as const))(
    '%s',
    async (_description, example) => {
      const provisioning = new FakeProvisioning();
      const store = await createTestStore(databases);
      const r = provisioning.seed({
        name: 'invoice-db',
        type: 'postgresql',
        owner: 'group:default/orders-team',
        state: 'requested',
      });
      await store.recordIntent({
        taskId: 'mock-task-id',
        type: 'postgresql',
        name: 'invoice-db',
        owner: r.owner,
        keepOnFailure: false,
      });
      await store.markCreated({
        taskId: 'mock-task-id',
        type: 'postgresql',
        name: 'invoice-db',
        resourceId: r.id,
      });
      const action = createProvisioningResourceReleaseAction({
        provisioning,
        store,
      });
      const step = yaml.parse(example.example).steps[0];
      expect(step.if).toBe('${{ failure() }}');
      const keep = step.input?.keep !== undefined;
      const ctx = mockContext({ input: { keep } });
      await action.handler(ctx);
      expect(provisioning.resources.get(r.id)!.state).toBe(
        keep ? 'requested' : 'deleting',
      );
    },
  );
});
