import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { provisioningApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import {
  apiError,
  mockProvisioningApi,
  postgresType,
  redisType,
} from '../../testUtils';

// Rendering a whole page can take longer than jest's default 5 s on a busy 2-core CI machine.
jest.setTimeout(30_000);
import { OfferingsList } from './OfferingsList';

const mountedRoutes = {
  '/provisioning': rootRouteRef,
  '/catalog/:namespace/:kind/:name': entityRouteRef,
};

describe('OfferingsList', () => {
  it('shows every type with parameters, prices per size and a Request link', async () => {
    const api = mockProvisioningApi();
    api.listTypes.mockResolvedValue({ items: [postgresType, redisType] });
    await renderInTestApp(
      <TestApiProvider apis={[[provisioningApiRef, api]]}>
        <OfferingsList />
      </TestApiProvider>,
      { mountedRoutes },
    );
    const pg = screen.getByRole('article', { name: 'PostgreSQL database' });
    expect(within(pg).getByText(postgresType.description)).toBeInTheDocument();
    expect(within(pg).getByText('$15.00/month')).toBeInTheDocument();
    expect(within(pg).getByText('$60.00/month')).toBeInTheDocument();
    expect(within(pg).getByText('$240.00/month')).toBeInTheDocument();
    expect(within(pg).getByText(/needs approval/)).toBeInTheDocument();
    expect(within(pg).getByText(/Instance size/)).toBeInTheDocument();
    expect(within(pg).getByRole('button', { name: 'Request' })).toHaveAttribute(
      'href',
      '/provisioning/request/postgresql',
    );
    const redis = screen.getByRole('article', { name: 'Redis cache' });
    expect(within(redis).getByText('$40.00/month')).toBeInTheDocument();
    expect(within(redis).queryByText(/needs approval/)).toBeNull();
  });

  it('shows an empty state when nothing is offered', async () => {
    const api = mockProvisioningApi();
    api.listTypes.mockResolvedValue({ items: [] });
    await renderInTestApp(
      <TestApiProvider apis={[[provisioningApiRef, api]]}>
        <OfferingsList />
      </TestApiProvider>,
      { mountedRoutes },
    );
    expect(screen.getByText('No offerings yet')).toBeInTheDocument();
  });

  it('shows the error when the offerings cannot be loaded', async () => {
    const api = mockProvisioningApi();
    api.listTypes.mockRejectedValue(apiError(503, 'backend unavailable'));
    await renderInTestApp(
      <TestApiProvider apis={[[provisioningApiRef, api]]}>
        <OfferingsList />
      </TestApiProvider>,
      { mountedRoutes },
    );
    expect(
      screen.getByText(/Could not load the offerings/),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Try again' })).toBeEnabled();
  });
});
