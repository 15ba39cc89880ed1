import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { TestApiProvider, mockApis, renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { provisioningApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { mockProvisioningApi } from '../../testUtils';
import { RolloutsView } from './RolloutsView';
import { versionedPostgres } from './testData';

// Rendering a whole page can take longer than jest's default 5 s on a busy 2-core CI machine.
jest.setTimeout(30_000);

// its own file: usePermission caches the decision of a basic permission per test module
describe('RolloutsView for developers', () => {
  it('shows versions and how many are behind, but no start button', async () => {
    const api = mockProvisioningApi();
    api.listTypes.mockResolvedValue({ items: [versionedPostgres] });
    api.listRollouts.mockResolvedValue({ items: [] });
    const authorize = jest.fn(() => AuthorizeResult.DENY);
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [provisioningApiRef, api],
          [permissionApiRef, mockApis.permission({ authorize })],
        ]}
      >
        <RolloutsView />
      </TestApiProvider>,
      { mountedRoutes: { '/provisioning': rootRouteRef } },
    );
    expect(await screen.findByTestId('behind-postgresql')).toHaveTextContent('3');
    expect(screen.getByText('No rollouts yet')).toBeInTheDocument();
    await new Promise(r => setTimeout(r, 50));
    expect(authorize).toHaveBeenCalled();
    expect(screen.queryByRole('button', { name: 'Start rollout' })).toBeNull();
  });
});
