import { FormEvent, ReactNode, useState } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  INCIDENT_SEVERITIES,
  INCIDENT_STATES,
  type Incident,
  type IncidentSeverity,
  type IncidentState,
} from '@paved/backstage-plugin-service-status-common';
import { serviceStatusApiRef, type ServiceStatusApi } from '../../api';
import { serviceStatusTranslationRef } from '../../translation';
import { errorMessage } from '../../utils/errors';

type OpenState = Exclude<IncidentState, 'resolved'>;
const OPEN_STATES = INCIDENT_STATES.filter(
  (state): state is OpenState => state !== 'resolved',
);

function FormDialog(props: {
  open: boolean;
  title: string;
  submitLabel: string;
  submitting: boolean;
  canSubmit: boolean;
  error?: string;
  onClose: () => void;
  onSubmit: () => void;
  children: ReactNode;
}) {
  const { t } = useTranslationRef(serviceStatusTranslationRef);
  const titleId = `service-status-dialog-${props.submitLabel
    .toLocaleLowerCase('en-US')
    .replace(/\W+/g, '-')}`;
  return (
    <Dialog
      open={props.open}
      onClose={props.submitting ? undefined : props.onClose}
      aria-labelledby={titleId}
      fullWidth
      maxWidth="sm"
    >
      <form
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          if (props.canSubmit && !props.submitting) {
            props.onSubmit();
          }
        }}
      >
        <DialogTitle id={titleId}>{props.title}</DialogTitle>
        <DialogContent>
          {props.error && (
            <Alert severity="error" role="alert">
              {props.error}
            </Alert>
          )}
          {props.children}
        </DialogContent>
        <DialogActions>
          <Button onClick={props.onClose} disabled={props.submitting}>
            {t('common.cancel')}
          </Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={!props.canSubmit || props.submitting}
          >
            {props.submitLabel}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

/**
 * Submission state of a {@link FormDialog}: runs `action` against the service
 * status API, posts `success` and calls `onDone` on success, keeps the error
 * message otherwise. The result spreads onto `FormDialog`.
 */
function useSubmit<T>(
  action: (api: ServiceStatusApi) => Promise<T>,
  onDone: (result: T) => void,
  success: string,
) {
  const api = useApi(serviceStatusApiRef);
  const alertApi = useApi(alertApiRef);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const submit = async () => {
    setSubmitting(true);
    setError(undefined);
    try {
      const result = await action(api);
      alertApi.post({
        message: success,
        severity: 'success',
        display: 'transient',
      });
      onDone(result);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSubmitting(false);
    }
  };
  return { onSubmit: submit, submitting, error };
}

function SeveritySelect(props: {
  value: IncidentSeverity;
  onChange: (value: IncidentSeverity) => void;
}) {
  const { t } = useTranslationRef(serviceStatusTranslationRef);
  return (
    <TextField
      select
      fullWidth
      margin="normal"
      id="service-status-incident-severity"
      label={t('incidents.severityLabel')}
      value={props.value}
      onChange={event => props.onChange(event.target.value as IncidentSeverity)}
    >
      {INCIDENT_SEVERITIES.map(severity => (
        <MenuItem key={severity} value={severity}>
          {t(`incidents.severity.${severity}`)}
        </MenuItem>
      ))}
    </TextField>
  );
}

function StateSelect(props: {
  value: OpenState;
  onChange: (value: OpenState) => void;
}) {
  const { t } = useTranslationRef(serviceStatusTranslationRef);
  return (
    <TextField
      select
      fullWidth
      margin="normal"
      id="service-status-incident-state"
      label={t('incidents.stateLabel')}
      value={props.value}
      onChange={event => props.onChange(event.target.value as OpenState)}
    >
      {OPEN_STATES.map(state => (
        <MenuItem key={state} value={state}>
          {t(`incidents.state.${state}`)}
        </MenuItem>
      ))}
    </TextField>
  );
}

/** A multiline timeline message (at most 5000 characters, as the API allows). */
function MessageField(props: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  required?: boolean;
  minRows?: number;
}) {
  return (
    <TextField
      required={props.required}
      fullWidth
      multiline
      minRows={props.minRows ?? 3}
      margin="normal"
      id={props.id}
      label={props.label}
      value={props.value}
      inputProps={{ maxLength: 5000 }}
      onChange={event => props.onChange(event.target.value)}
    />
  );
}

/**
 * Props of {@link OpenIncidentDialog}.
 * @internal
 */
