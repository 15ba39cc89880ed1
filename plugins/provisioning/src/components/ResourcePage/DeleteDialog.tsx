import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
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
 * Confirmation of a delete: says what will be destroyed and requires typing the resource's exact name.
 * @internal
 */
export function DeleteDialog(props: {
  open: boolean;
  resource: Resource;
  type?: ResourceType;
  error?: string;
  busy?: boolean;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const { open, resource, type } = props;
  const { t } = useTranslationRef(provisioningTranslationRef);
  const [typed, setTyped] = useState('');
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
          onClick={props.onConfirm}
        >
          {t('resource.delete')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
