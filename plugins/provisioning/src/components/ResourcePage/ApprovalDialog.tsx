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
        {reject ? 'Reject' : 'Approve'} {resource.name}
      </DialogTitle>
      <DialogContent>
        <Typography variant="body2" paragraph>
          {reject
            ? 'The request is closed and nothing is created. Tell the requester why.'
            : 'The resource is created (or changed) as requested, and the cost is charged to its owner.'}
        </Typography>
        <TextField
          label={reject ? 'Reason' : 'Reason (optional)'}
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
        <Button onClick={props.onCancel}>Cancel</Button>
        <Button
          variant="contained"
          color={reject ? 'secondary' : 'primary'}
          disabled={props.busy || (reject && reason.trim() === '')}
          onClick={() => props.onConfirm(reason.trim())}
        >
          {reject ? 'Confirm rejection' : 'Confirm approval'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
