import { provisioningPlugin } from './plugin';

describe('provisioning', () => {
  it('should export plugin', () => {
    expect(provisioningPlugin).toBeDefined();
  });
});
