import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Recommendation } from '@paved/backstage-plugin-provisioning-common';
import { InventoryApi, inventoryApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { RecommendationBanner, RecommendationsContent } from './RecommendationsContent';

jest.setTimeout(30_000);

const rec: Recommendation = {
  resourceId: '7f1c2a1e-0000-4000-8000-000000000001', resourceName: 'ledger-db', type: 'postgresql',
  owner: 'group:default/orders-team', kind: 'oversized', action: 'resize', currentSize: 'medium',
  recommendedSize: 'small', currentMonthlyCostUsd: 60, recommendedMonthlyCostUsd: 15, monthlySavingUsd: 45,
  message: 'medium -> small saves $45.00/month: peak 3 of 25 connections over 7 days',
  evidence: { windowDays: 7, from: '2026-11-30', to: '2026-12-06', sampledDays: 7, peakConnections: 3, connectionLimit: 25, demo: true },
};

function api(items: Recommendation[]): jest.Mocked<InventoryApi> {
  return {
    getInventory: jest.fn(),
    listRecommendations: jest.fn(async () => ({ items, totalMonthlySavingUsd: items.reduce((s, r) => s + r.monthlySavingUsd, 0) })),
    repairResource: jest.fn(),
    acceptDrift: jest.fn(),
  };
}

const render = (a: InventoryApi, children: JSX.Element) =>
  renderInTestApp(
    <TestApiProvider apis={[[inventoryApiRef, a], [catalogApiRef, catalogApiMock()]]}>{children}</TestApiProvider>,
    { mountedRoutes: { '/provisioning': rootRouteRef, '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );

describe('RecommendationsContent', () => {
  it('lists the recommendations with the saving, the evidence and a link to the pre-filled update', async () => {
    const a = api([rec]);
    await render(a, <RecommendationsContent owner={['group:default/orders-team']} />);
    const row = await screen.findByTestId('recommendation-ledger-db');
    expect(row).toHaveTextContent('medium -> small');
    expect(row).toHaveTextContent('$45.00/month');
    expect(row).toHaveTextContent('peak 3 of 25 connections over 7 days');
    expect(row).toHaveTextContent('demo data');
    expect(within(row).getByRole('button', { name: 'Resize to small' })).toHaveAttribute(
      'href',
      `/provisioning/resources/${rec.resourceId}?resize=small`,
    );
    expect(screen.getByTestId('total-saving')).toHaveTextContent('1 recommendation, saving $45.00/month in total');
    expect(a.listRecommendations).toHaveBeenCalledWith({ owner: ['group:default/orders-team'] });
  });

  it('says when there is nothing to recommend', async () => {
    await render(api([]), <RecommendationsContent />);
    expect(await screen.findByText('No rightsizing recommendations')).toBeInTheDocument();
  });

  it('shows one resource’s recommendation with one click to the resize', async () => {
    const onResize = jest.fn();
    const a = api([rec]);
    await render(a, <RecommendationBanner resourceId={rec.resourceId} onResize={onResize} />);
    const banner = await screen.findByTestId('recommendation');
    expect(banner).toHaveTextContent('Rightsizing: medium -> small saves $45.00/month');
    await userEvent.click(within(banner).getByRole('button', { name: 'Resize to small' }));
    expect(onResize).toHaveBeenCalledWith('small');
    expect(a.listRecommendations).toHaveBeenCalledWith({ resourceId: rec.resourceId });
  });
});
