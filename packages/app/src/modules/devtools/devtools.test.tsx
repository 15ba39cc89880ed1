import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import { useIsPlatformTeam } from './useIsPlatformTeam';
import { devToolsModules } from './devToolsModules';

// Rendering a whole page can take longer than jest's default 5 s on a busy 2-core CI machine.
jest.setTimeout(30_000);

function Probe() {
  return (
    <div>{useIsPlatformTeam() ? 'platform team' : 'not platform team'}</div>
  );
}

describe('developer tools visibility', () => {
  it('recognises a member of the platform team from the ownership refs', async () => {
    await renderInTestApp(<Probe />, {
      apis: [
        mockApis.identity({
          userEntityRef: 'user:default/priya.nair',
          ownershipEntityRefs: [
            'user:default/priya.nair',
            'group:default/Platform-Team',
          ],
        }),
      ],
    });
    expect(await screen.findByText('platform team')).toBeInTheDocument();
  });

  it('treats everyone else as outside the platform team', async () => {
    await renderInTestApp(<Probe />, {
      apis: [
        mockApis.identity({
          userEntityRef: 'user:default/dana.ortiz',
          ownershipEntityRefs: [
            'user:default/dana.ortiz',
            'group:default/orders-team',
          ],
        }),
      ],
    });
    expect(await screen.findByText('not platform team')).toBeInTheDocument();
  });

  it('overrides the scaffolder developer tabs and the Visualizer page', () => {
    const ids = devToolsModules.flatMap(m =>
      (m as unknown as { extensions: { id: string }[] }).extensions.map(
        e => e.id,
      ),
    );
    expect(ids).toEqual([
      'sub-page:scaffolder/editor',
      'sub-page:scaffolder/actions',
      'sub-page:scaffolder/templating-extensions',
      'page:app-visualizer',
    ]);
  });
});
