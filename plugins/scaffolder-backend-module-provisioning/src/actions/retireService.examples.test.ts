/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createMockDirectory, mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import yaml from 'yaml';
import { FakeProvisioning, mockContext } from '../__testUtils__/fakeProvisioning';
import { LocalGitRepositories } from '../git/LocalGitRepositories';
import { RetirementStore } from '../retire/RetirementStore';
import { createPavedServiceRetireAction } from './retireService';
import { examples } from './retireService.examples';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('paved:service:retire examples', () => {
  const dir = createMockDirectory();

  it.each(examples.map(e => [e.description, e] as const))('%s', async (_d, example) => {
    const knex = await databases.init('SQLITE_3');
    await knex.migrate.latest({
      directory: `${__dirname}/../../migrations`,
      tableName: 'paved_scaffolder_provisioning_knex_migrations',
    });
    const provisioning = new FakeProvisioning();
    const db = provisioning.seed({ name: 'invoice-api-db', type: 'postgresql', entityRef: 'component:default/invoice-api' });
    provisioning.deleteResource = async (id: string) => {
      provisioning.setState(id, 'deleted');
      return provisioning.resources.get(id)!;
    };
    const catalog = catalogServiceMock({
      entities: [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'invoice-api', uid: 'u1' },
          spec: { owner: 'group:default/orders-team', type: 'service', lifecycle: 'production' },
        },
      ],
    });
    const action = createPavedServiceRetireAction({
      catalog,
      provisioning,
      repositories: LocalGitRepositories.create({ directory: dir.path }),
      store: RetirementStore.create({ db: knex }),
      authorize: async () => {},
      sleep: async () => {},
    });
    const step = yaml.parse(example.example).steps[0];
    expect(step.action).toBe('paved:service:retire');
    const ctx = mockContext({ input: { timeoutSeconds: 60, ...step.input } });
    ctx.getInitiatorCredentials = async () => mockCredentials.user('user:default/dana.ortiz');
    await action.handler(ctx);
    expect(provisioning.resources.get(db.id)!.state).toBe('deleted');
    expect(await catalog.getEntityByRef('component:default/invoice-api')).toBeUndefined();
  });
});
