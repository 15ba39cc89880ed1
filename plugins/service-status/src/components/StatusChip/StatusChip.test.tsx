import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { StatusChip } from './StatusChip';

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
