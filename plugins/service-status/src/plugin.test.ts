import { serviceStatusPlugin } from './plugin';

describe('service-status', () => {
  it('should export plugin', () => {
    expect(serviceStatusPlugin).toBeDefined();
  });
});
