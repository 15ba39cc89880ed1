import { identityApiRef } from '@backstage/core-plugin-api';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { Resource } from '@paved/backstage-plugin-provisioning-common';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { provisioningApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import {
  apiError,
  makeResource,
  mockProvisioningApi,
  mockSignalApi,
  postgresType,
} from '../../testUtils';
import { ResourcePage } from './ResourcePage';
import { POLL_INTERVAL_MS } from './useResource';

jest.setTimeout(30_000);

const mountedRoutes = {
  '/provisioning': rootRouteRef,
  '/catalog/:namespace/:kind/:name': entityRouteRef,
};

const ORDERS = ['user:default/dana.ortiz', 'group:default/orders-team'];
const PAYMENTS = ['user:default/sam.lee', 'group:default/payments-team'];

async function renderPage(options: {
  resource: Resource;
  api?: ReturnType<typeof mockProvisioningApi>;
  ownership?: string[];
  approver?: boolean;
  /** Whether the permission policy allows update/delete (owners may always). Default true. */
  policyAllowsChanges?: boolean;
  /** A signal API (push); without it the page falls back to polling. */
  signals?: ReturnType<typeof mockSignalApi>;
}) {
  const api = options.api ?? mockProvisioningApi();
  api.listTypes.mockResolvedValue({ items: [postgresType] });
  if (!api.listDependents.getMockImplementation()) {
    api.listDependents.mockResolvedValue({ items: [] });
  }
  if (!api.getResource.getMockImplementation()) {
    api.getResource.mockResolvedValue(options.resource);
  }
  api.listEvents.mockResolvedValue({
    items: [
      {
        id: 'e1',
        resourceId: options.resource.id,
        at: '2026-11-01T10:00:00.000Z',
        actor: 'user:default/dana.ortiz',
        type: 'created',
        toState: 'requested',
        message: 'requested by dana.ortiz',
      },
      {
        id: 'e2',
        resourceId: options.resource.id,
        at: '2026-11-01T10:00:04.000Z',
        actor: 'plugin:provisioning',
        type: 'transition',
        fromState: 'provisioning',
        toState: 'ready',
        message: 'database created',
      },
    ],
  });
  api.estimate.mockImplementation(async ({ parameters }) => ({
    type: 'postgresql',
    size: parameters.size as string,
    monthlyCostUsd: parameters.size === 'medium' ? 60 : 15,
    currency: 'USD',
    requiresApproval: false,
    approval: { required: false },
  }));
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [provisioningApiRef, api],
        [
          identityApiRef,
          mockApis.identity({
            ownershipEntityRefs: options.ownership ?? ORDERS,
          }),
        ],
        [catalogApiRef, catalogApiMock()],
        [
          permissionApiRef,
          mockApis.permission({
            authorize: req => {
              if (req.permission.name === 'provisioning.resource.approve') {
                return options.approver
                  ? AuthorizeResult.ALLOW
                  : AuthorizeResult.DENY;
              }
              return options.policyAllowsChanges === false
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW;
            },
          }),
        ],
        ...(options.signals
          ? [[signalApiRef, options.signals] as const]
          : []),
      ]}
    >
      <ResourcePage id={options.resource.id} />
    </TestApiProvider>,
    { mountedRoutes },
  );
  await screen.findByRole('heading', { name: options.resource.name });
  return api;
}

