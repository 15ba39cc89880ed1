import { parseEntityRef } from '@backstage/catalog-model';
import { humanizeEntityRef } from '@backstage/plugin-catalog-react';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import FormControl from '@material-ui/core/FormControl';
import FormHelperText from '@material-ui/core/FormHelperText';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  Resource,
  ResourceType,
} from '@paved/backstage-plugin-provisioning-common';
import { Form } from '@rjsf/material-ui';
import { ErrorSchema, RJSFSchema } from '@rjsf/utils';
import validator from '@rjsf/validator-ajv8';
import { useMemo, useState } from 'react';
import { provisioningApiRef } from '../../api';
import { describeError, fieldErrorsFrom } from '../../api/errors';
import { schemaProperties } from '../../format';
import { nameProblem } from '../../naming';
import { useEstimate } from '../../hooks/useEstimate';
import { useOwnerGroups } from '../../hooks/useOwnerGroups';
import { CostEstimatePanel } from '../CostEstimate';
import { OwnerPicker } from '../OwnerPicker';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { provisioningTranslationRef } from '../../translation';
import { TtlField } from '../TimeToLive';
import { JustificationField, justificationProblem } from '../Deviations';
import { parseTtl, toIsoDuration, ttlProblem } from '../../ttl';

const OTHER_GROUP = '__other__';

/** Default values of a JSON Schema's top-level properties. @internal */
export function schemaDefaults(
  schema: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, prop] of schemaProperties(schema)) {
    if (prop.default !== undefined) out[key] = prop.default;
  }
  return out;
}

/** Turns `{ 'parameters.size': msg }` into rjsf's `extraErrors`. @internal */
export function toErrorSchema(
  fieldErrors: Record<string, string>,
): ErrorSchema | undefined {
  const entries = Object.entries(fieldErrors).filter(([k]) =>
    k.startsWith('parameters.'),
  );
  if (entries.length === 0) return undefined;
  const schema: Record<string, { __errors: string[] }> = {};
  for (const [k, msg] of entries) {
    schema[k.slice('parameters.'.length)] = { __errors: [msg] };
  }
  return schema as unknown as ErrorSchema;
}

function refLabel(ref: string, defaultKind = 'group'): string {
  try {
    return humanizeEntityRef(parseEntityRef(ref), { defaultKind });
  } catch {
    return ref;
  }
}

/**
 * The request form of one resource type: name, owner, the parameters generated from the type's JSON Schema
 * (rjsf, as in the scaffolder), a live cost estimate and the policy outcome, and "Submit request".
 * @internal
 */
