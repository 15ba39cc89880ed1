import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { StatusChip } from './StatusChip';

// Rendering a whole page can take longer than jest's default 5 s on a busy 2-core CI machine.
jest.setTimeout(30_000);

describe('StatusChip', () => {
  it.each([
    ['up', 'Up'],
    ['degraded', 'Degraded'],
    ['down', 'Down'],
    ['unknown', 'Unknown'],
  ] as const)('shows state %s as "%s"', async (state, label) => {
    renderInTestApp(<StatusChip state={state} />);
    const chip = await screen.findByTestId(`status-chip-${state}`);
    expect(chip).toHaveTextContent(label);
  });
});
