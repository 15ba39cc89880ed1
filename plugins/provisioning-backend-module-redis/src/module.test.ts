import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  ProvisioningDriver,
  provisioningDriversExtensionPoint,
} from '@paved/backstage-plugin-provisioning-node';
import { provisioningModuleRedis } from './module';
import { TEST_REDIS_URL } from './__testUtils__';

describe('provisioningModuleRedis', () => {
  async function start(data: object) {
    const drivers: ProvisioningDriver[] = [];
    const backend = await startTestBackend({
      extensionPoints: [
        [
          provisioningDriversExtensionPoint,
          {
            addDriver: (d: ProvisioningDriver) => drivers.push(d),
            addResourceTypeProvider: jest.fn(),
          },
        ],
      ],
      features: [
        provisioningModuleRedis,
        mockServices.rootConfig.factory({ data }),
      ],
    });
    await backend.stop();
    return drivers;
  }

  it('registers the redis driver when a URL is configured', async () => {
    const drivers = await start({
      provisioning: { drivers: { redis: { url: TEST_REDIS_URL } } },
    });
    expect(drivers.map(d => d.id)).toEqual(['redis']);
  });

  it('registers nothing without a URL', async () => {
    await expect(start({})).resolves.toEqual([]);
  });
});
