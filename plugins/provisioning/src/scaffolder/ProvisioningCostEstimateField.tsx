import Box from '@material-ui/core/Box';
import CircularProgress from '@material-ui/core/CircularProgress';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useApi } from '@backstage/core-plugin-api';
import {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import { useEffect, useMemo, useState } from 'react';
import { provisioningApiRef } from '../api';
import { describeError } from '../api/errors';
import { formatMonthlyCost } from '../format';
import { useResourceTypes } from '../hooks/useResourceTypes';
import { resourceNameProblem } from './availability';
import {
  CostEstimateUiOptions,
  approvalOutcome,
  estimateSummary,
  requestedResources,
  totalMonthlyCost,
} from './options';
import { useEstimates } from './useEstimates';

/** Name of the field extension (`ui:field: ProvisioningCostEstimate`). @public */
export const PROVISIONING_COST_ESTIMATE_FIELD = 'ProvisioningCostEstimate';

function formValues(props: { formContext?: unknown }): Record<string, unknown> {
  const context = props.formContext as
    | { formData?: Record<string, unknown> }
    | undefined;
  return context?.formData ?? {};
}

function describeParameters(parameters: Record<string, unknown>): string {
  return Object.entries(parameters)
    .map(([k, v]) => (k === 'size' ? `size ${v}` : `${k} ${String(v)}`))
    .join(', ');
}

/**
 * The live monthly cost estimate of what a template run will provision, for the scaffolder form
 * (`ui:field: ProvisioningCostEstimate`). It reads the other answers of the form (any step) through the
 * resources declared in `ui:options.resources` ({@link EstimatedResourceOption}), asks `POST /estimates` for each
 * requested resource as sizes and options change (debounced), and shows each price, the total and the approval
 * outcome ("needs approval by platform-team"). Resource names are checked as they change: the type's naming rules
 * and whether a resource of that type already has the name. Its value, shown on the review step, is the total and
 * the approval outcome in words ({@link estimateSummary}).
 * @public
 */
export function ProvisioningCostEstimateField(
  props: FieldExtensionComponentProps<string, CostEstimateUiOptions>,
) {
  const { onChange, formData, schema, uiSchema } = props;
  const api = useApi(provisioningApiRef);
  const values = formValues(props);
  const optionsKey = JSON.stringify(uiSchema?.['ui:options']?.resources ?? []);
  const valuesKey = JSON.stringify(values);
  const resources = useMemo(
    () => requestedResources(JSON.parse(optionsKey), JSON.parse(valuesKey)),
    [optionsKey, valuesKey],
  );
  const { estimates, loading, error } = useEstimates(resources);
  const { value: types } = useResourceTypes();

  // The value the review step shows: kept in step with the estimate.
  const current =
    estimates && estimates.length === resources.length ? estimates : undefined;
  const summary = current ? estimateSummary(resources, current) : undefined;
  useEffect(() => {
    if (summary !== undefined && summary !== formData) onChange(summary);
  }, [summary, formData, onChange]);

  // Live name checks (the same checks run again as the field's validation when Next/Review is pressed).
  const namesKey = JSON.stringify(
    resources.filter(r => r.name).map(r => [r.name, r.type, r.title]),
  );
  const [nameProblems, setNameProblems] = useState<string[]>([]);
  useEffect(() => {
    let cancelled = false;
    const named = JSON.parse(namesKey) as Array<[string, string, string]>;
    const timer = setTimeout(() => {
      Promise.all(
        named.map(([name, type, title]) =>
          resourceNameProblem(api, { name, type, title }, types).catch(
            () => undefined,
          ),
        ),
      ).then(problems => {
        if (!cancelled) {
          setNameProblems(problems.filter((p): p is string => !!p));
        }
      });
    }, 400);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [api, namesKey, types]);

  const approval = current ? approvalOutcome(resources, current) : undefined;
  return (
    <Box my={1} data-testid="paved-cost-estimate" aria-live="polite">
      <Typography variant="subtitle1">
        {schema.title ?? 'Estimated monthly cost'}
      </Typography>
      {schema.description && (
        <Typography variant="body2" color="textSecondary">
          {schema.description}
        </Typography>
      )}
      {resources.length === 0 ? (
        <Typography variant="body2" data-testid="paved-cost-estimate-total">
          No resources requested: {formatMonthlyCost(0)}
        </Typography>
      ) : (
        <Table size="small" aria-label="Estimated monthly cost per resource">
          <TableBody>
            {resources.map((resource, i) => (
              <TableRow key={`${resource.type}-${i}`}>
                <TableCell>
                  {resource.title}
                  {resource.name ? ` ${resource.name}` : ''}
                </TableCell>
                <TableCell>{describeParameters(resource.parameters)}</TableCell>
                <TableCell align="right">
                  {current ? formatMonthlyCost(current[i].monthlyCostUsd) : '–'}
                </TableCell>
              </TableRow>
            ))}
            <TableRow>
              <TableCell colSpan={2}>
                <strong>Total, billed to the owning team</strong>
              </TableCell>
              <TableCell align="right" data-testid="paved-cost-estimate-total">
                <strong>
                  {current ? formatMonthlyCost(totalMonthlyCost(current)) : '–'}
                </strong>
              </TableCell>
            </TableRow>
          </TableBody>
        </Table>
      )}
      {loading && resources.length > 0 && (
        <CircularProgress size={16} aria-label="Estimating" />
      )}
      {error && (
        <Alert severity="warning">
          Could not estimate the cost: {describeError(error).message}
        </Alert>
      )}
      {current && resources.length > 0 && (
        <Box mt={1}>
          {approval ? (
            <Alert severity="info" data-testid="paved-approval-outcome">
              {approval}
            </Alert>
          ) : (
            <Alert severity="success" data-testid="paved-approval-outcome">
              No approval needed: it is provisioned as soon as you create it.
            </Alert>
          )}
        </Box>
      )}
      {nameProblems.map(problem => (
        <Alert key={problem} severity="error" data-testid="paved-name-problem">
          {problem}
        </Alert>
      ))}
    </Box>
  );
}

/**
 * Validation of the `ProvisioningCostEstimate` field, run when Next or Review is pressed: every requested
 * resource's name must follow its type's naming rules and be free (no live resource of that type has it).
 * @public
 */
export const provisioningCostEstimateValidation: CustomFieldValidator<
  string,
  CostEstimateUiOptions
> = async (_value, validation, context) => {
  const api = context.apiHolder.get(provisioningApiRef);
  if (!api) return;
  const resources = requestedResources(
    context.uiSchema?.['ui:options']?.resources,
    context.formData as Record<string, unknown>,
  ).filter(r => r.name);
  if (resources.length === 0) return;
  const types = (await api.listTypes()).items;
  for (const resource of resources) {
    const problem = await resourceNameProblem(
      api,
      { name: resource.name!, type: resource.type, title: resource.title },
      types,
    );
    if (problem) validation.addError(problem);
  }
};
