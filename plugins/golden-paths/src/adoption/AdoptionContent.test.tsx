/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { analyticsApiRef } from '@backstage/frontend-plugin-api';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { mountedRoutes } from '../testUtils/fixtures';
import { adoptionApiRef, AdoptionApi, AdoptionFunnel, AdoptionReport } from './AdoptionApi';
import { AdoptionContent } from './AdoptionContent';

const funnel = (started: number, completed: number, inCatalog: number, deployed: number, healthy: number): AdoptionFunnel => ({
  started,
  completed,
  inCatalog,
  deployed,
  healthy,
  conversion: {
    completed: completed / started,
    inCatalog: inCatalog / completed,
    deployed: deployed / inCatalog,
    healthy: healthy / deployed,
    overall: healthy / started,
  },
  medianHoursToFirstDeployment: 2,
});

const report: AdoptionReport = {
  from: '2026-09-14T00:00:00.000Z',
  to: '2026-12-06T01:00:00.000Z',
  weeks: 12,
  funnel: funnel(5, 4, 3, 2, 1),
  templates: [
    { templateRef: 'template:default/other-path', funnel: funnel(1, 1, 1, 1, 1) },
    { templateRef: 'template:default/typescript-service', funnel: funnel(4, 3, 2, 1, 0) },
  ],
  teams: [{ team: 'group:default/orders-team', funnel: funnel(5, 4, 3, 2, 1) }],
  goldenPathShare: {
    components: 5,
    fromGoldenPath: 3,
    share: 0.6,
    byTemplate: [{ template: 'template:default/typescript-service', components: 3 }],
  },
  selfService: {
    total: 3,
    weeks: [
      { weekStart: '2026-11-23T00:00:00.000Z', requests: 1 },
      { weekStart: '2026-11-30T00:00:00.000Z', requests: 2 },
    ],
  },
  warnings: [],
};

jest.setTimeout(60_000);

describe('AdoptionContent', () => {
  it('shows the funnel with conversion, share, self-service and per-template rows, and captures analytics events', async () => {
    const api: jest.Mocked<AdoptionApi> = { getAdoption: jest.fn().mockResolvedValue(report) };
    const analytics = mockApis.analytics();
    await renderInTestApp(<AdoptionContent />, {
      apis: [
        [adoptionApiRef, api],
        [analyticsApiRef, analytics],
      ],
      mountedRoutes,
    });
    const bars = await screen.findByTestId('adoption-funnel');
    expect(within(bars).getByTestId('funnel-started')).toHaveTextContent('5');
    expect(within(bars).getByTestId('funnel-completed')).toHaveTextContent('4');
    expect(within(bars).getByTestId('funnel-inCatalog')).toHaveTextContent('3');
    expect(within(bars).getByTestId('funnel-deployed')).toHaveTextContent('2');
    expect(within(bars).getByTestId('funnel-healthy')).toHaveTextContent('1');
    expect(bars).toHaveTextContent('80% of previous');
    expect(bars).toHaveTextContent('75% of previous');
    expect(screen.getByTestId('golden-path-share')).toHaveTextContent('60%');
    expect(screen.getByText('3 of 5 components in the catalog')).toBeInTheDocument();
    expect(screen.getByTestId('time-to-first-deployment')).toHaveTextContent('2 h');
    expect(screen.getByText('3 in 12 weeks')).toBeInTheDocument();
    const perTemplate = screen.getByRole('table', { name: 'Adoption per template' });
    expect(within(perTemplate).getAllByRole('row')).toHaveLength(3);
    expect(api.getAdoption).toHaveBeenCalledWith({ weeks: 12, template: undefined });
    expect(analytics.getEvents()).toContainEqual(
      expect.objectContaining({ action: 'view', subject: 'golden-path adoption' }),
    );

    fireEvent.mouseDown(screen.getByRole('button', { name: /All templates/ }));
    fireEvent.click(await screen.findByRole('option', { name: 'template:default/other-path' }));
    await waitFor(() =>
      expect(api.getAdoption).toHaveBeenLastCalledWith({ weeks: 12, template: 'template:default/other-path' }),
    );
    expect(analytics.getEvents()).toContainEqual(
      expect.objectContaining({ action: 'select', subject: 'template:default/other-path' }),
    );
  });

  it('shows sources that could not be read', async () => {
    const api: jest.Mocked<AdoptionApi> = {
      getAdoption: jest.fn().mockResolvedValue({ ...report, warnings: ['provisioning: HTTP 503'] }),
    };
    await renderInTestApp(<AdoptionContent />, { apis: [[adoptionApiRef, api]], mountedRoutes });
    expect(await screen.findByText(/Could not read provisioning: HTTP 503/)).toBeInTheDocument();
  });
});
