import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  Resource,
  ResourceType,
} from '@paved/backstage-plugin-provisioning-common';
import { Form } from '@rjsf/material-ui';
import { RJSFSchema } from '@rjsf/utils';
import validator from '@rjsf/validator-ajv8';
import { useState } from 'react';
import { useEstimate } from '../../hooks/useEstimate';
import { CostEstimatePanel } from '../CostEstimate';
import { toErrorSchema } from '../RequestForm/RequestForm';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { provisioningTranslationRef } from '../../translation';
import { JustificationField, justificationProblem } from '../Deviations';

/** The parameters whose values differ, as `[key, before, after]`. @internal */
export function parameterChanges(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Array<[string, unknown, unknown]> {
  const keys = Array.from(
    new Set([...Object.keys(before), ...Object.keys(after)]),
  );
  return keys
    .filter(k => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
    .map(k => [k, before[k], after[k]]);
}

function show(v: unknown): string {
  return v === undefined ? '(unset)' : JSON.stringify(v);
}

/**
 * Day-2 update: the type's form pre-filled with today's parameters, what will change, and the new cost.
 * @internal
 */
export function UpdateDialog(props: {
  open: boolean;
  resource: Resource;
  type: ResourceType;
  busy?: boolean;
  error?: string;
  fieldErrors?: Record<string, string>;
  onCancel: () => void;
  /** `justification` when the change has new advanced values outside the golden path. */
  onSubmit: (parameters: Record<string, unknown>, justification?: string) => void;
  /** Pre-filled values instead of today's (e.g. a rightsizing recommendation's size). */
  initialParameters?: Record<string, unknown>;
}) {
  const { resource, type } = props;
  const { t } = useTranslationRef(provisioningTranslationRef);
  const [parameters, setParameters] = useState<Record<string, unknown>>(
    props.initialParameters ?? resource.parameters,
  );
  const estimate = useEstimate(props.open ? type.id : undefined, parameters);
  const changes = parameterChanges(resource.parameters, parameters);
  const [justification, setJustification] = useState('');
  const [tried, setTried] = useState(false);
  // deviations already approved with the same value need no new justification
  const newDeviations = (estimate.estimate?.deviations ?? [])
    .filter(
      d =>
        !(resource.deviations ?? []).some(
          r => r.parameter === d.parameter && r.approvedBy && JSON.stringify(r.value) === JSON.stringify(d.value),
        ),
    )
    .map(d => d.parameter);
  return (
    <Dialog
      open={props.open}
      onClose={props.onCancel}
      aria-labelledby="provisioning-update-title"
      fullWidth
      maxWidth="md"
    >
      <DialogTitle id="provisioning-update-title">
        {t('updateDialog.title', { name: resource.name })}
      </DialogTitle>
      <DialogContent>
        <Form
          schema={type.parameters as RJSFSchema}
          validator={validator}
          formData={parameters}
          onChange={e => setParameters(e.formData ?? {})}
          onSubmit={e => {
            setTried(true);
            if (newDeviations.length && justificationProblem(justification, newDeviations)) return;
            props.onSubmit(e.formData ?? {}, justification.trim() || undefined);
          }}
          extraErrors={toErrorSchema(props.fieldErrors ?? {})}
          showErrorList={false}
          noHtml5Validate
        >
          <Box my={2} data-testid="update-changes">
            <Typography variant="subtitle2">
              {t('updateDialog.changes')}
            </Typography>
            {changes.length === 0 ? (
              <Typography variant="body2" color="textSecondary">
                {t('updateDialog.noChanges')}
              </Typography>
            ) : (
              <ul>
                {changes.map(([k, before, after]) => (
                  <li key={k}>
                    <Typography variant="body2">
                      {k}: {show(before)} → {show(after)}
                    </Typography>
                  </li>
                ))}
              </ul>
            )}
          </Box>
          <CostEstimatePanel
            {...estimate}
            currentCostUsd={resource.monthlyCostUsd}
            action="update"
          />
          {newDeviations.length > 0 && (
            <JustificationField
              parameters={newDeviations}
              value={justification}
              onChange={setJustification}
              showProblem={tried}
            />
          )}
          {props.error && (
            <Box mb={2}>
              <Alert severity="error">{props.error}</Alert>
            </Box>
          )}
          <Box display="flex" justifyContent="flex-end" gridGap={8} pb={2}>
            <Button onClick={props.onCancel}>{t('resource.cancel')}</Button>
            <Button
              type="submit"
              variant="contained"
              color="primary"
              disabled={changes.length === 0 || props.busy}
            >
              {t('updateDialog.submit')}
            </Button>
          </Box>
        </Form>
      </DialogContent>
    </Dialog>
  );
}
