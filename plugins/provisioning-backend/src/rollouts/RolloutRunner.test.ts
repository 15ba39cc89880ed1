import { TestDatabases } from '@backstage/backend-test-utils';
import { MemoryDriver } from '../__testUtils__/MemoryDriver';
import { rolloutHarness, testClock, versionedType } from '../__testUtils__/rolloutHarness';
import type { RolloutGate } from './gate';

jest.setTimeout(120_000);

describe('RolloutRunner', () => {
  const databases = TestDatabases.create();

  async function setup(databaseId: Parameters<typeof databases.init>[0], extra: Partial<Parameters<typeof rolloutHarness>[0]> = {}) {
    const knex = await databases.init(databaseId);
    const driver = new MemoryDriver('memory');
    const h = await rolloutHarness({ knex, driver, types: [versionedType('memdb', 'memory')], ...extra });
    return { knex, driver, h };
  }

  /** Ticks the runner and lets the reconciler finish, until the rollout stops running. */
  async function drive(h: Awaited<ReturnType<typeof rolloutHarness>>, id: string, clock?: { advance(ms: number): void }) {
    for (let i = 0; i < 100; i += 1) {
      await h.rolloutRunner.tick();
      await h.settle();
      clock?.advance(1000);
      const r = await h.rollouts.getRollout(id);
      if (r!.status !== 'running') return r!;
    }
    throw new Error('rollout did not finish');
  }

  it.each(databases.eachSupportedId())('applies a version wave by wave on %p', async databaseId => {
    const { knex, driver, h } = await setup(databaseId);
    for (let i = 0; i < 10; i += 1) await h.addReady(`db-${i}`, 'memdb', i % 2 ? 'group:default/orders-team' : 'group:default/payments-team');
    await h.settle();
    expect([...driver.applied.values()].every(a => a.version === '1.0.0')).toBe(true);

    const started = await h.service.create({ type: 'memdb', waves: [10, 30] }, h.caller);
    expect(started.waves.map(w => [w.name, w.total])).toEqual([
      ['canary', 1],
      ['wave 2', 3],
      ['rest', 6],
    ]);
    expect(started.targetVersion).toBe('1.1.0');
    const done = await drive(h, started.id);
    expect(done.status).toBe('succeeded');
    for (let i = 0; i < 10; i += 1) {
      expect(driver.applied.get(`db-${i}`)).toEqual({
        version: '1.1.0',
        settings: expect.objectContaining({ statementTimeout: '30s', connectionLimits: { small: 15 } }),
      });
      // created once, updated once by the rollout
      expect(driver.calls.filter(c => c.name === `db-${i}` && c.op === 'update')).toHaveLength(1);
    }
    const { items } = await h.store.listResources({ filter: { type: 'memdb' }, limit: 100 });
    expect(items.every(r => r.appliedVersion === '1.1.0' && r.targetVersion === undefined)).toBe(true);
    const view = await h.service.get(started.id);
    expect(view.waves.map(w => w.status)).toEqual(['passed', 'passed', 'passed']);
    expect(view.applied).toBe(10);
    // owners were told
    expect(h.notifications.send).toHaveBeenCalled();
    // nothing left behind: a second rollout has nothing to do
    await expect(h.service.create({ type: 'memdb' }, h.caller)).rejects.toThrow(/No memdb resource .*behind version 1.1.0/);
    await h.stop();
    await knex.destroy();
  });

  it.each(databases.eachSupportedId())('rolls a resource whose apply fails back and stops on %p', async databaseId => {
    const { knex, driver, h } = await setup(databaseId);
    for (let i = 0; i < 4; i += 1) await h.addReady(`db-${i}`, 'memdb');
    await h.settle();
    const started = await h.service.create({ type: 'memdb', waves: [25] }, h.caller);
    const canary = (await h.service.get(started.id)).waves[0].items[0].name;
    driver.failures.set(canary, { times: 1, message: 'connection limit refused by the server', permanent: true });
    const done = await drive(h, started.id);
    expect(done.status).toBe('failed');
    expect(done.reason).toMatch(new RegExp(`${canary}: applying 1.1.0 failed: .*connection limit refused`));
    await h.rolloutRunner.tick();
    await h.settle();
    // rolled back: the previous version's settings applied again, and the resource is ready at 1.0.0
    expect(driver.applied.get(canary)?.version).toBe('1.0.0');
    const rows = await h.store.listResources({ filter: { name: canary }, limit: 1 });
    expect(rows.items[0]).toMatchObject({ state: 'ready', appliedVersion: '1.0.0' });
    const view = await h.service.get(started.id);
    expect(view.waves[0].items[0]).toMatchObject({ status: 'rolled-back' });
    expect(view.waves[1].status).toBe('aborted');
    // the rest of the fleet was never touched
    const others = view.waves[1].items.map(i => i.name);
    expect(others.every(n => driver.applied.get(n)?.version === '1.0.0')).toBe(true);
    await h.stop();
    await knex.destroy();
  });

  it.each(databases.eachSupportedId())('stops at a failed gate and rolls the unhealthy resource back on %p', async databaseId => {
    const unhealthy = new Set<string>();
    const gate: RolloutGate = {
      async check({ resources }) {
        const bad = resources.find(r => unhealthy.has(r.name));
        return bad ? { passed: false, resourceId: bad.id, reason: `${bad.name} is down` } : { passed: true };
      },
    };
    const clock = testClock();
    const { knex, driver, h } = await setup(databaseId, { gate, clock });
    for (let i = 0; i < 6; i += 1) await h.addReady(`db-${i}`, 'memdb');
    await h.settle();
    const started = await h.service.create({ type: 'memdb', waves: [20], soakSeconds: 60 }, h.caller);
    const wave1 = (await h.service.get(started.id)).waves[0].items.map(i => i.name);
    // the canary applies, then soaks: the gate is watched during the soak
    await h.rolloutRunner.tick();
    await h.settle();
    await h.rolloutRunner.tick();
    let view = await h.service.get(started.id);
    expect(view.waves[0].status).toBe('soaking');
    clock.advance(30_000);
    unhealthy.add(wave1[0]);
    await h.rolloutRunner.tick();
    view = await h.service.get(started.id);
    expect(view.status).toBe('failed');
    expect(view.reason).toBe(`Wave 1 failed its health gate: ${wave1[0]} is down`);
    await h.settle();
    expect(driver.applied.get(wave1[0])?.version).toBe('1.0.0');
    expect(view.waves[0].items.find(i => i.name === wave1[0])?.status).toBe('rolled-back');
    await h.stop();
    await knex.destroy();
  });

  it.each(databases.eachSupportedId())('waits for the soak time on the injected clock on %p', async databaseId => {
    const clock = testClock();
    const { knex, h } = await setup(databaseId, { clock });
    for (let i = 0; i < 2; i += 1) await h.addReady(`db-${i}`, 'memdb');
    await h.settle();
    const started = await h.service.create({ type: 'memdb', soakSeconds: 300 }, h.caller);
    expect(started.waves).toHaveLength(2);
    for (let i = 0; i < 3; i += 1) {
      await h.rolloutRunner.tick();
      await h.settle();
    }
    expect((await h.service.get(started.id)).waves.map(w => w.status)).toEqual(['soaking', 'pending']);
    clock.advance(299_000);
    await h.rolloutRunner.tick();
    expect((await h.service.get(started.id)).currentWave).toBe(0);
    clock.advance(1_000);
    await h.rolloutRunner.tick();
    expect((await h.service.get(started.id)).currentWave).toBe(1);
    await h.stop();
    await knex.destroy();
  });

  it.each(databases.eachSupportedId())('pauses, resumes and aborts on %p', async databaseId => {
    const { knex, driver, h } = await setup(databaseId);
    for (let i = 0; i < 4; i += 1) await h.addReady(`db-${i}`, 'memdb');
    await h.settle();
    const started = await h.service.create({ type: 'memdb', waves: [25, 25] }, h.caller);
    await h.service.pause(started.id, h.caller);
    await h.rolloutRunner.tick();
    await h.settle();
    expect([...driver.applied.values()].every(a => a.version === '1.0.0')).toBe(true);
    await expect(h.service.pause(started.id, h.caller)).rejects.toThrow(/Cannot pause the rollout while it is paused/);
    await h.service.resume(started.id, h.caller);
    await h.rolloutRunner.tick();
    await h.settle();
    await h.rolloutRunner.tick();
    const aborted = await h.service.abort(started.id, h.caller);
    expect(aborted.status).toBe('aborted');
    expect(aborted.reason).toBe('Aborted by user:default/alex');
    for (let i = 0; i < 3; i += 1) {
      await h.rolloutRunner.tick();
      await h.settle();
    }
    const applied = [...driver.applied.values()].filter(a => a.version === '1.1.0').length;
    expect(applied).toBeGreaterThanOrEqual(1);
    expect(applied).toBeLessThan(4);
    const view = await h.service.get(started.id);
    expect(view.waves.flatMap(w => w.items).filter(i => i.status === 'skipped').length).toBe(4 - applied);
    await expect(h.service.resume(started.id, h.caller)).rejects.toThrow(/while it is aborted/);
    await h.stop();
    await knex.destroy();
  });

  it.each(databases.eachSupportedId())('resumes after a runner dies mid-wave without applying twice on %p', async databaseId => {
    const clock = testClock();
    const { knex, driver, h } = await setup(databaseId, { clock, leaseMs: 10_000 });
    for (let i = 0; i < 8; i += 1) await h.addReady(`db-${i}`, 'memdb');
    await h.settle();
    const started = await h.service.create({ type: 'memdb', waves: [50] }, h.caller);
    // runner A claims and starts the first wave, then "dies": its claim is never released
    const a = h.makeRunner('runner-dead');
    expect(await h.rollouts.claim(started.id, a.workerId, 10_000, clock.now())).toBe(true);
    await a.advance(started.id);
    const b = h.makeRunner('runner-b');
    // while A's lease holds, B does nothing
    expect(await b.tick()).toBe(0);
    await h.settle();
    clock.advance(10_001);
    for (let i = 0; i < 10; i += 1) {
      await b.tick();
      await h.settle();
      if ((await h.rollouts.getRollout(started.id))!.status !== 'running') break;
    }
    expect((await h.rollouts.getRollout(started.id))!.status).toBe('succeeded');
    for (let i = 0; i < 8; i += 1) {
      expect(driver.calls.filter(c => c.name === `db-${i}` && c.op === 'update')).toHaveLength(1);
    }
    await h.stop();
    await knex.destroy();
  });

  it.each(databases.eachSupportedId())('runs one rollout once with two replicas ticking at once on %p', async databaseId => {
    const { knex, driver, h } = await setup(databaseId);
    for (let i = 0; i < 12; i += 1) await h.addReady(`db-${i}`, 'memdb');
    await h.settle();
    const started = await h.service.create({ type: 'memdb', waves: [10, 40] }, h.caller);
    const a = h.makeRunner('replica-a');
    const b = h.makeRunner('replica-b');
    for (let i = 0; i < 30; i += 1) {
      await Promise.all([a.tick(), b.tick(), a.advance(started.id), b.advance(started.id)]);
      await h.settle();
      if ((await h.rollouts.getRollout(started.id))!.status !== 'running') break;
    }
    expect((await h.rollouts.getRollout(started.id))!.status).toBe('succeeded');
    for (let i = 0; i < 12; i += 1) {
      expect(driver.calls.filter(c => c.name === `db-${i}` && c.op === 'update')).toHaveLength(1);
    }
    await h.stop();
    await knex.destroy();
  });
});
