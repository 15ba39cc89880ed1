import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Alert from '@material-ui/lab/Alert';
import type { Resource, ResourceTypeTtl } from '@paved/backstage-plugin-provisioning-common';
import { useState } from 'react';
import { provisioningApiRef } from '../../api';
import { describeError } from '../../api/errors';
import { describeDuration, formatTimeLeft, parseTtl, toIsoDuration, ttlProblem } from '../../ttl';
import { useNow } from './clock';
import { TtlField } from './TtlField';

/**
 * "Extend": sets a new time to live from now, up to the type's maximum.
 * @internal
 */
export function ExtendDialog(props: {
  resource: Resource;
  rules: ResourceTypeTtl;
  open: boolean;
  onClose: () => void;
  onExtended: (resource: Resource) => void;
}) {
  const { resource, rules } = props;
  const api = useApi(provisioningApiRef);
  const now = useNow();
  const [value, setValue] = useState(() => describeDuration(Math.min(rules.maxMs, rules.defaultMs ?? rules.maxMs)));
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const problem = ttlProblem(value, rules, { extending: true });
  const submit = async () => {
    const ms = parseTtl(value);
    if (problem || ms === undefined) return;
    setBusy(true);
    setError(undefined);
    try {
      props.onExtended(await api.extendResource(resource.id, { ttl: toIsoDuration(ms) }));
    } catch (e) {
      setError(describeError(e).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={props.open} onClose={props.onClose} aria-labelledby="provisioning-extend-title" fullWidth>
      <DialogTitle id="provisioning-extend-title">Extend {resource.name}</DialogTitle>
      <DialogContent>
        <DialogContentText>
          {resource.expiresAt
            ? `It expires at ${new Date(resource.expiresAt).toLocaleString()} (${formatTimeLeft(resource.expiresAt, now)}) and is then deleted. `
            : ''}
          Give it a new time to live from now, at most {describeDuration(rules.maxMs)}.
        </DialogContentText>
        <TtlField rules={rules} value={value} onChange={setValue} extending />
        {error && (
          <Alert severity="error" data-testid="extend-error">
            {error}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button color="primary" variant="contained" onClick={submit} disabled={busy || !!problem}>
          Extend
        </Button>
      </DialogActions>
    </Dialog>
  );
}
