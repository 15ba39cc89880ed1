import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import type { Entity } from '@backstage/catalog-model';
import { mountedRoutes } from '../../testUtils/fixtures';
import { EntityScorecardCard } from './EntityScorecardCard';
import { rollUpScorecards, TeamScorecards } from './TeamScorecards';
import { scorecardApiRef, ScorecardApi, ScorecardCheckResult } from './ScorecardApi';

jest.setTimeout(60_000);

const check = (id: string, name: string, result: boolean): ScorecardCheckResult => ({
  check: { id, name, description: `${name} (description)` },
  result,
});

const invoiceApi: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'invoice-api', namespace: 'default' },
  spec: { owner: 'group:default/orders-team' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/orders-team' }],
};
const legacy: Entity = {
  ...invoiceApi,
  metadata: { name: 'legacy-batch', namespace: 'default' },
};
const payments: Entity = {
  ...invoiceApi,
  metadata: { name: 'payments-api', namespace: 'default' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/payments-team' }],
};

function api(): jest.Mocked<ScorecardApi> {
  return {
    runChecks: jest.fn().mockResolvedValue([
      check('pavedHasOwner', 'Has an owner', true),
      check('pavedHasDocs', 'Has docs', true),
      check('pavedDeploymentsReported', 'Deployments reported', false),
    ]),
    runChecksForEntities: jest.fn().mockImplementation(async refs =>
      refs.map((entity: string) => ({
        entity,
        results: [
          check('pavedHasOwner', 'Has an owner', true),
          check('pavedHasDocs', 'Has docs', entity.endsWith('invoice-api')),
        ],
      })),
    ),
  };
}

describe('Scorecards', () => {
  it('shows the entity scorecard with passed and failed checks', async () => {
    const scorecards = api();
    await renderInTestApp(
      <EntityProvider entity={invoiceApi}>
        <EntityScorecardCard />
      </EntityProvider>,
      { apis: [[scorecardApiRef, scorecards]], mountedRoutes },
    );
    expect(await screen.findByTestId('scorecard-score')).toHaveTextContent('2 of 3 checks pass');
    expect(screen.getByTestId('check-pavedDeploymentsReported')).toHaveAttribute('data-result', 'false');
    expect(screen.getByText('Has docs')).toBeInTheDocument();
    expect(scorecards.runChecks).toHaveBeenCalledWith('component:default/invoice-api');
  });

  it('rolls scorecards up per team', async () => {
    expect(
      rollUpScorecards(
        new Map([
          ['component:default/a', 'group:default/t1'],
          ['component:default/b', 'group:default/t1'],
        ]),
        [
          { entity: 'component:default/a', results: [check('x', 'X', true), check('y', 'Y', false)] },
          { entity: 'component:default/b', results: [check('x', 'X', true), check('y', 'Y', true)] },
        ],
      ),
    ).toEqual([
      {
        team: 'group:default/t1',
        components: 2,
        score: 0.75,
        checks: [
          { id: 'x', name: 'X', passed: 2, total: 2 },
          { id: 'y', name: 'Y', passed: 1, total: 2 },
        ],
      },
    ]);

    const scorecards = api();
    await renderInTestApp(<TeamScorecards />, {
      apis: [
        [scorecardApiRef, scorecards],
        catalogApiMock({ entities: [invoiceApi, legacy, payments] }),
      ],
      mountedRoutes,
    });
    const table = await screen.findByRole('table', { name: 'Scorecards per team' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent('orders-team');
    expect(rows[0]).toHaveTextContent('75%');
    expect(rows[0]).toHaveTextContent('1/2');
    expect(rows[1]).toHaveTextContent('payments-team');
    expect(rows[1]).toHaveTextContent('50%');
  });
});
