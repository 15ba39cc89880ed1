import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import plugin from './alpha';

// Rendering a whole page can take longer than jest's default 5 s on a busy 2-core CI machine.
jest.setTimeout(30_000);

describe('new frontend system plugin', () => {
  it('is the default export with the page, API, entity content and card', () => {
    expect(plugin.pluginId).toBe('service-status');
    expect(plugin.getExtension('page:service-status')).toBeDefined();
    expect(plugin.getExtension('api:service-status')).toBeDefined();
    expect(plugin.getExtension('entity-content:service-status/status')).toBeDefined();
    expect(plugin.getExtension('entity-card:service-status/status')).toBeDefined();
  });

  it('mounts the page at /service-status with a title for the nav', () => {
    const tester = createExtensionTester(plugin.getExtension('page:service-status'));
    expect(tester.get(coreExtensionData.routePath)).toBe('/service-status');
    expect(tester.get(coreExtensionData.title)).toBe('Service status');
  });

  it('adds the Status tab to components and resources only', () => {
    const tester = createExtensionTester(
      plugin.getExtension('entity-content:service-status/status'),
    );
    expect(tester.get(coreExtensionData.routePath)).toBe('status');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Status');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
    const entity = (kind: string) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind,
      metadata: { name: 'x' },
    });
    expect(filter?.(entity('Component'))).toBe(true);
    expect(filter?.(entity('Resource'))).toBe(true);
    expect(filter?.(entity('Group'))).toBe(false);
  });
});
