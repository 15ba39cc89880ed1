import { identityApiRef } from '@backstage/core-plugin-api';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { provisioningApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import {
  apiError,
  makeResource,
  mockProvisioningApi,
  postgresType,
} from '../../testUtils';
import { RequestForm } from './RequestForm';

const mountedRoutes = {
  '/provisioning': rootRouteRef,
  '/catalog/:namespace/:kind/:name': entityRouteRef,
};

function estimateFor(size: string) {
  const price = (postgresType.pricing as Record<string, number>)[size];
  return {
    type: 'postgresql',
    size,
    monthlyCostUsd: price,
    currency: 'USD' as const,
    requiresApproval: size === 'large',
    approvers: size === 'large' ? 'group:default/platform-team' : undefined,
    approval: { required: size === 'large' },
  };
}

async function renderForm(
  api: ReturnType<typeof mockProvisioningApi>,
  props: Partial<Parameters<typeof RequestForm>[0]> = {},
) {
  const onCreated = jest.fn();
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [provisioningApiRef, api],
        [
          identityApiRef,
          mockApis.identity({
            userEntityRef: 'user:default/dana.ortiz',
            ownershipEntityRefs: [
              'user:default/dana.ortiz',
              'group:default/orders-team',
            ],
          }),
        ],
        [catalogApiRef, catalogApiMock()],
      ]}
    >
      <RequestForm type={postgresType} onCreated={onCreated} {...props} />
    </TestApiProvider>,
    { mountedRoutes },
  );
  return { onCreated };
}

async function chooseSize(size: string) {
  await userEvent.click(screen.getByRole('button', { name: /size/i }));
  await userEvent.click(
    within(screen.getByRole('listbox')).getByRole('option', { name: size }),
  );
}

jest.setTimeout(30_000);

describe('RequestForm', () => {
  it('updates the estimate and policy outcome as the size changes, then submits the right body', async () => {
    const api = mockProvisioningApi();
    api.estimate.mockImplementation(async ({ parameters }) =>
      estimateFor(parameters.size as string),
    );
    api.createResource.mockResolvedValue(
      makeResource({ state: 'awaiting-approval' }),
    );
    const { onCreated } = await renderForm(api, {
      entityRef: 'component:default/invoice-api',
      system: 'system:default/orders',
    });

    await waitFor(() =>
      expect(screen.getByTestId('estimate-amount')).toHaveTextContent(
        '$15.00/month',
      ),
    );
    expect(api.estimate).toHaveBeenLastCalledWith({
      type: 'postgresql',
      parameters: { size: 'small' },
    });
    expect(screen.getByTestId('policy-outcome')).toHaveTextContent(
      'No approval needed',
    );

    await chooseSize('large');
    await waitFor(() =>
      expect(screen.getByTestId('estimate-amount')).toHaveTextContent(
        '$240.00/month',
      ),
    );
    expect(screen.getByTestId('policy-outcome')).toHaveTextContent(
      'Size large needs approval by platform-team',
    );

    await userEvent.type(
      screen.getByRole('textbox', { name: /^Name/ }),
      'invoice-db',
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Submit request' }),
    );
    await waitFor(() => expect(onCreated).toHaveBeenCalled());
    expect(api.createResource).toHaveBeenCalledWith({
      name: 'invoice-db',
      type: 'postgresql',
      owner: 'group:default/orders-team',
      entityRef: 'component:default/invoice-api',
      system: 'system:default/orders',
      parameters: { size: 'large' },
    });
  });

  it('refuses an invalid name without calling the API', async () => {
    const api = mockProvisioningApi();
    api.estimate.mockResolvedValue(estimateFor('small'));
    await renderForm(api);
    await userEvent.type(
      screen.getByRole('textbox', { name: /^Name/ }),
      'Bad_Name',
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Submit request' }),
    );
    expect(
      screen.getAllByText(/use lowercase letters, digits and '-'/).length,
    ).toBeGreaterThan(0);
    expect(api.createResource).not.toHaveBeenCalled();
  });

  it("shows the type's naming rules inline and refuses a reserved name with the API's words", async () => {
    const api = mockProvisioningApi();
    api.estimate.mockResolvedValue(estimateFor('small'));
    const naming = {
      pattern: '^[a-z](?:[-a-z0-9]{0,38}[a-z0-9])?$',
      maxLength: 40,
      reserved: ['postgres', 'public', 'template0', 'template1'],
      description:
        "lowercase letters, digits and '-', starting with a letter and not ending with '-', at most 40 characters; not postgres, public, template0 or template1",
    };
    await renderForm(api, { type: { ...postgresType, naming } });
    expect(
      screen.getByText(/Naming rules: lowercase letters.*not postgres, public/),
    ).toBeInTheDocument();
    await userEvent.type(
      screen.getByRole('textbox', { name: /^Name/ }),
      'postgres',
    );
    expect(
      screen.getByText("The name 'postgres' is reserved; choose another one"),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Submit request' }),
    );
    expect(api.createResource).not.toHaveBeenCalled();
  });

  it('puts a 400 on the field that caused it', async () => {
    const api = mockProvisioningApi();
    api.estimate.mockResolvedValue(estimateFor('small'));
    api.createResource.mockRejectedValue(
      apiError(
        400,
        'request/body/parameters/size must be equal to one of the allowed values',
      ),
    );
    await renderForm(api);
    await userEvent.type(
      screen.getByRole('textbox', { name: /^Name/ }),
      'invoice-db',
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Submit request' }),
    );
    await waitFor(() =>
      expect(screen.getByTestId('submit-error')).toBeInTheDocument(),
    );
    // shown under the size field (rjsf extraErrors) as well as in the summary
    expect(
      screen.getAllByText(/parameters\/size must be equal to one of/).length,
    ).toBeGreaterThanOrEqual(2);
  });

  it('says who may request on 403', async () => {
    const api = mockProvisioningApi();
    api.estimate.mockResolvedValue(estimateFor('small'));
    api.createResource.mockRejectedValue(apiError(403, 'not a member'));
    await renderForm(api, { initialOwner: 'group:default/payments-team' });
    await userEvent.type(
      screen.getByRole('textbox', { name: /^Name/ }),
      'pay-db',
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Submit request' }),
    );
    await waitFor(() =>
      expect(screen.getByTestId('submit-error')).toHaveTextContent(
        'Only members of payments-team can request resources for this team',
      ),
    );
    expect(api.createResource).toHaveBeenCalledWith(
      expect.objectContaining({ owner: 'group:default/payments-team' }),
    );
  });
});
