import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { Resource } from '@paved/backstage-plugin-provisioning-common';
import { useState } from 'react';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { provisioningTranslationRef } from '../../translation';

/**
 * Approve or reject a request awaiting approval, with a reason (required to reject).
 * @internal
 */
export function ApprovalDialog(props: {
  decision: 'approve' | 'reject' | undefined;
  resource: Resource;
  busy?: boolean;
  error?: string;
  onCancel: () => void;
  onConfirm: (reason: string) => void;
}) {
  const { decision, resource } = props;
  const { t } = useTranslationRef(provisioningTranslationRef);
  const [reason, setReason] = useState('');
  const reject = decision === 'reject';
  return (
    <Dialog
      open={!!decision}
      onClose={props.onCancel}
      aria-labelledby="provisioning-approval-title"
      fullWidth
    >
      <DialogTitle id="provisioning-approval-title">
        {reject
          ? t('approvalDialog.rejectTitle', { name: resource.name })
          : t('approvalDialog.approveTitle', { name: resource.name })}
      </DialogTitle>
      <DialogContent>
        <Typography variant="body2" paragraph>
          {reject
            ? t('approvalDialog.rejectText')
            : t('approvalDialog.approveText')}
        </Typography>
        <TextField
          label={
            reject
              ? t('approvalDialog.reason')
              : t('approvalDialog.reasonOptional')
          }
          value={reason}
          onChange={e => setReason(e.target.value)}
          required={reject}
          fullWidth
          multiline
          minRows={2}
          variant="outlined"
        />
        {props.error && <Alert severity="error">{props.error}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onCancel}>{t('resource.cancel')}</Button>
        <Button
          variant="contained"
          color={reject ? 'secondary' : 'primary'}
          disabled={props.busy || (reject && reason.trim() === '')}
          onClick={() => props.onConfirm(reason.trim())}
        >
          {reject
            ? t('approvalDialog.confirmReject')
            : t('approvalDialog.confirmApprove')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
