import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import TextField from '@material-ui/core/TextField';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';
import { provisioningApiRef } from '../../api';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  Resource,
  ResourceType,
} from '@paved/backstage-plugin-provisioning-common';
import { useState } from 'react';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { provisioningTranslationRef } from '../../translation';

/**
 * Confirmation of a delete: says what will be destroyed and which catalog entities depend on it, and requires typing
 * the resource's exact name. Approvers may tick "Force remove" (record only, without the driver), confirmed the same
 * way.
 * @internal
 */
export function DeleteDialog(props: {
  open: boolean;
  resource: Resource;
  type?: ResourceType;
  error?: string;
  busy?: boolean;
  /** Whether the user may force-remove (approvers). */
  canForce?: boolean;
  onCancel: () => void;
  onConfirm: (force: boolean) => void;
}) {
  const { open, resource, type } = props;
  const { t } = useTranslationRef(provisioningTranslationRef);
  const api = useApi(provisioningApiRef);
  const [typed, setTyped] = useState('');
  const [force, setForce] = useState(false);
  const dependents = useAsync(
    () => api.listDependents(resource.id),
    [api, resource.id],
  );
  const matches = typed === resource.name;
  const outputs = Object.entries(resource.outputs ?? {});
  return (
    <Dialog
      open={open}
      onClose={props.onCancel}
      aria-labelledby="provisioning-delete-title"
      fullWidth
    >
      <DialogTitle id="provisioning-delete-title">
        {t('deleteDialog.title', { name: resource.name })}
      </DialogTitle>
      <DialogContent>
        <Typography variant="body2" paragraph>
          This destroys the {type?.title ?? resource.type}{' '}
          <strong>{resource.name}</strong> and everything in it; it cannot be
          undone. It will be destroyed:
        </Typography>
        <ul>
          <li>
            <Typography variant="body2">
              the {type?.title ?? resource.type} itself and all its data
            </Typography>
          </li>
          {outputs.map(([k, v]) => (
            <li key={k}>
              <Typography variant="body2">
                {k}: <code>{v}</code>
              </Typography>
            </li>
          ))}
          <li>
            <Typography variant="body2">
              its credentials (anything using them stops working)
            </Typography>
          </li>
          <li>
            <Typography variant="body2">
              the Resource entity in the catalog
            </Typography>
          </li>
        </ul>
        <div data-testid="delete-dependents">
          {dependents.value && dependents.value.items.length > 0 && (
            <>
              <Typography variant="body2">
                {t('deleteDialog.dependentsTitle')}
              </Typography>
              <ul aria-label="Dependents">
                {dependents.value.items.map(d => (
                  <li key={d.entityRef}>
                    <Typography variant="body2">
                      <EntityRefLink entityRef={d.entityRef} title={d.title} />{' '}
                      ({d.kind})
                    </Typography>
                  </li>
                ))}
              </ul>
            </>
          )}
          {dependents.value && dependents.value.items.length === 0 && (
            <Typography variant="body2" color="textSecondary" paragraph>
              {t('deleteDialog.noDependents')}
            </Typography>
          )}
        </div>
        {props.canForce && (
          <>
            <FormControlLabel
              control={
                <Checkbox
                  checked={force}
                  onChange={e => setForce(e.target.checked)}
                />
              }
              label={t('deleteDialog.force')}
            />
            {force && (
              <Alert severity="warning">{t('deleteDialog.forceHelp')}</Alert>
            )}
          </>
        )}
        <TextField
          label={t('deleteDialog.confirmLabel')}
          value={typed}
          onChange={e => setTyped(e.target.value)}
          fullWidth
          variant="outlined"
          margin="dense"
          helperText={t('deleteDialog.confirmHelp', { name: resource.name })}
          inputProps={{ 'aria-label': t('deleteDialog.confirmLabel') }}
        />
        {props.error && <Alert severity="error">{props.error}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onCancel}>{t('resource.cancel')}</Button>
        <Button
          color="secondary"
          variant="contained"
          disabled={!matches || props.busy}
          onClick={() => props.onConfirm(force)}
        >
          {force ? t('deleteDialog.forceConfirm') : t('resource.delete')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
