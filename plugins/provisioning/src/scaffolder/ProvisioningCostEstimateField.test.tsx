import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { Stepper } from '@backstage/plugin-scaffolder-react/alpha';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import fs from 'node:fs';
import { join } from 'node:path';
import yaml from 'yaml';
import { provisioningApiRef } from '../api';
import {
  makeResource,
  mockProvisioningApi,
  postgresType,
  redisType,
} from '../testUtils';
import { pavedFieldOptions } from './formFields';

jest.setTimeout(30_000);

const TEMPLATES = join(__dirname, '../../../../templates');

/** The real template's parameters, as the scaffolder page gets them (`GET /v2/templates/.../parameter-schema`). */
function manifestOf(dir: string) {
  const template = yaml.parse(
    fs.readFileSync(join(TEMPLATES, dir, 'template.yaml'), 'utf8'),
  );
  return {
    title: template.metadata.title,
    steps: template.spec.parameters.map((schema: any) => ({
      title: schema.title,
      description: schema.description,
      schema,
    })),
  };
}

const PRICES: Record<string, Record<string, number>> = {
  postgresql: { small: 15, medium: 60, large: 240 },
  redis: { small: 5, medium: 20, large: 80 },
};

function fakeApi() {
  const api = mockProvisioningApi();
  api.listTypes.mockResolvedValue({ items: [postgresType, redisType] });
  api.estimate.mockImplementation(async ({ type, parameters }) => {
    const size = (parameters.size as string) ?? 'small';
    return {
      type,
      size,
      monthlyCostUsd: PRICES[type][size],
      currency: 'USD' as const,
      requiresApproval: size === 'large',
      approvers: size === 'large' ? 'group:default/platform-team' : undefined,
      approval: { required: size === 'large' },
    };
  });
  api.listResources.mockImplementation(async query => ({
    items:
      query?.name === 'orders-api-db'
        ? [
            makeResource({
              name: 'orders-api-db',
              owner: 'group:default/orders-team',
            }),
          ]
        : [],
    totals: [],
  }));
  return api;
}

const catalog = catalogApiMock({
  entities: [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'orders-api', title: 'Orders API' },
      spec: { type: 'service', owner: 'group:default/orders-team' },
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'orders-team', title: 'Orders team' },
      spec: { type: 'team', children: [] },
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: { name: 'orders', title: 'Orders' },
      spec: { owner: 'group:default/orders-team' },
    },
  ],
});

const extensions = Object.values(pavedFieldOptions);

async function renderTemplate(
  api: ReturnType<typeof fakeApi>,
  initialState: Record<string, unknown>,
  dir = 'typescript-service',
) {
  const onCreate = jest.fn();
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [provisioningApiRef, api],
        [catalogApiRef, catalog],
      ]}
    >
      <Stepper
        manifest={manifestOf(dir) as any}
        extensions={extensions as any}
        onCreate={onCreate}
        initialState={initialState as any}
      />
    </TestApiProvider>,
  );
  return { onCreate };
}

const about = {
  name: 'invoice-api',
  description: 'Creates and sends invoices for orders.',
  owner: 'group:default/orders-team',
  system: 'system:default/orders',
};

async function toInfrastructure(name = about.name) {
  await waitFor(() =>
    expect(screen.getByTestId('paved-available-name')).toHaveValue(name),
  );
  await userEvent.click(screen.getByRole('button', { name: 'Next' }));
  await screen.findByLabelText(/Needs a PostgreSQL database/);
}

async function chooseOption(label: RegExp, option: string) {
  await userEvent.click(screen.getByRole('button', { name: label }));
  await userEvent.click(
    within(screen.getByRole('listbox')).getByRole('option', { name: option }),
  );
}

const total = () => screen.getAllByTestId('paved-cost-estimate-total')[0];

