/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { goldenPathsApiRef } from '../../api';
import { createApiMock, mountedRoutes, WithEntity } from '../../testUtils/fixtures';
import { EntityGoldenPathCard } from './EntityGoldenPathCard';

// Rendering a whole page can take longer than jest's default 5 s on a busy 2-core CI machine.
jest.setTimeout(30_000);

describe('EntityGoldenPathCard', () => {
  const api = createApiMock();
  const render = () =>
    renderInTestApp(
      <WithEntity>
        <EntityGoldenPathCard />
      </WithEntity>,
      { apis: [[goldenPathsApiRef, api]], mountedRoutes },
    );
  const behind = {
    entityRef: 'component:default/invoice-api',
    template: 'template:default/typescript-service',
    templateTitle: 'TypeScript HTTP service',
    version: '1.0.0',
    current: '2.0.0',
    behind: true,
    changes: [{ version: '2.0.0', changes: ['GET /metrics', 'Graceful shutdown'] }],
    upgradeTemplateRef: 'template:default/upgrade-service',
  };

  beforeEach(() => jest.resetAllMocks());

  it('says where the service came from, what the new version changes, and offers the upgrade', async () => {
    api.getEntity.mockResolvedValue(behind);
    await render();
    expect(await screen.findByText(/v2\.0\.0 is available/)).toBeInTheDocument();
    expect(screen.getByText('TypeScript HTTP service')).toBeInTheDocument();
    expect(screen.getByText(/Made from/)).toHaveTextContent('Made from TypeScript HTTP service v1.0.0.');
    expect(screen.getByTestId('changes')).toHaveTextContent('2.0.0: GET /metrics');
    const link = screen.getByRole('link', { name: 'Upgrade' });
    expect(link.getAttribute('href')).toContain('/create/templates/default/upgrade-service?formData=');
    expect(decodeURIComponent(link.getAttribute('href')!)).toContain('"component":"component:default/invoice-api"');
    expect(api.getEntity).toHaveBeenCalledWith('component:default/invoice-api');
  });

  it('merges an open, conflict-free upgrade branch', async () => {
    const upgrade = {
      repo: 'invoice-api',
      template: 'template:default/typescript-service',
      toVersion: '2.0.0',
      fromVersion: '1.0.0',
      branch: 'paved/upgrade/typescript-service-2.0.0',
      status: 'open' as const,
      conflicts: [],
      updatedAt: '2026-12-01T00:00:00Z',
    };
    api.getEntity.mockResolvedValueOnce({ ...behind, upgrade });
    api.getEntity.mockResolvedValueOnce({ ...behind, version: '2.0.0', behind: false, changes: [], upgrade: { ...upgrade, status: 'merged' } });
    api.merge.mockResolvedValue({ ...upgrade, status: 'merged' });
    await render();
    expect(await screen.findByTestId('upgrade')).toHaveTextContent('Upgrade to v2.0.0: open on branch paved/upgrade/typescript-service-2.0.0');
    fireEvent.click(screen.getByRole('button', { name: 'Merge paved/upgrade/typescript-service-2.0.0' }));
    await waitFor(() => expect(api.merge).toHaveBeenCalledWith('invoice-api', '2.0.0'));
    expect(await screen.findByText('Up to date with the newest version.')).toBeInTheDocument();
  });

  it('lists the conflicts of a conflicted upgrade and offers no merge', async () => {
    api.getEntity.mockResolvedValue({
      ...behind,
      upgrade: {
        repo: 'invoice-api',
        template: 'template:default/typescript-service',
        toVersion: '2.0.0',
        branch: 'paved/upgrade/typescript-service-2.0.0',
        status: 'conflicted',
        conflicts: [{ path: 'Dockerfile', reason: '1 conflicting change (conflict markers in the file)' }],
        updatedAt: '2026-12-01T00:00:00Z',
      },
    });
    await render();
    expect(await screen.findByText(/Dockerfile: 1 conflicting change/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Merge/ })).not.toBeInTheDocument();
  });
});
