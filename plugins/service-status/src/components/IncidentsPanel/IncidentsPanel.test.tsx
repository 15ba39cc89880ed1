import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { serviceStatusApiRef } from '../../api';
import {
  createApiMock,
  openIncident,
  ORDERS_API,
} from '../../testUtils/fixtures';
import { IncidentsPanel } from './IncidentsPanel';

jest.setTimeout(30_000);

describe('IncidentsPanel', () => {
  const api = createApiMock();
  const onChange = jest.fn();
  const user = userEvent.setup({ delay: null });
  const type = (field: HTMLElement, value: string) =>
    fireEvent.change(field, { target: { value } });

  const render = (canManage = true) => {
    const alertApi = mockApis.alert();
    renderInTestApp(
      <IncidentsPanel
        entityRef={ORDERS_API}
        canManage={canManage}
        onChange={onChange}
      />,
      { apis: [[serviceStatusApiRef, api], alertApi] },
    );
    return { alertApi };
  };

  beforeEach(() => {
    jest.resetAllMocks();
    api.listIncidents.mockResolvedValue({ items: [] });
  });

  it('lists resolved incidents too when asked', async () => {
    api.listIncidents.mockResolvedValue({ items: [openIncident] });
    render(false);
    expect(await screen.findByText('Checkout errors')).toBeInTheDocument();
    expect(screen.getByText('SEV2: major')).toBeInTheDocument();
    expect(screen.getByText(/opened by dana.ortiz/)).toBeInTheDocument();
    await user.click(screen.getByRole('checkbox', { name: 'Show resolved' }));
    await waitFor(() =>
      expect(api.listIncidents).toHaveBeenLastCalledWith({
        entityRef: ORDERS_API,
        state: 'all',
        limit: 20,
      }),
    );
  });

  it('shows the error when incidents cannot be loaded', async () => {
    api.listIncidents.mockRejectedValue(new Error('incidents unavailable'));
    render();
    expect(
      (await screen.findAllByText(/incidents unavailable/)).length,
    ).toBeGreaterThan(0);
  });

  it('lets an owner open an incident', async () => {
    api.openIncident.mockResolvedValue({ ...openIncident, id: 'inc-2' });
    const { alertApi } = render();
    expect(await screen.findByText('No incidents.')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: /open incident/i }));
    const dialog = await screen.findByRole('dialog');
    const submit = within(dialog).getByRole('button', { name: 'Open incident' });
    expect(submit).toBeDisabled();

    type(within(dialog).getByLabelText(/Title/), 'Orders are failing');
    await user.click(within(dialog).getByRole('button', { name: /SEV2/ }));
    await user.click(await screen.findByRole('option', { name: 'SEV1: outage' }));
    type(
      within(dialog).getByLabelText(/What is happening/),
      'All POST /orders return 500',
    );
    api.listIncidents.mockResolvedValue({ items: [openIncident] });
    await user.click(submit);

    await waitFor(() =>
      expect(api.openIncident).toHaveBeenCalledWith({
        entityRef: ORDERS_API,
        title: 'Orders are failing',
        severity: 'sev1',
        message: 'All POST /orders return 500',
      }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    // The list is reloaded and the owner of the panel told to reload the status.
    expect(await screen.findByText('Checkout errors')).toBeInTheDocument();
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(alertApi.getAlerts()).toEqual([
      expect.objectContaining({ message: 'Incident opened', severity: 'success' }),
    ]);
  });

  it('shows the server error in the dialog when opening fails', async () => {
    api.openIncident.mockRejectedValue(new Error('You do not own this entity'));
    render();
    await user.click(
      await screen.findByRole('button', { name: /open incident/i }),
    );
    const dialog = await screen.findByRole('dialog');
    type(within(dialog).getByLabelText(/Title/), 'x');
    type(within(dialog).getByLabelText(/What is happening/), 'y');
    await user.click(within(dialog).getByRole('button', { name: 'Open incident' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'You do not own this entity',
    );
    expect(onChange).not.toHaveBeenCalled();
  });

  it('lets an owner post an update and resolve an incident', async () => {
    api.listIncidents.mockResolvedValue({ items: [openIncident] });
    api.updateIncident.mockResolvedValue(openIncident);
    api.resolveIncident.mockResolvedValue({ ...openIncident, state: 'resolved' });
    render();

    await user.click(await screen.findByRole('button', { name: 'Post update' }));
    let dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: /Investigating/ }));
    await user.click(await screen.findByRole('option', { name: 'Monitoring' }));
    type(
      within(dialog).getByLabelText(/Update/),
      'Fix deployed, watching error rates',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Post update' }));
    await waitFor(() =>
      expect(api.updateIncident).toHaveBeenCalledWith('inc-1', {
        message: 'Fix deployed, watching error rates',
        state: 'monitoring',
      }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );

    await user.click(screen.getByRole('button', { name: 'Resolve' }));
    dialog = await screen.findByRole('dialog');
    type(within(dialog).getByLabelText(/Closing note/), 'Connection pool raised');
    await user.click(within(dialog).getByRole('button', { name: 'Resolve' }));
    await waitFor(() =>
      expect(api.resolveIncident).toHaveBeenCalledWith('inc-1', {
        message: 'Connection pool raised',
      }),
    );
    expect(onChange).toHaveBeenCalledTimes(2);
  });
});
