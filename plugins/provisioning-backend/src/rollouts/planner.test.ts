import { planWaves } from './planner';

const resources = (n: number, owners = 3) =>
  Array.from({ length: n }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    name: `db-${String(i).padStart(3, '0')}`,
    owner: `group:default/team-${i % owners}`,
  }));

describe('planWaves', () => {
  it('makes a 5 % canary, 25 % and the rest by default', () => {
    const plan = planWaves(resources(500), { strategy: 'percent' });
    expect(plan.waves.map(w => [w.name, w.resources.length])).toEqual([
      ['canary', 25],
      ['wave 2', 125],
      ['rest', 350],
    ]);
    expect(new Set(plan.waves.flatMap(w => w.resources.map(r => r.id))).size).toBe(500);
  });

  it('gives every wave at least one resource and drops empty waves', () => {
    expect(planWaves(resources(3), { strategy: 'percent' }).waves.map(w => w.resources.length)).toEqual([1, 1, 1]);
    expect(planWaves(resources(1), { strategy: 'percent' }).waves.map(w => [w.name, w.resources.length])).toEqual([
      ['wave 1', 1],
    ]);
    expect(planWaves(resources(500), { strategy: 'percent', percents: [20, 20, 20, 20] }).waves.map(w => w.resources.length)).toEqual([
      100, 100, 100, 100, 100,
    ]);
  });

  it('makes one wave per owner, the smallest first', () => {
    const rs = [...resources(5, 2), { id: 'x', name: 'solo', owner: 'group:default/alone' }];
    const plan = planWaves(rs, { strategy: 'owner' });
    expect(plan.waves.map(w => [w.name, w.resources.length])).toEqual([
      ['group:default/alone', 1],
      ['group:default/team-1', 2],
      ['group:default/team-0', 3],
    ]);
  });

  it('refuses percentages that cannot make a plan', () => {
    expect(() => planWaves(resources(10), { strategy: 'percent', percents: [60, 40] })).toThrow(/less than 100 percent/);
    expect(() => planWaves(resources(10), { strategy: 'percent', percents: [0] })).toThrow(/between 1 and 99/);
    expect(() => planWaves(resources(10), { strategy: 'percent', percents: [2.5] })).toThrow(/between 1 and 99/);
  });
});
