import TextField from '@material-ui/core/TextField';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import { useEffect, useState } from 'react';
import { ProvisioningApi, provisioningApiRef } from '../api';
import { entityNameProblem, resourceNameProblem } from './availability';

/** Name of the field extension (`ui:field: AvailableName`). @public */
export const AVAILABLE_NAME_FIELD = 'AvailableName';

/**
 * `ui:options` of the `AvailableName` field: where the name must be free.
 * @public
 */
export interface AvailableNameUiOptions {
  /** Catalog kind whose entities must not have the name (e.g. `Component`). */
  catalogKind?: string;
  /** Catalog namespace of that check; default `default`. */
  catalogNamespace?: string;
  /** Resource type id: the name must follow its naming rules and no live resource of the type may have it. */
  resourceType?: string;
  /** Label of the resource type in messages (default: the type's title). */
  resourceTitle?: string;
}

type Checker = (name: string) => Promise<string | undefined>;

function useChecker(options: AvailableNameUiOptions | undefined): Checker {
  const catalogApi = useApi(catalogApiRef);
  const provisioningApi = useApi(provisioningApiRef);
  return async name => check(name, options, { catalogApi, provisioningApi });
}

async function check(
  name: string,
  options: AvailableNameUiOptions | undefined,
  apis: {
    catalogApi?: Parameters<typeof entityNameProblem>[0];
    provisioningApi?: Pick<ProvisioningApi, 'listResources' | 'listTypes'>;
  },
): Promise<string | undefined> {
  if (options?.resourceType && apis.provisioningApi) {
    const types = (await apis.provisioningApi.listTypes()).items;
    const problem = await resourceNameProblem(
      apis.provisioningApi,
      { name, type: options.resourceType, title: options.resourceTitle },
      types,
    );
    if (problem) return problem;
  }
  if (options?.catalogKind && apis.catalogApi) {
    return entityNameProblem(apis.catalogApi, {
      kind: options.catalogKind,
      namespace: options.catalogNamespace,
      name,
    });
  }
  return undefined;
}

/**
 * A name that must be free: a text field that says, as you type (debounced), whether the name is already taken in
 * the catalog (`ui:options.catalogKind`) or among the provisioned resources of a type, whose naming rules it also
 * checks (`ui:options.resourceType`). The same checks run as the field's validation before the next step, so a
 * taken name stops the form before Create is pressed. Rule violations of the JSON Schema (`pattern`,
 * `maxLength`) are reported by the form itself; give them words with `errorMessage`.
 * @public
 */
export function AvailableNameField(
  props: FieldExtensionComponentProps<string, AvailableNameUiOptions>,
) {
  const {
    onChange,
    formData,
    schema,
    uiSchema,
    rawErrors,
    required,
    idSchema,
  } = props;
  const options = uiSchema?.['ui:options'];
  const checker = useChecker(options);
  const [state, setState] = useState<{
    name?: string;
    problem?: string;
  }>({});
  const optionsKey = JSON.stringify(options ?? {});

  useEffect(() => {
    let cancelled = false;
    const name = formData;
    if (!name) {
      setState({});
      return undefined;
    }
    const timer = setTimeout(() => {
      checker(name)
        .then(problem => {
          if (!cancelled) setState({ name, problem });
        })
        .catch(() => {
          if (!cancelled) setState({});
        });
    }, 400);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [formData, optionsKey]);

  const checked = state.name === formData && !!formData;
  let help = schema.description;
  // After Next the form shows the same problem as the field's error: say it once.
  const shownByForm = !!state.problem && !!rawErrors?.includes(state.problem);
  if (checked && !shownByForm) {
    help = state.problem ?? `'${formData}' is available.`;
  }
  return (
    <TextField
      id={idSchema?.$id}
      label={schema.title}
      required={required}
      fullWidth
      margin="normal"
      value={formData ?? ''}
      onChange={e =>
        onChange(e.target.value === '' ? undefined : e.target.value)
      }
      error={(checked && !!state.problem) || (!!rawErrors?.length && !formData)}
      helperText={help}
      inputProps={{
        autoFocus: uiSchema?.['ui:autofocus'],
        'data-testid': 'paved-available-name',
      }}
      FormHelperTextProps={{ style: { marginLeft: 0 } }}
    />
  );
}

/**
 * Validation of the `AvailableName` field, run when Next or Review is pressed: the name must be free in the
 * catalog and among the resources of the type, and follow the type's naming rules.
 * @public
 */
export const availableNameValidation: CustomFieldValidator<
  string,
  AvailableNameUiOptions
> = async (value, validation, context) => {
  if (!value) return;
  const problem = await check(value, context.uiSchema?.['ui:options'], {
    catalogApi: context.apiHolder.get(catalogApiRef),
    provisioningApi: context.apiHolder.get(provisioningApiRef),
  });
  if (problem) validation.addError(problem);
};
