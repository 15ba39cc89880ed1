import { TestDatabases } from '@backstage/backend-test-utils';
import { applyDatabaseMigrations } from './migrations';
import { IncidentStore } from './IncidentStore';

jest.setTimeout(60_000);

describe('IncidentStore', () => {
  const databases = TestDatabases.create();

  it.each(databases.eachSupportedId())(
    'lets exactly one of two concurrent resolves win on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      // two stores on the same database, as two replicas would have
      const a = IncidentStore.create({ knex });
      const b = IncidentStore.create({ knex });
      const incident = await a.open({
        entityRef: 'component:default/orders-api',
        title: 'Checkout errors',
        severity: 'sev1',
        state: 'investigating',
        message: 'Looking',
        author: 'user:default/dana',
        now: 1_000,
      });

      const results = await Promise.allSettled([
        a.update(incident.id, {
          message: 'fixed (a)',
          state: 'resolved',
          author: 'user:default/dana',
          now: 2_000,
        }),
        b.update(incident.id, {
          message: 'fixed (b)',
          state: 'resolved',
          author: 'user:default/pat',
          now: 2_000,
        }),
      ]);
      expect(results.map(r => r.status).sort()).toEqual([
        'fulfilled',
        'rejected',
      ]);
      const rejected = results.find(
        r => r.status === 'rejected',
      ) as PromiseRejectedResult;
      expect(rejected.reason.name).toBe('ConflictError');

      const final = (await a.get(incident.id))!;
      expect(final.state).toBe('resolved');
      expect(final.updates).toHaveLength(2);
      expect(final.updates[0].message).toBe('Looking');
      expect(final.resolvedAt).toBeDefined();

      // keyset paging over several incidents, newest first
      for (let i = 0; i < 4; i++) {
        await a.open({
          entityRef: 'component:default/orders-api',
          title: `t${i}`,
          severity: 'sev3',
          state: 'investigating',
          message: 'm',
          author: 'user:default/dana',
          now: 10_000 + i,
        });
      }
      const page1 = await a.list({ state: 'all', limit: 3 });
      expect(page1.items.map(i => i.title)).toEqual(['t3', 't2', 't1']);
      const page2 = await a.list({
        state: 'all',
        limit: 3,
        cursor: page1.nextCursor,
      });
      expect(page2.items.map(i => i.title)).toEqual(['t0', 'Checkout errors']);
      expect(page2.nextCursor).toBeUndefined();
      const open = await a.listOpenByEntity(['component:default/orders-api']);
      expect(
        open.get('component:default/orders-api')?.map(i => i.title),
      ).toEqual(['t3', 't2', 't1', 't0']);
      await knex.destroy();
    },
  );
});
