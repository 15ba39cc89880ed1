import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  ProvisioningDriver,
  provisioningDriversExtensionPoint,
} from '@paved/backstage-plugin-provisioning-node';
import { provisioningModulePostgres } from './module';
import { TEST_POSTGRES_URL, connectionConfigFromUrl } from './__testUtils__';

describe('provisioningModulePostgres', () => {
  function fakeExtensionPoint() {
    const drivers: ProvisioningDriver[] = [];
    return {
      drivers,
      extensionPoint: {
        addDriver: (d: ProvisioningDriver) => drivers.push(d),
        addResourceTypeProvider: jest.fn(),
      },
    };
  }

  it('registers the postgres driver when a connection is configured', async () => {
    const fake = fakeExtensionPoint();
    const backend = await startTestBackend({
      extensionPoints: [
        [provisioningDriversExtensionPoint, fake.extensionPoint],
      ],
      features: [
        provisioningModulePostgres,
        mockServices.rootConfig.factory({
          data: {
            provisioning: {
              drivers: {
                postgres: {
                  connection: connectionConfigFromUrl(TEST_POSTGRES_URL),
                },
              },
            },
          },
        }),
      ],
    });
    expect(fake.drivers.map(d => d.id)).toEqual(['postgres']);
    await backend.stop();
  });

  it('registers nothing without a connection', async () => {
    const fake = fakeExtensionPoint();
    const backend = await startTestBackend({
      extensionPoints: [
        [provisioningDriversExtensionPoint, fake.extensionPoint],
      ],
      features: [
        provisioningModulePostgres,
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
    expect(fake.drivers).toEqual([]);
    await backend.stop();
  });
});
