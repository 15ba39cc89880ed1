import { identityApiRef } from '@backstage/core-plugin-api';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { TestApiProvider, mockApis, renderInTestApp } from '@backstage/test-utils';
import type { CostEstimate, Resource, ResourceType } from '@paved/backstage-plugin-provisioning-common';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ReactNode } from 'react';
import { provisioningApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { makeResource, mockProvisioningApi, postgresType } from '../../testUtils';
import { ResourceList } from '../ResourcesTable/ResourceList';
import { RequestForm } from '../RequestForm/RequestForm';
import { ResourcePage } from '../ResourcePage/ResourcePage';
import { ClockProvider } from './clock';
import { TimeLeft } from './TimeLeft';
import { formatTimeLeft, parseTtl, ttlProblem } from '../../ttl';

jest.setTimeout(90_000);

/** Types by pasting (one change event): fast on a loaded machine. */
async function fill(element: HTMLElement, text: string) {
  await userEvent.clear(element);
  await userEvent.click(element);
  await userEvent.paste(text);
}

const HOUR = 3_600_000;
const NOW = Date.parse('2026-12-06T10:00:00.000Z');
const mountedRoutes = {
  '/provisioning': rootRouteRef,
  '/catalog/:namespace/:kind/:name': entityRouteRef,
};

/** The dev PostgreSQL type with its escape hatches and a 7-day TTL maximum. */
const previewType: ResourceType = {
  ...postgresType,
  parameters: {
    type: 'object',
    properties: {
      size: { type: 'string', title: 'size', enum: ['small', 'medium', 'large'], default: 'small' },
      connectionLimit: { type: 'integer', title: 'Connection limit (advanced)' },
    },
  },
  ttl: { maxMs: 7 * 24 * HOUR, required: false },
  advancedParameters: [{ parameter: 'connectionLimit', goldenPathDefaultBySize: { small: 10 } }],
};

function estimate(parameters: Record<string, unknown>): CostEstimate {
  const deviating = parameters.connectionLimit !== undefined && parameters.connectionLimit !== 10;
  return {
    type: 'postgresql',
    size: 'small',
    monthlyCostUsd: 15,
    currency: 'USD',
    requiresApproval: deviating,
    ...(deviating ? { approvers: 'group:default/platform-team' } : {}),
    approval: deviating
      ? { required: true, reason: 'needs approval: advanced parameter connectionLimit (outside the golden path)' }
      : { required: false },
    deviations: deviating ? [{ parameter: 'connectionLimit', value: parameters.connectionLimit, goldenPathDefault: 10 }] : [],
    justificationRequired: deviating,
  };
}

function apis(api: ReturnType<typeof mockProvisioningApi>) {
  return [
    [provisioningApiRef, api],
    [
      identityApiRef,
      mockApis.identity({
        userEntityRef: 'user:default/dana.ortiz',
        ownershipEntityRefs: ['user:default/dana.ortiz', 'group:default/orders-team'],
      }),
    ],
    [catalogApiRef, catalogApiMock()],
    [permissionApiRef, mockApis.permission({ authorize: () => AuthorizeResult.ALLOW })],
  ] as const;
}

async function render(api: ReturnType<typeof mockProvisioningApi>, node: ReactNode, clock = () => NOW) {
  await renderInTestApp(
    <TestApiProvider apis={apis(api) as any}>
      <ClockProvider clock={clock}>{node}</ClockProvider>
    </TestApiProvider>,
    { mountedRoutes },
  );
}

describe('time to live and escape hatches in the UI (issue 14)', () => {
  it('parses and describes durations in words', () => {
    expect(parseTtl('2h')).toBe(2 * HOUR);
    expect(parseTtl('1d 12h')).toBe(36 * HOUR);
    expect(parseTtl('PT90M')).toBe(1.5 * HOUR);
    expect(parseTtl('soon')).toBeUndefined();
    const rules = { maxMs: 7 * 24 * HOUR, required: false };
    expect(ttlProblem('8d', rules)).toBe('8 days is longer than the maximum of 7 days.');
    expect(ttlProblem('soon', rules)).toBe("'soon' is not a duration: write e.g. 2h, 90m, 3d or 1d 12h.");
    expect(ttlProblem('', { ...rules, required: true })).toMatch(/needs a time to live, at most 7 days/);
    expect(formatTimeLeft('2026-12-06T12:00:00.000Z', NOW)).toBe('2 h 0 min left');
    expect(formatTimeLeft('2026-12-06T09:00:00.000Z', NOW)).toBe('expired');
  });

  it('request form: takes a TTL with its maximum in the help, refuses one too long in words, sends ISO 8601', async () => {
    const api = mockProvisioningApi();
    api.estimate.mockImplementation(async ({ parameters }) => estimate(parameters));
    api.createResource.mockResolvedValue(makeResource({ name: 'preview-db' }));
    const onCreated = jest.fn();
    await render(api, <RequestForm type={previewType} onCreated={onCreated} />);
    const field = screen.getByRole('textbox', { name: /^Time to live/ });
    expect(screen.getByText(/leave empty and it does not expire, at most 7 days/)).toBeInTheDocument();
    await fill(screen.getByRole('textbox', { name: /^Name/ }), 'preview-db');
    await fill(field, '8d');
    expect(screen.getByText('8 days is longer than the maximum of 7 days.')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Submit request' }));
    expect(api.createResource).not.toHaveBeenCalled();
    await userEvent.clear(field);
    await fill(field, '2h');
    expect(screen.getByText(/^2 hours\./)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Submit request' }));
    await waitFor(() => expect(onCreated).toHaveBeenCalled());
    expect(api.createResource).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'preview-db', ttl: 'PT2H', parameters: { size: 'small' } }),
    );
  });

  it('request form: a type that requires a TTL says so on submit, not before', async () => {
    const api = mockProvisioningApi();
    api.estimate.mockImplementation(async ({ parameters }) => estimate(parameters));
    await render(
      api,
      <RequestForm type={{ ...previewType, ttl: { maxMs: 48 * HOUR, required: true } }} onCreated={jest.fn()} />,
    );
    expect(screen.getByText(/required, at most 2 days/)).toBeInTheDocument();
    expect(screen.queryByText(/needs a time to live/)).toBeNull();
    await fill(screen.getByRole('textbox', { name: /^Name/ }), 'preview-db');
    await userEvent.click(screen.getByRole('button', { name: 'Submit request' }));
    expect(
      await screen.findByText('This type needs a time to live, at most 2 days (e.g. 2h or 3d).'),
    ).toBeInTheDocument();
    expect(api.createResource).not.toHaveBeenCalled();
  });

  it('request form: an advanced value shows "needs approval" before submit and asks for a justification', async () => {
    const api = mockProvisioningApi();
    api.estimate.mockImplementation(async ({ parameters }) => estimate(parameters));
    api.createResource.mockResolvedValue(makeResource({ state: 'awaiting-approval' }));
    const onCreated = jest.fn();
    await render(api, <RequestForm type={previewType} onCreated={onCreated} />);
    await fill(screen.getByRole('textbox', { name: /^Name/ }), 'orders-db');
    expect(screen.queryByRole('textbox', { name: /^Justification/ })).toBeNull();
    await fill(screen.getByRole('spinbutton', { name: /Connection limit/ }), '120');
    await waitFor(() =>
      expect(screen.getByTestId('policy-outcome')).toHaveTextContent(
        'Advanced parameter connectionLimit needs approval by platform-team',
      ),
    );
    expect(screen.getByTestId('deviations-outcome')).toHaveTextContent(
      'needs approval: advanced parameter connectionLimit = 120 (golden path: 10)',
    );
    const justification = screen.getByRole('textbox', { name: /^Justification/ });
    await userEvent.click(screen.getByRole('button', { name: 'Submit request' }));
    expect(
      screen.getByText('Explain why you need the advanced parameter connectionLimit outside the golden path.'),
    ).toBeInTheDocument();
    expect(api.createResource).not.toHaveBeenCalled();
    await fill(justification, 'too short');
    expect(screen.getByText('Write a little more: at least 20 characters (9 so far).')).toBeInTheDocument();
    await userEvent.clear(justification);
    await fill(justification, 'The nightly import opens 120 connections.');
    await userEvent.click(screen.getByRole('button', { name: 'Submit request' }));
    await waitFor(() => expect(onCreated).toHaveBeenCalled());
    expect(api.createResource).toHaveBeenCalledWith(
      expect.objectContaining({
        parameters: { size: 'small', connectionLimit: 120 },
        justification: 'The nightly import opens 120 connections.',
      }),
    );
  });

  it('time left follows the injected clock', async () => {
    let now = NOW;
    const api = mockProvisioningApi();
    await render(api, <TimeLeft expiresAt="2026-12-06T12:00:00.000Z" />, () => now);
    expect(screen.getByTestId('time-left')).toHaveTextContent('2 h 0 min left');
    act(() => {
      now = NOW + 61_000;
    });
    await waitFor(() => expect(screen.getByTestId('time-left')).toHaveTextContent('1 h 58 min left'), { timeout: 3000 });
    act(() => {
      now = NOW + 3 * HOUR;
    });
    await waitFor(() => expect(screen.getByTestId('time-left')).toHaveTextContent('expired'), { timeout: 3000 });
  });

  it('resources table: time left and deviations per resource', async () => {
    const api = mockProvisioningApi();
    const resources: Resource[] = [
      makeResource({ name: 'preview-db', expiresAt: '2026-12-06T12:00:00.000Z', ttl: 'PT2H' }),
      makeResource({
        name: 'orders-db',
        deviations: [{ parameter: 'connectionLimit', value: 120, goldenPathDefault: 10, justification: 'nightly import', approvedBy: 'user:default/alex' }],
      }),
    ];
    await render(api, <ResourceList resources={resources} />);
    const rows = screen.getAllByRole('row');
    expect(within(rows[1]).getByTestId('time-left')).toHaveTextContent('2 h 0 min left');
    expect(within(rows[1]).getByText('on path')).toBeInTheDocument();
    expect(within(rows[2]).getByTestId('deviation-chip')).toHaveTextContent('deviates: connectionLimit');
  });

  it('resource page: shows time left, deviations, and extends up to the maximum', async () => {
    const api = mockProvisioningApi();
    const resource = makeResource({
      name: 'preview-db',
      expiresAt: '2026-12-06T12:00:00.000Z',
      ttl: 'PT2H',
      deviations: [
        { parameter: 'connectionLimit', value: 120, goldenPathDefault: 10, justification: 'The nightly import opens 120 connections.', requestedBy: 'user:default/dana.ortiz', approvedBy: 'user:default/alex.kim' },
      ],
    });
    api.listTypes.mockResolvedValue({ items: [previewType] });
    let current = resource;
    api.getResource.mockImplementation(async () => current);
    api.listEvents.mockResolvedValue({ items: [] });
    api.listDependents.mockResolvedValue({ items: [] });
    api.extendResource.mockImplementation(async (_id, { ttl }) => {
      current = { ...resource, ttl, expiresAt: '2026-12-09T10:00:00.000Z' };
      return current;
    });
    await render(api, <ResourcePage id={resource.id} />);
    await screen.findByRole('heading', { name: 'preview-db' });
    expect(screen.getAllByTestId('time-left')[0]).toHaveTextContent('2 h 0 min left');
    const deviations = screen.getByRole('table', { name: 'Deviations' });
    expect(within(deviations).getByText('connectionLimit')).toBeInTheDocument();
    expect(within(deviations).getByText('The nightly import opens 120 connections.')).toBeInTheDocument();
    expect(within(deviations).getByText('alex.kim')).toBeInTheDocument();

    await userEvent.click(await screen.findByRole('button', { name: 'Extend' }));
    const dialog = screen.getByRole('dialog');
    const field = within(dialog).getByRole('textbox', { name: /New time to live/ });
    await userEvent.clear(field);
    await fill(field, '8d');
    expect(within(dialog).getByText('8 days is longer than the maximum of 7 days from now.')).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Extend' })).toBeDisabled();
    await userEvent.clear(field);
    await fill(field, '3d');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Extend' }));
    await waitFor(() => expect(api.extendResource).toHaveBeenCalledWith(resource.id, { ttl: 'P3D' }));
    await waitFor(() => expect(screen.getAllByTestId('time-left')[0]).toHaveTextContent('3 d 0 h left'));
  });
});
