import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { signalApiRef } from '@backstage/plugin-signals-react';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { provisioningApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import {
  apiError,
  makeResource,
  mockProvisioningApi,
  mockSignalApi,
} from '../../testUtils';
import { ApprovalsPage } from './ApprovalsPage';

jest.setTimeout(30_000);

const create = makeResource({
  name: 'big-db',
  state: 'awaiting-approval',
  parameters: { size: 'large' },
  monthlyCostUsd: 240,
});
const change = makeResource({
  name: 'invoice-db',
  pendingChange: {
    parameters: { size: 'large' },
    monthlyCostUsd: 240,
    requestedBy: 'user:default/dana.ortiz',
    requestedAt: '2026-11-02T09:00:00.000Z',
    changes: [{ key: 'size', from: 'small', to: 'large' }],
  },
});

async function renderApprovals(options: {
  api: ReturnType<typeof mockProvisioningApi>;
  approver: boolean;
  signals?: ReturnType<typeof mockSignalApi>;
}) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [provisioningApiRef, options.api],
        [catalogApiRef, catalogApiMock()],
        [
          permissionApiRef,
          mockApis.permission({
            authorize: () =>
              options.approver ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
          }),
        ],
        ...(options.signals
          ? [[signalApiRef, options.signals] as const]
          : []),
      ]}
    >
      <ApprovalsPage />
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/provisioning': rootRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    },
  );
}

describe('ApprovalsPage', () => {
  it('lists creates and pending changes with what changes and the cost', async () => {
    const api = mockProvisioningApi();
    api.listApprovals.mockResolvedValue({ items: [create, change] });
    await renderApprovals({ api, approver: true });
    const rows = await screen.findAllByTestId('approval-row');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent('big-db');
    expect(rows[0]).toHaveTextContent('New resource');
    expect(rows[0]).toHaveTextContent('$240.00/month');
    expect(rows[1]).toHaveTextContent('Change');
    expect(rows[1]).toHaveTextContent('size: small → large');
    expect(
      within(rows[1]).getByRole('link', { name: 'invoice-db' }),
    ).toHaveAttribute('href', `/provisioning/resources/${change.id}`);
  });

  it('shows the justification of deviations from the golden path (escape hatches)', async () => {
    const api = mockProvisioningApi();
    const deviating = makeResource({
      name: 'import-db',
      state: 'awaiting-approval',
      parameters: { size: 'small', connectionLimit: 120 },
      deviations: [
        {
          parameter: 'connectionLimit',
          value: 120,
          goldenPathDefault: 10,
          justification: 'The nightly import opens 120 connections.',
          requestedBy: 'user:default/dana.ortiz',
        },
      ],
    });
    const kept = makeResource({
      name: 'kept-db',
      parameters: { size: 'small', connectionLimit: 80 },
      deviations: [{ parameter: 'connectionLimit', value: 80, approvedBy: 'user:default/alex' }],
      pendingChange: {
        parameters: { size: 'large', connectionLimit: 80 },
        monthlyCostUsd: 240,
        requestedBy: 'user:default/dana.ortiz',
        requestedAt: '2026-11-02T09:00:00.000Z',
        changes: [{ key: 'size', from: 'small', to: 'large' }],
        deviations: [{ parameter: 'connectionLimit', value: 80, approvedBy: 'user:default/alex' }],
      },
    });
    api.listApprovals.mockResolvedValue({ items: [deviating, kept] });
    await renderApprovals({ api, approver: true });
    const rows = await screen.findAllByTestId('approval-row');
    expect(within(rows[0]).getByTestId('approval-deviation')).toHaveTextContent(
      'Outside the golden path: connectionLimit (120; golden path 10). Justification: “The nightly import opens 120 connections.”',
    );
    // an already approved deviation is not asked again
    expect(within(rows[1]).queryByTestId('approval-deviation')).toBeNull();
  });

  it('approves, and rejects only with a reason', async () => {
    const api = mockProvisioningApi();
    api.listApprovals.mockResolvedValue({ items: [create, change] });
    api.approveResource.mockResolvedValue(create);
    api.rejectResource.mockResolvedValue(change);
    await renderApprovals({ api, approver: true });
    const rows = await screen.findAllByTestId('approval-row');

    await waitFor(() =>
      expect(
        within(rows[0]).getByRole('button', { name: 'Approve' }),
      ).toBeInTheDocument(),
    );
    await userEvent.click(within(rows[0]).getByRole('button', { name: 'Approve' }));
    await userEvent.click(
      within(screen.getByRole('dialog')).getByRole('button', {
        name: 'Confirm approval',
      }),
    );
    await waitFor(() =>
      expect(api.approveResource).toHaveBeenCalledWith(create.id, {}),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    await userEvent.click(within(rows[1]).getByRole('button', { name: 'Reject' }));
    const dialog = screen.getByRole('dialog');
    const confirm = within(dialog).getByRole('button', {
      name: 'Confirm rejection',
    });
    expect(confirm).toBeDisabled();
    await userEvent.type(
      within(dialog).getByRole('textbox'),
      'too big for an invoice service',
    );
    await userEvent.click(confirm);
    await waitFor(() =>
      expect(api.rejectResource).toHaveBeenCalledWith(change.id, {
        reason: 'too big for an invoice service',
      }),
    );
    expect(api.listApprovals.mock.calls.length).toBeGreaterThanOrEqual(3);
  });

  it('shows no actions to non-approvers', async () => {
    const api = mockProvisioningApi();
    // A resource of its own: usePermission caches decisions per resource (SWR), and an earlier test
    // allowed approving `change`.
    const { id: _id, ...rest } = change;
    api.listApprovals.mockResolvedValue({ items: [makeResource(rest)] });
    await renderApprovals({ api, approver: false });
    await screen.findAllByTestId('approval-row');
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Reject' })).toBeNull();
  });

  it('explains a 403 from the API', async () => {
    const api = mockProvisioningApi();
    api.listApprovals.mockRejectedValue(apiError(403, 'approvers only'));
    await renderApprovals({ api, approver: false });
    expect(
      await screen.findByText(/Only approvers \(the platform team\) can see/),
    ).toBeInTheDocument();
  });

  it('reloads when the backend signals a change', async () => {
    const api = mockProvisioningApi();
    const signals = mockSignalApi();
    api.listApprovals
      .mockResolvedValueOnce({ items: [change] })
      .mockResolvedValue({ items: [] });
    await renderApprovals({ api, approver: true, signals });
    await screen.findAllByTestId('approval-row');
    act(() =>
      signals.publish('provisioning:resource', {
        id: change.id,
        eventId: 'e9',
        state: 'ready',
      }),
    );
    expect(
      await screen.findByText('Nothing waits for approval'),
    ).toBeInTheDocument();
  });
});
