/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createExtensionTester, renderTestApp } from '@backstage/frontend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { screen, within } from '@testing-library/react';
import plugin, { entityCostCard } from './alpha';
import { CostsApi, costsApiRef } from './api';

jest.setTimeout(30_000);

describe('platform console plugin (new frontend system)', () => {
  it('serves the Platform console at /platform with the Cost tab and a nav item', async () => {
    const api = {
      getCosts: jest.fn(async () => ({ months: ['2026-12'], items: [], demo: false })),
      getSummary: jest.fn(async () => ({
        month: '2026-12', soFarUsd: 0, forecastUsd: 0, accruedAt: '2026-12-06T00:00:00Z', demo: false, topResources: [],
      })),
      exportUrl: jest.fn(),
      exportCsv: jest.fn(),
    } as unknown as jest.Mocked<CostsApi>;
    renderTestApp({ features: [plugin], initialRouteEntries: ['/platform'], apis: [[costsApiRef, api]] });
    expect(await screen.findByRole('tab', { name: 'Cost' }, { timeout: 15_000 })).toBeInTheDocument();
    expect(await screen.findByText('No cost recorded in these months.')).toBeInTheDocument();
    const nav = screen.getByRole('navigation', { name: 'sidebar nav' });
    expect(within(nav).getByRole('link', { name: 'Platform console' })).toHaveAttribute('href', '/platform');
  });

  it('adds the Cost card to components and systems only', () => {
    const tester = createExtensionTester(entityCostCard);
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction);
    const entity = (kind: string): Entity => ({ apiVersion: 'backstage.io/v1alpha1', kind, metadata: { name: 'x' } });
    expect(filter!(entity('Component'))).toBe(true);
    expect(filter!(entity('System'))).toBe(true);
    expect(filter!(entity('Group'))).toBe(false);
  });
});
