/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createMockDirectory, mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { NotAllowedError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { FakeProvisioning, mockContext } from '../__testUtils__/fakeProvisioning';
import { LocalGitRepositories } from '../git/LocalGitRepositories';
import { readArchiveState } from '../git/RepositoryState';
import { RetirementStore } from '../retire/RetirementStore';
import { createPavedServiceRetireAction } from './retireService';

jest.setTimeout(60_000);

const databases = TestDatabases.create();

const component = (name: string, owner: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    uid: `uid-${name}`,
    annotations: {
      'backstage.io/managed-by-location': `url:http://localhost:7007/api/scaffolder/paved-git/${name}/raw/main/catalog-info.yaml`,
      'backstage.io/source-location': `url:http://localhost:7007/api/scaffolder/paved-git/${name}.git`,
    },
  },
  spec: { owner, type: 'service', lifecycle: 'experimental' },
});

describe.each(databases.eachSupportedId())('paved:service:retire on %p', databaseId => {
  const dir = createMockDirectory();

  async function setup() {
    dir.setContent({ ws: { 'README.md': '# x\n' } });
    const repositories = LocalGitRepositories.create({ directory: dir.resolve('git') });
    for (const name of ['invoice-api', 'orders-api']) {
      await repositories.publish({
        name,
        sourceDir: dir.resolve('ws'),
        branch: 'main',
        taskId: 't',
        author: { name: 'a', email: 'a@example.com' },
        message: 'm',
      });
    }
    const knex = await databases.init(databaseId);
    await knex.migrate.latest({
      directory: `${__dirname}/../../migrations`,
      tableName: 'paved_scaffolder_provisioning_knex_migrations',
    });
    const store = RetirementStore.create({ db: knex });
    const provisioning = new FakeProvisioning();
    const mine = [
      provisioning.seed({ name: 'invoice-api-db', type: 'postgresql', owner: 'group:default/orders-team', entityRef: 'component:default/invoice-api' }),
      provisioning.seed({ name: 'invoice-api-cache', type: 'redis', owner: 'group:default/orders-team', entityRef: 'component:default/invoice-api' }),
    ];
    const others = [
      // Same owner, another component: must stay.
      provisioning.seed({ name: 'orders-db', type: 'postgresql', owner: 'group:default/orders-team', entityRef: 'component:default/orders-api' }),
      // A similar name without an entity: must stay.
      provisioning.seed({ name: 'invoice-api-db-old', type: 'postgresql', owner: 'group:default/orders-team' }),
    ];
    // The fake deletes asynchronously, as the reconciler does.
    const originalDelete = provisioning.deleteResource.bind(provisioning);
    provisioning.deleteResource = async (id: string) => {
      const r = await originalDelete(id);
      setTimeout(() => provisioning.setState(id, 'deleted'), 5);
      return r;
    };
    const entities = new Map([
      ['component:default/invoice-api', component('invoice-api', 'group:default/orders-team')],
      ['component:default/orders-api', component('orders-api', 'group:default/orders-team')],
    ]);
    const locations = new Map<string, string>([
      ['loc-invoice', entities.get('component:default/invoice-api')!.metadata.annotations['backstage.io/managed-by-location']],
      ['loc-orders', entities.get('component:default/orders-api')!.metadata.annotations['backstage.io/managed-by-location']],
    ]);
    const catalog = catalogServiceMock.mock({
      getEntityByRef: jest.fn(async (ref: any) => entities.get(String(ref)) as any),
      getLocationByRef: jest.fn(async (ref: string) => {
        const found = [...locations].find(([, target]) => target === ref);
        return found
          ? { id: found[0], type: 'url', target: ref.replace(/^url:/, ''), entityRef: `location:default/${found[0]}` }
          : undefined;
      }),
      removeLocationById: jest.fn(async (id: string) => {
        locations.delete(id);
      }),
      removeEntityByUid: jest.fn(async (uid: string) => {
        for (const [ref, e] of entities) if (e.metadata.uid === uid) entities.delete(ref);
      }),
    });
    const authorize = jest.fn(async (plan: any, credentials: any) => {
      if (credentials.principal.userEntityRef !== 'user:default/dana.ortiz') {
        throw new NotAllowedError(`Only the owners of ${plan.entityRef} may retire it`);
      }
    });
    const action = createPavedServiceRetireAction({
      catalog,
      provisioning,
      repositories,
      store,
      authorize,
      // The fake's deletions finish on a timer: let it run between polls.
      sleep: () => new Promise(resolve => setTimeout(resolve, 10)),
      pollIntervalMs: 1,
    });
    const checkpoints = new Map<string, unknown>();
    const context = (input: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
      const ctx = mockContext({
        input: { timeoutSeconds: 60, ...input },
        task: { id: 'task-1' },
        checkpoint: async ({ key, fn }) => {
          if (!checkpoints.has(key)) checkpoints.set(key, await fn());
          return checkpoints.get(key);
        },
        ...extra,
      });
      ctx.getInitiatorCredentials = async () => mockCredentials.user('user:default/dana.ortiz');
      return ctx;
    };
    return { repositories, store, provisioning, mine, others, entities, locations, catalog, action, context, authorize };
  }

  it('removes exactly what belongs to the retired service; another component keeps its resources', async () => {
    const s = await setup();
    const ctx = s.context({ entityRef: 'component:default/invoice-api', confirmName: 'invoice-api' });
    await s.action.handler(ctx);

    for (const r of s.mine) expect(s.provisioning.resources.get(r.id)!.state).toBe('deleted');
    for (const r of s.others) expect(s.provisioning.resources.get(r.id)!.state).toBe('ready');
    expect(s.entities.has('component:default/invoice-api')).toBe(false);
    expect(s.entities.has('component:default/orders-api')).toBe(true);
    expect([...s.locations.keys()]).toEqual(['loc-orders']);

    const archived = await readArchiveState(s.repositories.gitdir('invoice-api'));
    expect(archived).toMatchObject({ archived: true, archivedBy: 'user:default/dana.ortiz' });
    expect((await readArchiveState(s.repositories.gitdir('orders-api'))).archived).toBe(false);
    // Archived, not deleted: still readable.
    const { content } = await s.repositories.readFile({ name: 'invoice-api', ref: 'main', path: 'README.md' });
    expect(content.toString()).toBe('# x\n');

    const [record] = await s.store.list('component:default/invoice-api');
    expect(record).toMatchObject({ status: 'retired', retiredBy: 'user:default/dana.ortiz', taskId: 'task-1' });
    expect(record.plan.resources.map(r => r.name).sort()).toEqual(['invoice-api-cache', 'invoice-api-db']);
    expect(ctx.output).toHaveBeenCalledWith('retiredBy', 'user:default/dana.ortiz');
    expect(ctx.output).toHaveBeenCalledWith('repository', 'invoice-api');
  });

  it('changes nothing when the typed name is wrong or the user is not an owner', async () => {
    const s = await setup();
    await expect(
      s.action.handler(s.context({ entityRef: 'component:default/invoice-api', confirmName: 'invoice' })),
    ).rejects.toThrow(/type its name 'invoice-api' exactly/);
    const ctx = s.context({ entityRef: 'component:default/invoice-api', confirmName: 'invoice-api' });
    ctx.getInitiatorCredentials = async () => mockCredentials.user('user:default/sam.lee');
    await expect(s.action.handler(ctx)).rejects.toThrow(NotAllowedError);
    for (const r of [...s.mine, ...s.others]) expect(s.provisioning.resources.get(r.id)!.state).toBe('ready');
    expect(s.entities.size).toBe(2);
    expect((await readArchiveState(s.repositories.gitdir('invoice-api'))).archived).toBe(false);
    expect(await s.store.list('component:default/invoice-api')).toEqual([]);
  });

  it('dry run lists what would go and changes nothing', async () => {
    const s = await setup();
    const ctx = s.context(
      { entityRef: 'component:default/invoice-api', confirmName: 'invoice-api' },
      { isDryRun: true },
    );
    await s.action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith(
      'plan',
      expect.arrayContaining([
        expect.stringContaining("postgresql 'invoice-api-db'"),
        expect.stringContaining('Repository invoice-api will be archived'),
      ]),
    );
    for (const r of s.mine) expect(s.provisioning.resources.get(r.id)!.state).toBe('ready');
    expect(s.entities.size).toBe(2);
  });

  it('resumes a failed retirement without repeating what it did', async () => {
    const s = await setup();
    (s.catalog.removeLocationById as jest.Mock).mockRejectedValueOnce(new Error('catalog unavailable'));
    const input = { entityRef: 'component:default/invoice-api', confirmName: 'invoice-api' };
    await expect(s.action.handler(s.context(input))).rejects.toThrow('catalog unavailable');
    expect(s.entities.has('component:default/invoice-api')).toBe(true);
    const [started] = await s.store.list('component:default/invoice-api');
    expect(started.status).toBe('retiring');

    const deletes = s.provisioning.calls.filter(c => c.startsWith('delete')).length;
    await s.action.handler(s.context(input));
    expect(s.provisioning.calls.filter(c => c.startsWith('delete')).length).toBe(deletes);
    expect(s.entities.has('component:default/invoice-api')).toBe(false);
    for (const r of s.others) expect(s.provisioning.resources.get(r.id)!.state).toBe('ready');
    const [done] = await s.store.list('component:default/invoice-api');
    expect(done.status).toBe('retired');
  });
});