export interface OpenIncidentDialogProps {
  open: boolean;
  entityRef: string;
  onClose: () => void;
  onOpened: (incident: Incident) => void;
}

/**
 * A form to open an incident on an entity: title, severity and a first message.
 * @internal
 */
export function OpenIncidentDialog(props: OpenIncidentDialogProps) {
  const { open, entityRef, onClose, onOpened } = props;
  const { t } = useTranslationRef(serviceStatusTranslationRef);
  const [title, setTitle] = useState('');
  const [severity, setSeverity] = useState<IncidentSeverity>('sev2');
  const [message, setMessage] = useState('');
  const form = useSubmit(
    api =>
      api.openIncident({
        entityRef,
        title: title.trim(),
        severity,
        message: message.trim(),
      }),
    incident => {
      setTitle('');
      setMessage('');
      setSeverity('sev2');
      onOpened(incident);
    },
    t('incidents.opened'),
  );
  return (
    <FormDialog
      open={open}
      title={t('incidents.openDialogTitle')}
      submitLabel={t('incidents.submitOpen')}
      canSubmit={title.trim().length > 0 && message.trim().length > 0}
      onClose={onClose}
      {...form}
    >
      <TextField
        required
        fullWidth
        margin="normal"
        id="service-status-incident-title"
        label={t('incidents.titleLabel')}
        value={title}
        inputProps={{ maxLength: 200 }}
        onChange={event => setTitle(event.target.value)}
      />
      <SeveritySelect value={severity} onChange={setSeverity} />
      <MessageField
        required
        id="service-status-incident-message"
        label={t('incidents.messageLabel')}
        value={message}
        onChange={setMessage}
      />
    </FormDialog>
  );
}

/**
 * Props of {@link UpdateIncidentDialog}.
 * @internal
 */
export interface UpdateIncidentDialogProps {
  incident: Incident;
  onClose: () => void;
  onUpdated: (incident: Incident) => void;
}

/**
 * A form to post an update on an open incident, optionally changing its state and severity.
 * @internal
 */
export function UpdateIncidentDialog(props: UpdateIncidentDialogProps) {
  const { incident, onClose, onUpdated } = props;
  const { t } = useTranslationRef(serviceStatusTranslationRef);
  const [message, setMessage] = useState('');
  const [severity, setSeverity] = useState<IncidentSeverity>(incident.severity);
  const [state, setState] = useState<OpenState>(
    incident.state === 'resolved' ? 'monitoring' : incident.state,
  );
  const form = useSubmit(
    api =>
      api.updateIncident(incident.id, {
        message: message.trim(),
        ...(severity !== incident.severity ? { severity } : {}),
        ...(state !== incident.state ? { state } : {}),
      }),
    onUpdated,
    t('incidents.updated'),
  );
  return (
    <FormDialog
      open
      title={`${t('incidents.updateDialogTitle')}: ${incident.title}`}
      submitLabel={t('incidents.submitUpdate')}
      canSubmit={message.trim().length > 0}
      onClose={onClose}
      {...form}
    >
      <StateSelect value={state} onChange={setState} />
      <SeveritySelect value={severity} onChange={setSeverity} />
      <MessageField
        required
        id="service-status-incident-update"
        label={t('incidents.updateMessageLabel')}
        value={message}
        onChange={setMessage}
      />
    </FormDialog>
  );
}

/**
 * Props of {@link ResolveIncidentDialog}.
 * @internal
 */
export interface ResolveIncidentDialogProps {
  incident: Incident;
  onClose: () => void;
  onResolved: (incident: Incident) => void;
}

/**
 * Confirms resolving an incident, with an optional closing note.
 * @internal
 */
export function ResolveIncidentDialog(props: ResolveIncidentDialogProps) {
  const { incident, onClose, onResolved } = props;
  const { t } = useTranslationRef(serviceStatusTranslationRef);
  const [message, setMessage] = useState('');
  const form = useSubmit(
    api =>
      api.resolveIncident(
        incident.id,
        message.trim() ? { message: message.trim() } : {},
      ),
    onResolved,
    t('incidents.resolved'),
  );
  return (
    <FormDialog
      open
      title={`${t('incidents.resolveDialogTitle')}: ${incident.title}`}
      submitLabel={t('incidents.submitResolve')}
      canSubmit
      onClose={onClose}
      {...form}
    >
      <MessageField
        minRows={2}
        id="service-status-incident-resolve"
        label={t('incidents.resolveMessageLabel')}
        value={message}
        onChange={setMessage}
      />
    </FormDialog>
  );
}