describe('ResourcePage', () => {
  it('shows state, outputs and the event timeline', async () => {
    await renderPage({ resource: makeResource() });
    expect(screen.getByTestId('resource-state')).toHaveTextContent('ready');
    const outputs = screen.getByRole('table', { name: 'Outputs' });
    expect(within(outputs).getByText('invoice_db')).toBeInTheDocument();
    const timeline = await screen.findByRole('list', {
      name: 'Event timeline',
    });
    expect(within(timeline).getByText(/database created/)).toBeInTheDocument();
    expect(screen.getByText('$15.00/month')).toBeInTheDocument();
  });

  it('shows the type version the resource was last applied at', async () => {
    await renderPage({ resource: makeResource({ appliedVersion: '1.0.0', targetVersion: '1.1.0' }) });
    const overview = screen.getByRole('table', { name: 'Overview' });
    expect(within(overview).getByText('1.0.0 (applying 1.1.0)')).toBeInTheDocument();
  });

  it('warns of a condition the driver reports as not met (a cache above its memory budget)', async () => {
    const message =
      'The keys under orders-cache:* use 80 MiB of the 64 MiB maxmemory budget. Redis has no per-user memory limit, so writes still succeed: delete keys or set TTLs, or request a larger size or maxmemory';
    await renderPage({
      resource: makeResource({
        conditions: [
          { type: 'MemoryWithinBudget', status: 'False', reason: 'OverMemoryBudget', message, lastTransitionTime: '2026-12-06T04:00:00.000Z' },
          { type: 'Ready', status: 'True', reason: 'Available', lastTransitionTime: '2026-12-06T04:00:00.000Z' },
        ],
      }),
    });
    expect(screen.getByTestId('condition-MemoryWithinBudget')).toHaveTextContent(`OverMemoryBudget: ${message}`);
    expect(screen.queryByTestId('condition-Ready')).not.toBeInTheDocument();
  });

  it('lets owners reveal credentials and hides them again', async () => {
    const api = mockProvisioningApi();
    api.getCredentials.mockResolvedValue({
      url: 'postgresql://invoice_db:s3cret@127.0.0.1:5432/invoice_db',
      values: { password: 's3cret' },
    });
    const resource = makeResource();
    await renderPage({ resource, api });
    expect(screen.queryByTestId('credentials-url')).toBeNull();
    expect(screen.queryByText(/s3cret/)).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Reveal' }));
    expect(await screen.findByTestId('credentials-url')).toHaveTextContent(
      'postgresql://invoice_db:s3cret@127.0.0.1:5432/invoice_db',
    );
    expect(api.getCredentials).toHaveBeenCalledWith(resource.id);
    await userEvent.click(screen.getByRole('button', { name: 'Hide' }));
    expect(screen.queryByTestId('credentials-url')).toBeNull();
    // never stored in the browser
    for (const storage of [window.localStorage, window.sessionStorage]) {
      for (let i = 0; i < storage.length; i++) {
        expect(storage.getItem(storage.key(i)!)).not.toContain('s3cret');
      }
    }
    expect(document.body.textContent).not.toContain('s3cret');
  });

  it('offers no credentials and no changes to non-owners', async () => {
    const api = await renderPage({
      resource: makeResource(),
      ownership: PAYMENTS,
      approver: false,
      policyAllowsChanges: false,
    });
    expect(screen.queryByRole('button', { name: 'Reveal' })).toBeNull();
    expect(
      screen.getByText(
        'Only members of orders-team can see the credentials of this resource.',
      ),
    ).toBeInTheDocument();
    expect(api.getCredentials).not.toHaveBeenCalled();
    await waitFor(() =>
      expect(screen.queryByRole('button', { name: 'Delete' })).toBeNull(),
    );
    expect(screen.queryByRole('button', { name: 'Update' })).toBeNull();
  });

  it('deletes only after the exact name is typed', async () => {
    const api = mockProvisioningApi();
    const resource = makeResource();
    api.deleteResource.mockResolvedValue({ ...resource, state: 'deleting' });
    await renderPage({ resource, api });
    await userEvent.click(screen.getByRole('button', { name: 'Delete' }));
    const dialog = screen.getByRole('dialog');
    expect(within(dialog).getByText(/invoice_db/)).toBeInTheDocument();
    const confirm = within(dialog).getByRole('button', { name: 'Delete' });
    const input = within(dialog).getByRole('textbox', {
      name: 'Type the resource name to confirm',
    });
    expect(confirm).toBeDisabled();
    await userEvent.type(input, 'invoice-d');
    expect(confirm).toBeDisabled();
    await userEvent.type(input, 'bx');
    expect(confirm).toBeDisabled();
    await userEvent.clear(input);
    await userEvent.type(input, 'invoice-db');
    expect(confirm).toBeEnabled();
    await userEvent.click(confirm);
    await waitFor(() =>
      expect(api.deleteResource).toHaveBeenCalledWith(resource.id),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('says who may delete when the API answers 403', async () => {
    const api = mockProvisioningApi();
    api.deleteResource.mockRejectedValue(apiError(403, 'not a member'));
    await renderPage({ resource: makeResource(), api });
    await userEvent.click(screen.getByRole('button', { name: 'Delete' }));
    const dialog = screen.getByRole('dialog');
    await userEvent.type(
      within(dialog).getByRole('textbox', {
        name: 'Type the resource name to confirm',
      }),
      'invoice-db',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Delete' }),
    );
    expect(
      await within(dialog).findByText(
        /Only members of orders-team can delete this resource/,
      ),
    ).toBeInTheDocument();
  });

  it('updates with the form pre-filled, showing what changes and the new cost', async () => {
    const api = mockProvisioningApi();
    const resource = makeResource();
    api.updateResource.mockResolvedValue({ ...resource, state: 'updating' });
    await renderPage({ resource, api });
    await userEvent.click(screen.getByRole('button', { name: 'Update' }));
    const dialog = screen.getByRole('dialog');
    expect(within(dialog).getByText(/Nothing yet/)).toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Apply update' }),
    ).toBeDisabled();
    await userEvent.click(
      within(dialog).getByRole('button', { name: /size/i }),
    );
    await userEvent.click(
      within(screen.getByRole('listbox')).getByRole('option', {
        name: 'medium',
      }),
    );
    expect(within(dialog).getByTestId('update-changes')).toHaveTextContent(
      'size: "small" → "medium"',
    );
    await waitFor(() =>
      expect(within(dialog).getByTestId('estimate-amount')).toHaveTextContent(
        '$60.00/month',
      ),
    );
    expect(
      within(dialog).getByText('(today $15.00/month)'),
    ).toBeInTheDocument();
    expect(within(dialog).getByTestId('policy-outcome')).toHaveTextContent(
      'the change is applied as soon as you submit',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Apply update' }),
    );
    await waitFor(() =>
      expect(api.updateResource).toHaveBeenCalledWith(resource.id, {
        parameters: { size: 'medium' },
      }),
    );
  });

  it('offers retry when failed', async () => {
    const api = mockProvisioningApi();
    const resource = makeResource({
      state: 'failed',
      reason: 'connection refused',
    });
    api.retryResource.mockResolvedValue({ ...resource, state: 'requested' });
    await renderPage({ resource, api });
    expect(screen.getByTestId('resource-reason')).toHaveTextContent(
      'connection refused',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() =>
      expect(api.retryResource).toHaveBeenCalledWith(resource.id),
    );
  });

  it('shows approve and reject only to approvers; reject needs a reason', async () => {
    const api = mockProvisioningApi();
    const resource = makeResource({
      state: 'awaiting-approval',
      parameters: { size: 'large' },
    });
    api.rejectResource.mockResolvedValue({ ...resource, state: 'deleted' });
    await renderPage({ resource, api, approver: true });
    expect(
      await screen.findByRole('button', { name: 'Approve' }),
    ).toBeEnabled();
    await userEvent.click(screen.getByRole('button', { name: 'Reject' }));
    const dialog = screen.getByRole('dialog');
    const confirm = within(dialog).getByRole('button', {
      name: 'Confirm rejection',
    });
    expect(confirm).toBeDisabled();
    await userEvent.type(
      within(dialog).getByRole('textbox'),
      'use medium first',
    );
    await userEvent.click(confirm);
    await waitFor(() =>
      expect(api.rejectResource).toHaveBeenCalledWith(resource.id, {
        reason: 'use medium first',
      }),
    );
  });

  it('hides approve and reject from non-approvers', async () => {
    await renderPage({
      resource: makeResource({ state: 'awaiting-approval' }),
      approver: false,
    });
    expect(screen.getByTestId('resource-state')).toHaveTextContent(
      'awaiting-approval',
    );
    await waitFor(() =>
      expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull(),
    );
    expect(screen.queryByRole('button', { name: 'Reject' })).toBeNull();
  });

  it('updates on a signal for this resource and runs no polling timer while signals work', async () => {
    const setTimeoutSpy = jest.spyOn(window, 'setTimeout');
    const api = mockProvisioningApi();
    const signals = mockSignalApi({ echoFrom: api });
    const resource = makeResource({ state: 'provisioning', outputs: {} });
    api.getResource.mockResolvedValue(resource);
    await renderPage({ resource, api, signals });
    expect(signals.subscribe).toHaveBeenCalledWith(
      'provisioning:resource',
      expect.any(Function),
    );
    expect(api.echoSignal).toHaveBeenCalled();
    // The first read, and one re-read when the connection was proven live.
    await waitFor(() => expect(api.getResource).toHaveBeenCalledTimes(2));
    api.getResource.mockResolvedValue({ ...resource, state: 'ready' });

    // A change of another resource does not reload this one.
    act(() =>
      signals.publish('provisioning:resource', { id: 'other', eventId: 'x' }),
    );
    act(() =>
      signals.publish('provisioning:resource', {
        id: resource.id,
        eventId: 'e3',
        state: 'ready',
      }),
    );
    await waitFor(() =>
      expect(screen.getByTestId('resource-state')).toHaveTextContent('ready'),
    );
    expect(api.getResource).toHaveBeenCalledTimes(3);
    // No timer re-reads the resource while the connection is live: no polling, no periodic re-check.
    expect(
      setTimeoutSpy.mock.calls.filter(([fn]) => fn.name === 'pollResource'),
    ).toHaveLength(0);
    setTimeoutSpy.mockRestore();
  });

  it('with signals, polls until the connection is proven live, then re-reads once and stops', async () => {
    const api = mockProvisioningApi();
    const signals = mockSignalApi();
    const resource = makeResource({ state: 'provisioning', outputs: {} });
    api.getResource.mockResolvedValue(resource);
    const setTimeoutSpy = jest.spyOn(window, 'setTimeout');
    await renderPage({ resource, api, signals });
    expect(screen.getByTestId('resource-state')).toHaveTextContent(
      'provisioning',
    );
    await waitFor(() =>
      expect(
        setTimeoutSpy.mock.calls.filter(
          ([fn, ms]) => ms === POLL_INTERVAL_MS && fn.name === 'pollResource',
        ),
      ).toHaveLength(1),
    );
    const pollTimer = setTimeoutSpy.mock.results.find(
      (_r, i) =>
        setTimeoutSpy.mock.calls[i][0].name === 'pollResource' &&
        setTimeoutSpy.mock.calls[i][1] === POLL_INTERVAL_MS,
    )?.value;
    const clearTimeoutSpy = jest.spyOn(window, 'clearTimeout');
    // The resource became ready before the subscription was up: no signal for it will come.
    api.getResource.mockResolvedValue({ ...resource, state: 'ready' });
    const calls = api.getResource.mock.calls.length;
    const nonce = api.echoSignal.mock.calls.at(-1)![0];
    act(() => signals.publish('provisioning:resource', { echo: nonce }));
    await waitFor(() =>
      expect(screen.getByTestId('resource-state')).toHaveTextContent('ready'),
    );
    expect(api.getResource).toHaveBeenCalledTimes(calls + 1);
    expect(clearTimeoutSpy).toHaveBeenCalledWith(pollTimer);
    setTimeoutSpy.mockRestore();
    clearTimeoutSpy.mockRestore();
  });

  it('falls back to polling while the resource is not in a terminal state when signals are unavailable', async () => {
    const api = mockProvisioningApi();
    const resource = makeResource({ state: 'provisioning', outputs: {} });
    api.getResource
      .mockResolvedValueOnce(resource)
      .mockResolvedValue({ ...resource, state: 'ready' });
    const setTimeoutSpy = jest.spyOn(window, 'setTimeout');
    await renderPage({ resource, api });
    expect(screen.getByTestId('resource-state')).toHaveTextContent(
      'provisioning',
    );
    expect(
      setTimeoutSpy.mock.calls.filter(
        ([fn, ms]) => ms === POLL_INTERVAL_MS && fn.name === 'pollResource',
      ),
    ).toHaveLength(1);
    setTimeoutSpy.mockRestore();
    await waitFor(
      () =>
        expect(screen.getByTestId('resource-state')).toHaveTextContent('ready'),
      { timeout: 5000 },
    );
    expect(api.getResource).toHaveBeenCalledTimes(2);
  });

  it('keeps polling through a transient failure', async () => {
    const api = mockProvisioningApi();
    const resource = makeResource({ state: 'provisioning', outputs: {} });
    api.getResource
      .mockResolvedValueOnce(resource)
      .mockRejectedValueOnce(new TypeError('Failed to fetch'))
      .mockResolvedValue({ ...resource, state: 'ready' });
    await renderPage({ resource, api });
    expect(
      await screen.findByTestId('poll-error', {}, { timeout: 5000 }),
    ).toBeInTheDocument();
    await waitFor(
      () =>
        expect(screen.getByTestId('resource-state')).toHaveTextContent('ready'),
      { timeout: 8000 },
    );
    expect(screen.queryByTestId('poll-error')).toBeNull();
  });

  it('shows a not-found state', async () => {
    const api = mockProvisioningApi();
    api.listTypes.mockResolvedValue({ items: [postgresType] });
    api.getResource.mockRejectedValue(apiError(404, 'no such resource'));
    api.listEvents.mockResolvedValue({ items: [] });
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [provisioningApiRef, api],
          [identityApiRef, mockApis.identity()],
          [permissionApiRef, mockApis.permission()],
          [catalogApiRef, catalogApiMock()],
        ]}
      >
        <ResourcePage id="missing" />
      </TestApiProvider>,
      { mountedRoutes },
    );
    expect(await screen.findByText('Resource not found')).toBeInTheDocument();
  });

  describe('approvals, withdraw and delete (issue 10)', () => {
    const pendingChange = {
      parameters: { size: 'large' },
      monthlyCostUsd: 240,
      requestedBy: 'user:default/dana.ortiz',
      requestedAt: '2026-11-02T09:00:00.000Z',
      changes: [{ key: 'size', from: 'small', to: 'large' }],
    };

    it('shows a pending change with its diff and new cost while credentials and Update stay available', async () => {
      const api = mockProvisioningApi();
      const resource = makeResource({ state: 'ready', pendingChange });
      api.withdrawResource.mockResolvedValue({
        ...resource,
        pendingChange: undefined,
      });
      await renderPage({ resource, api });
      const rows = screen.getAllByTestId('pending-change-row');
      expect(rows.map(r => r.textContent)).toEqual(['sizesmalllarge']);
      expect(screen.getByTestId('pending-change-cost')).toHaveTextContent(
        '$240.00/month',
      );
      expect(screen.getByTestId('resource-state')).toHaveTextContent('ready');
      expect(screen.getByRole('button', { name: 'Update' })).toBeEnabled();
      expect(screen.getByRole('button', { name: 'Reveal' })).toBeEnabled();
      // The owner is not an approver: no decision buttons, but Withdraw.
      expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
      await userEvent.click(screen.getByRole('button', { name: 'Withdraw' }));
      await waitFor(() =>
        expect(api.withdrawResource).toHaveBeenCalledWith(resource.id),
      );
    });

    it('lets approvers approve a pending change', async () => {
      const api = mockProvisioningApi();
      const resource = makeResource({ state: 'ready', pendingChange });
      api.approveResource.mockResolvedValue(resource);
      await renderPage({
        resource,
        api,
        approver: true,
        ownership: PAYMENTS,
        policyAllowsChanges: false,
      });
      expect(screen.queryByRole('button', { name: 'Withdraw' })).toBeNull();
      await userEvent.click(screen.getByRole('button', { name: 'Approve' }));
      await userEvent.click(
        within(screen.getByRole('dialog')).getByRole('button', {
          name: 'Confirm approval',
        }),
      );
      await waitFor(() =>
        expect(api.approveResource).toHaveBeenCalledWith(resource.id, {}),
      );
    });

    it('lets the owner withdraw a create awaiting approval', async () => {
      const api = mockProvisioningApi();
      const resource = makeResource({ state: 'awaiting-approval' });
      api.withdrawResource.mockResolvedValue({ ...resource, state: 'deleted' });
      await renderPage({ resource, api });
      await userEvent.click(
        screen.getByRole('button', { name: 'Withdraw request' }),
      );
      await waitFor(() =>
        expect(api.withdrawResource).toHaveBeenCalledWith(resource.id),
      );
    });

    it('lists the dependents in the delete dialog', async () => {
      const api = mockProvisioningApi();
      api.listDependents.mockResolvedValue({
        items: [
          {
            entityRef: 'component:default/invoice-api',
            kind: 'Component',
            title: 'Invoice API',
          },
        ],
      });
      const resource = makeResource();
      await renderPage({ resource, api });
      await userEvent.click(screen.getByRole('button', { name: 'Delete' }));
      const dialog = screen.getByRole('dialog');
      const list = await within(dialog).findByRole('list', {
        name: 'Dependents',
      });
      expect(within(list).getByText('Invoice API')).toBeInTheDocument();
      expect(api.listDependents).toHaveBeenCalledWith(resource.id);
      expect(within(dialog).queryByText(/Force remove/)).toBeNull();
    });

    it('shows why a delete failed, with Retry, and Delete again', async () => {
      const api = mockProvisioningApi();
      const resource = makeResource({
        state: 'failed',
        reason: 'delete failed: connection refused',
      });
      api.retryResource.mockResolvedValue({ ...resource, state: 'deleting' });
      await renderPage({ resource, api });
      const alert = screen.getByTestId('failed-reason');
      expect(alert).toHaveTextContent('delete failed: connection refused');
      expect(screen.getByRole('button', { name: 'Delete' })).toBeEnabled();
      await userEvent.click(within(alert).getByRole('button', { name: 'Retry' }));
      await waitFor(() =>
        expect(api.retryResource).toHaveBeenCalledWith(resource.id),
      );
    });

    it('offers approvers a confirmed force remove', async () => {
      const api = mockProvisioningApi();
      const resource = makeResource({ state: 'failed', reason: 'stuck' });
      api.deleteResource.mockResolvedValue({ ...resource, state: 'deleted' });
      await renderPage({ resource, api, approver: true });
      await userEvent.click(screen.getByRole('button', { name: 'Delete' }));
      const dialog = screen.getByRole('dialog');
      await userEvent.click(
        within(dialog).getByRole('checkbox', { name: /Force remove/ }),
      );
      const confirm = within(dialog).getByRole('button', {
        name: 'Force remove',
      });
      expect(confirm).toBeDisabled();
      await userEvent.type(
        within(dialog).getByRole('textbox', {
          name: 'Type the resource name to confirm',
        }),
        'invoice-db',
      );
      await userEvent.click(confirm);
      await waitFor(() =>
        expect(api.deleteResource).toHaveBeenCalledWith(resource.id, {
          force: true,
        }),
      );
    });
  });
});
