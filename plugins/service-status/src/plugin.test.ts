import { serviceStatusApiRef } from './api';
import {
  EntityServiceStatusCard,
  EntityServiceStatusContent,
  ServiceStatusPage,
  serviceStatusPlugin,
} from './plugin';

describe('legacy serviceStatusPlugin', () => {
  it('has the plugin id and provides the API client', () => {
    expect(serviceStatusPlugin.getId()).toBe('service-status');
    const apis = [...serviceStatusPlugin.getApis()];
    expect(apis.map(factory => factory.api.id)).toEqual([
      serviceStatusApiRef.id,
      'plugin.service-status.scorecards',
    ]);
    expect(serviceStatusApiRef.id).toBe('plugin.service-status.api');
  });

  it('exports the page and the entity extensions', () => {
    expect(ServiceStatusPage).toBeDefined();
    expect(EntityServiceStatusCard).toBeDefined();
    expect(EntityServiceStatusContent).toBeDefined();
  });
});