export function RequestForm(props: {
  type: ResourceType;
  initialOwner?: string;
  entityRef?: string;
  system?: string;
  onCreated: (resource: Resource) => void;
}) {
  const { type, onCreated } = props;
  const { t } = useTranslationRef(provisioningTranslationRef);
  const api = useApi(provisioningApiRef);
  const { groups, loading: groupsLoading } = useOwnerGroups();
  const [name, setName] = useState('');
  const [ownerChoice, setOwnerChoice] = useState<string | undefined>(
    props.initialOwner,
  );
  const [otherOwner, setOtherOwner] = useState<string | undefined>();
  const [entityRef, setEntityRef] = useState(props.entityRef ?? '');
  const [parameters, setParameters] = useState<Record<string, unknown>>(() =>
    schemaDefaults(type.parameters),
  );
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [submitError, setSubmitError] = useState<string | undefined>();
  const [submitting, setSubmitting] = useState(false);
  const estimate = useEstimate(type.id, parameters);
  const [ttl, setTtl] = useState('');
  const [justification, setJustification] = useState('');
  const [triedSubmit, setTriedSubmit] = useState(false);
  const deviating = (estimate.estimate?.deviations ?? []).map(d => d.parameter);

  // Until the user chooses, the owner is the prefilled one or their first group.
  const defaultOwner = props.initialOwner ?? groups[0];
  const selected = ownerChoice ?? defaultOwner;
  const selectOptions = Array.from(
    new Set([
      ...groups,
      ...(selected && selected !== OTHER_GROUP ? [selected] : []),
    ]),
  );
  const owner = selected === OTHER_GROUP ? otherOwner : selected;

  const fields = useMemo(
    () => [
      'name',
      'owner',
      'entityRef',
      'system',
      'ttl',
      'justification',
      ...schemaProperties(type.parameters).map(([k]) => `parameters.${k}`),
    ],
    [type.parameters],
  );

  // The type's naming rules, checked as the user types (the API checks the same rules and has the last word).
  const nameError =
    fieldErrors.name ?? (name ? nameProblem(name, type.naming) : undefined);

  const submit = async (formData: Record<string, unknown>) => {
    const errors: Record<string, string> = {};
    if (!name) errors.name = 'Give the resource a name.';
    else {
      const problem = nameProblem(name, type.naming);
      if (problem) errors.name = problem;
    }
    if (!owner) errors.owner = 'Choose the team that will own the resource.';
    if (type.ttl) {
      const problem = ttlProblem(ttl, type.ttl);
      if (problem) errors.ttl = problem;
    }
    if (deviating.length > 0) {
      const problem = justificationProblem(justification, deviating);
      if (problem) errors.justification = problem;
    }
    setTriedSubmit(true);
    setFieldErrors(errors);
    setSubmitError(undefined);
    if (Object.keys(errors).length > 0) return;
    setSubmitting(true);
    try {
      const created = await api.createResource({
        name,
        type: type.id,
        owner: owner!,
        ...(entityRef ? { entityRef } : {}),
        ...(props.system ? { system: props.system } : {}),
        parameters: formData,
        ...(type.ttl && parseTtl(ttl) ? { ttl: toIsoDuration(parseTtl(ttl)!) } : {}),
        ...(justification.trim() ? { justification: justification.trim() } : {}),
      });
      onCreated(created);
    } catch (e) {
      const mapped = fieldErrorsFrom(e, fields);
      if (/justification/i.test(String(mapped[Object.keys(mapped)[0]] ?? ''))) {
        mapped.justification = mapped[Object.keys(mapped)[0]];
      }
      setFieldErrors(mapped);
      setSubmitError(
        describeError(e, {
          owner,
          action: 'request resources for this team',
        }).message,
      );
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Box maxWidth={720}>
      <Typography variant="h5" component="h2" gutterBottom>
        {t('request.title', { type: type.title })}
      </Typography>
      <Typography variant="body2" color="textSecondary" paragraph>
        {type.description}
      </Typography>
      <TextField
        id="provisioning-request-name"
        label={t('request.name')}
        value={name}
        onChange={e => {
          setName(e.target.value);
          setFieldErrors(({ name: _n, ...rest }) => rest);
        }}
        required
        fullWidth
        variant="outlined"
        margin="dense"
        error={!!nameError}
        helperText={
          nameError ??
          (type.naming
            ? `${t('request.nameRules')}: ${type.naming.description}`
            : t('request.nameHelp'))
        }
      />
      <FormControl
        fullWidth
        variant="outlined"
        margin="dense"
        required
        error={!!fieldErrors.owner}
      >
        <InputLabel id="provisioning-request-owner">
          {t('request.owner')}
        </InputLabel>
        <Select
          labelId="provisioning-request-owner"
          label={t('request.owner')}
          value={groupsLoading && !selected ? '' : selected ?? ''}
          onChange={e => {
            setOwnerChoice(e.target.value as string);
            setFieldErrors(({ owner: _o, ...rest }) => rest);
          }}
        >
          {selectOptions.map(g => (
            <MenuItem key={g} value={g}>
              {refLabel(g)}
            </MenuItem>
          ))}
          <MenuItem value={OTHER_GROUP}>{t('request.anotherGroup')}</MenuItem>
        </Select>
        <FormHelperText>
          {fieldErrors.owner ?? t('request.ownerHelp')}
        </FormHelperText>
      </FormControl>
      {selected === OTHER_GROUP && (
        <OwnerPicker
          label={t('request.owningGroup')}
          value={otherOwner}
          onChange={setOtherOwner}
          preferred={groups}
          required
        />
      )}
      <TextField
        id="provisioning-request-entity"
        label={t('request.entityRef')}
        value={entityRef}
        onChange={e => setEntityRef(e.target.value)}
        fullWidth
        variant="outlined"
        margin="dense"
        error={!!fieldErrors.entityRef}
        helperText={fieldErrors.entityRef ?? t('request.entityRefHelp')}
      />
      {props.system && (
        <Typography variant="body2" color="textSecondary">
          System: {refLabel(props.system, 'system')}
        </Typography>
      )}
      <Box mt={2}>
        <Form
          schema={type.parameters as RJSFSchema}
          validator={validator}
          formData={parameters}
          onChange={e => {
            setParameters(e.formData ?? {});
            setFieldErrors(errs =>
              Object.fromEntries(
                Object.entries(errs).filter(
                  ([k]) => !k.startsWith('parameters.'),
                ),
              ),
            );
          }}
          onSubmit={e => submit(e.formData ?? {})}
          extraErrors={toErrorSchema(fieldErrors)}
          showErrorList={false}
          noHtml5Validate
        >
          {type.ttl && (
            <TtlField
              rules={type.ttl}
              value={ttl}
              onChange={value => {
                setTtl(value);
                setFieldErrors(({ ttl: _t, ...rest }) => rest);
              }}
              error={fieldErrors.ttl}
            />
          )}
          <CostEstimatePanel {...estimate} />
          {deviating.length > 0 && (
            <JustificationField
              parameters={deviating}
              value={justification}
              onChange={value => {
                setJustification(value);
                setFieldErrors(({ justification: _j, ...rest }) => rest);
              }}
              showProblem={triedSubmit}
              error={fieldErrors.justification}
            />
          )}
          {submitError && (
            <Box mb={2}>
              <Alert severity="error" data-testid="submit-error">
                {submitError}
              </Alert>
            </Box>
          )}
          <Button
            type="submit"
            variant="contained"
            color="primary"
            disabled={submitting}
          >
            {t('request.submit')}
          </Button>
        </Form>
      </Box>
    </Box>
  );
}
