import { mockServices } from '@backstage/backend-test-utils';
import { DEFAULT_SCHEDULE, readProvisioningProviderConfig } from './config';

describe('readProvisioningProviderConfig', () => {
  it('defaults to every 10 s with a 1 min timeout', () => {
    expect(
      readProvisioningProviderConfig(
        mockServices.rootConfig({
          data: { app: { baseUrl: 'http://localhost:3000/' } },
        }),
      ),
    ).toEqual({
      schedule: DEFAULT_SCHEDULE,
      appBaseUrl: 'http://localhost:3000',
    });
    expect(DEFAULT_SCHEDULE).toEqual({
      frequency: { seconds: 10 },
      timeout: { minutes: 1 },
    });
  });

  it('reads a schedule', () => {
    expect(
      readProvisioningProviderConfig(
        mockServices.rootConfig({
          data: {
            app: { baseUrl: 'https://portal.example.com' },
            catalog: {
              providers: {
                provisioning: {
                  schedule: { frequency: { minutes: 2 }, timeout: '30s' },
                },
              },
            },
          },
        }),
      ).schedule,
    ).toMatchObject({ frequency: { minutes: 2 } });
  });
});
