import {
  createExtensionTester,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { screen, within } from '@testing-library/react';
import plugin, { provisioningEntityContent } from './alpha';
import { provisioningApiRef } from './api';
import { mockProvisioningApi, postgresType } from './testUtils';

jest.setTimeout(30_000);

describe('provisioning plugin (new frontend system)', () => {
  it('serves the Self-service page at /provisioning with the offerings', async () => {
    const api = mockProvisioningApi();
    api.listTypes.mockResolvedValue({ items: [postgresType] });
    renderTestApp({
      features: [plugin],
      initialRouteEntries: ['/provisioning'],
      apis: [[provisioningApiRef, api]],
    });
    expect(
      await screen.findByRole(
        'article',
        { name: 'PostgreSQL database' },
        { timeout: 15_000 },
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Offerings' })).toBeInTheDocument();
    // legacy sub-route refs resolve in the new system too
    expect(screen.getByRole('button', { name: 'Request' })).toHaveAttribute(
      'href',
      '/provisioning/request/postgresql',
    );
    // the nav item made from the page's title and icon
    const nav = screen.getByRole('navigation', { name: 'sidebar nav' });
    expect(
      within(nav).getByRole('link', { name: 'Self-service' }),
    ).toHaveAttribute('href', '/provisioning');
  });

  it('adds a Resources tab to components and systems only', () => {
    const tester = createExtensionTester(provisioningEntityContent);
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Resources');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
    const entity = (kind: string): Entity => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind,
      metadata: { name: 'x' },
    });
    expect(filter).toBeDefined();
    expect(filter!(entity('Component'))).toBe(true);
    expect(filter!(entity('System'))).toBe(true);
    expect(filter!(entity('Group'))).toBe(false);
    expect(filter!(entity('Resource'))).toBe(false);
  });
});
