import { provisioningPlugin as legacyPlugin } from './plugin';
import plugin from './alpha';

// Rendering a whole page can take longer than jest's default 5 s on a busy 2-core CI machine.
jest.setTimeout(30_000);

describe('provisioning plugin', () => {
  it('exports the legacy plugin with its routes', () => {
    expect(legacyPlugin.getId()).toBe('provisioning');
    expect(Object.keys(legacyPlugin.routes)).toEqual([
      'root',
      'request',
      'resource',
      'approvals',
      'rollouts',
      'rollout',
    ]);
  });

  it('exports the new frontend system plugin as the default of ./alpha', () => {
    expect(plugin.$$type).toBe('@backstage/FrontendPlugin');
    expect(plugin.id).toBe('provisioning');
  });
});
