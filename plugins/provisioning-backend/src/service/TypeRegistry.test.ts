import { mockServices } from '@backstage/backend-test-utils';
import type { ResourceTypeDefinition } from '@paved/backstage-plugin-provisioning-common';
import { MemoryDriver } from '../__testUtils__/MemoryDriver';
import { TypeRegistry } from './TypeRegistry';

const type = (id: string, driver: string): ResourceTypeDefinition => ({
  id,
  title: id,
  description: '',
  driver,
  parameters: { type: 'object' },
  pricing: {},
  policy: { approvalRequiredForSizes: [] },
  repairDrift: false,
  entityType: 'database',
});

describe('TypeRegistry', () => {
  it('keeps types whose driver is installed and accepts them, warning once about the rest', async () => {
    const memory = new MemoryDriver();
    const picky = Object.assign(new MemoryDriver('picky'), {
      validateType: (t: ResourceTypeDefinition) => {
        if (t.id === 'refused') throw new Error('sizes lack a connection limit');
      },
    });
    const logger = mockServices.logger.mock();
    let provided = [type('discovered', 'memory'), type('a', 'memory')];
    const registry = new TypeRegistry({
      configTypes: [type('a', 'memory'), type('b', 'absent'), type('refused', 'picky')],
      drivers: new Map([
        ['memory', memory],
        ['picky', picky],
      ]),
      providers: [{ id: 'cluster', getResourceTypes: async () => provided }],
      logger,
    });
    await registry.refresh();
    expect(registry.list().map(t => t.id)).toEqual(['a', 'discovered']);
    expect(registry.get('b')).toBeUndefined();
    expect(registry.driverFor(registry.get('a')!)).toBe(memory);
    expect(logger.warn).toHaveBeenCalledWith(
      "Skipping resource type 'b': driver 'absent' is not installed or not configured",
    );
    expect(logger.warn).toHaveBeenCalledWith(
      "Skipping resource type 'refused': driver 'picky' refused it: sizes lack a connection limit",
    );
    const warnings = logger.warn.mock.calls.length;
    await registry.refresh();
    expect(logger.warn.mock.calls.length).toBe(warnings);

    provided = [];
    await registry.refresh();
    expect(registry.list().map(t => t.id)).toEqual(['a']);
  });
});
