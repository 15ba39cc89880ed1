/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import { RetirementPlanField } from './RetirementPlanField';

// Rendering a whole page can take longer than jest's default 5 s on a busy 2-core CI machine.
jest.setTimeout(30_000);

describe('RetirementPlanField', () => {
  it('lists what retiring the chosen component removes', async () => {
    const fetch = jest.fn(async (_input: any) => {
      return new Response(
        JSON.stringify({
          plan: { entityRef: 'component:default/invoice-api', owner: 'group:default/orders-team', resources: [] },
          lines: ["Resource postgresql 'invoice-api-db' (id 1, ready) will be deleted", 'Repository invoice-api will be archived'],
        }),
        { status: 200 },
      );
    });
    await renderInTestApp(
      <RetirementPlanField
        uiSchema={{ 'ui:options': { entityRefFrom: 'component' } }}
        formContext={{ formData: { component: 'component:default/invoice-api' } }}
      />,
      {
        apis: [
          [fetchApiRef, { fetch }],
          [discoveryApiRef, { getBaseUrl: async () => 'http://backend/api/scaffolder' }],
        ],
      },
    );
    expect(await screen.findByText(/postgresql 'invoice-api-db'/)).toBeInTheDocument();
    expect(screen.getByText('Repository invoice-api will be archived')).toBeInTheDocument();
    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/scaffolder/retirements/plan?entityRef=component%3Adefault%2Finvoice-api',
    );
  });

  it('asks for a service first', async () => {
    await renderInTestApp(<RetirementPlanField formContext={{ formData: {} }} />, {
      apis: [
        [fetchApiRef, { fetch: jest.fn() }],
        [discoveryApiRef, { getBaseUrl: async () => 'http://backend' }],
      ],
    });
    expect(screen.getByText('Choose a service first.')).toBeInTheDocument();
  });
});
