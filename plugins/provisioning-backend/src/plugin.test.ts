import {
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { provisioningDriversExtensionPoint } from '@paved/backstage-plugin-provisioning-node';
import { MemoryDriver } from './__testUtils__/MemoryDriver';
import { provisioningPlugin } from './plugin';

const driverModule = (moduleId: string) =>
  createBackendModule({
    pluginId: 'provisioning',
    moduleId,
    register(reg) {
      reg.registerInit({
        deps: { ep: provisioningDriversExtensionPoint },
        async init({ ep }) {
          ep.addDriver(new MemoryDriver('same-id'));
        },
      });
    },
  });

describe('provisioningPlugin', () => {
  it('refuses two drivers with the same id', async () => {
    await expect(
      startTestBackend({
        features: [
          provisioningPlugin,
          driverModule('one'),
          driverModule('two'),
          mockServices.rootConfig.factory({
            data: { provisioning: { secrets: { key: 'k' } } },
          }),
        ],
      }),
    ).rejects.toThrow("A provisioning driver with id 'same-id' is already installed");
  });
});