describe('ProvisioningCostEstimate in the TypeScript HTTP service template', () => {
  it('shows the size under its own checkbox and the estimate as the size changes, then the approval for large', async () => {
    const api = fakeApi();
    await renderTemplate(api, about);
    await toInfrastructure();
    await waitFor(() => expect(total()).toHaveTextContent('$0.00/month'));

    await userEvent.click(screen.getByLabelText(/Needs a PostgreSQL database/));
    // The database size sits between its checkbox and the Redis checkbox.
    const sizeButton = await screen.findByRole('button', {
      name: /Database size/,
    });
    const database = screen.getByLabelText(/Needs a PostgreSQL database/);
    const redis = screen.getByLabelText(/Needs a Redis cache/);
    // eslint-disable-next-line no-bitwise
    expect(
      database.compareDocumentPosition(sizeButton) &
        Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
    // eslint-disable-next-line no-bitwise
    expect(
      sizeButton.compareDocumentPosition(redis) &
        Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
    // No price written into the option titles.
    expect(sizeButton).toHaveTextContent('Small: 10 connections');
    expect(sizeButton.textContent).not.toMatch(/\$/);

    await waitFor(() => expect(total()).toHaveTextContent('$15.00/month'));
    expect(screen.getByTestId('paved-approval-outcome')).toHaveTextContent(
      'No approval needed',
    );

    await chooseOption(/Database size/, 'Medium: 25 connections');
    await waitFor(() => expect(total()).toHaveTextContent('$60.00/month'));

    await userEvent.click(screen.getByLabelText(/Needs a Redis cache/));
    await waitFor(() => expect(total()).toHaveTextContent('$65.00/month'));

    await chooseOption(/Database size/, 'Large: 50 connections');
    await waitFor(() => expect(total()).toHaveTextContent('$245.00/month'));
    expect(screen.getByTestId('paved-approval-outcome')).toHaveTextContent(
      'PostgreSQL database (size large) needs approval by platform-team',
    );
    expect(api.estimate).toHaveBeenLastCalledWith({
      type: 'redis',
      parameters: { size: 'small' },
    });

    // The review shows the total with the approval outcome and the titles of the team and system, not refs.
    await userEvent.click(screen.getByRole('button', { name: 'Review' }));
    await screen.findByText(
      /\$245\.00\/month; PostgreSQL database \(size large\) needs approval/,
    );
    expect(screen.getByText('Orders team')).toBeInTheDocument();
    expect(screen.getByText('Orders')).toBeInTheDocument();
    expect(
      screen.queryByText('group:default/orders-team'),
    ).not.toBeInTheDocument();
    expect(screen.queryByText('system:default/orders')).not.toBeInTheDocument();
  });

  it('stops at Next when the service name is taken in the catalog', async () => {
    const api = fakeApi();
    await renderTemplate(api, { ...about, name: 'orders-api' });
    // As you type: the field says so.
    await screen.findByText(
      "The name 'orders-api' is already taken by the component Orders API (owned by orders-team): choose another name",
    );
    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    await waitFor(() =>
      expect(
        screen.getAllByText(/The name 'orders-api' is already taken/).length,
      ).toBeGreaterThan(1),
    );
    expect(screen.queryByLabelText(/Needs a PostgreSQL database/)).toBeNull();
  });

  it('stops at Review when the database name derived from the service is taken', async () => {
    const api = fakeApi();
    await renderTemplate(api, { ...about, name: 'orders-api-2' });
    await toInfrastructure('orders-api-2');
    // The component name is free, but a database of that name already exists (left by another service).
    api.listResources.mockResolvedValue({
      items: [makeResource({ name: 'orders-api-2-db' })],
      totals: [],
    });
    await userEvent.click(screen.getByLabelText(/Needs a PostgreSQL database/));
    const message =
      "The name 'orders-api-2-db' is already taken by a PostgreSQL database owned by orders-team: choose another name";
    await screen.findByText(message);
    await userEvent.click(screen.getByRole('button', { name: 'Review' }));
    await waitFor(() =>
      expect(
        screen.getAllByText(new RegExp(message.replace(/[().]/g, '\\$&')))
          .length,
      ).toBeGreaterThan(1),
    );
    expect(screen.getByRole('button', { name: 'Review' })).toBeInTheDocument();
    expect(api.listResources).toHaveBeenCalledWith({
      name: 'orders-api-2-db',
      type: 'postgresql',
      limit: 1,
    });
  });

  it('explains a bad name in words, not as a pattern', async () => {
    const api = fakeApi();
    await renderTemplate(api, { ...about, name: 'Invoice_API' });
    await waitFor(() =>
      expect(screen.getByTestId('paved-available-name')).toHaveValue(
        'Invoice_API',
      ),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findAllByText(
      /must use only lowercase letters, digits and dashes, start with a letter and not end with a dash/,
    );
    expect(screen.queryByText(/must match pattern/)).toBeNull();
  });
});

describe('ProvisioningCostEstimate in the PostgreSQL database template', () => {
  it('estimates the chosen size and checks the name against the type', async () => {
    const api = fakeApi();
    await renderTemplate(
      api,
      {
        component: 'component:default/orders-api',
        owner: 'group:default/orders-team',
        name: 'orders-api-db',
      },
      'postgresql-database',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByText(
      "The name 'orders-api-db' is already taken by a PostgreSQL database owned by orders-team: choose another name",
    );
    await waitFor(() => expect(total()).toHaveTextContent('$15.00/month'));
    await chooseOption(/^Size/, 'Large: 50 connections');
    await waitFor(() => expect(total()).toHaveTextContent('$240.00/month'));
    expect(screen.getByTestId('paved-approval-outcome')).toHaveTextContent(
      'needs approval by platform-team',
    );
  });
});
