/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { goldenPathsApiRef } from '../../api';
import { createApiMock, fleet, mountedRoutes } from '../../testUtils/fixtures';
import { GoldenPathsPageContent } from './GoldenPathsPage';

// Rendering a whole page can take longer than jest's default 5 s on a busy 2-core CI machine.
jest.setTimeout(30_000);

describe('GoldenPathsPage', () => {
  const api = createApiMock();
  beforeEach(() => jest.resetAllMocks());

  it('shows versions, services on each, who is behind, and runs a campaign with progress', async () => {
    api.listTemplates.mockResolvedValue([fleet]);
    api.startCampaign.mockResolvedValue({
      id: 'c1',
      template: fleet.ref,
      toVersion: '2.0.0',
      createdBy: 'user:default/dana',
      total: 2,
      createdAt: '2026-12-01T00:00:00Z',
      counts: { queued: 2 },
      done: 0,
      finished: false,
    });
    await renderInTestApp(<GoldenPathsPageContent />, {
      apis: [[goldenPathsApiRef, api]],
      mountedRoutes,
    });
    expect(await screen.findByText('TypeScript HTTP service (v2.0.0)')).toBeInTheDocument();
    const counts = screen.getByTestId(`counts-${fleet.ref}`);
    expect(counts).toHaveTextContent('3 services');
    expect(counts).toHaveTextContent('2 behind');
    expect(screen.getByText('v1.0.0')).toBeInTheDocument();
    expect(screen.getByText(/GET \/metrics; Graceful shutdown/)).toBeInTheDocument();
    expect(screen.getByText('billing-api')).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Open upgrades for all 2 services behind' }));
    await waitFor(() => expect(api.startCampaign).toHaveBeenCalledWith('template:default/typescript-service'));
    expect(await screen.findByTestId('campaign')).toHaveTextContent('Campaign to v2.0.0: 0 of 2 done');
  });
});
