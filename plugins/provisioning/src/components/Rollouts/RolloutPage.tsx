import { Link, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import LinearProgress from '@material-ui/core/LinearProgress';
import Paper from '@material-ui/core/Paper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  provisioningRolloutManagePermission,
  RolloutWave,
} from '@paved/backstage-plugin-provisioning-common';
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { provisioningApiRef } from '../../api';
import { serverMessage } from '../../api/errors';
import { resourceRouteRef, rolloutsRouteRef } from '../../routes';
import { RolloutStatusChip } from './RolloutStatusChip';
import { useRollout } from './useRollout';

function WaveCard(props: { wave: RolloutWave; count: number }) {
  const { wave } = props;
  const resourceLink = useRouteRef(resourceRouteRef);
  const done = wave.applied + wave.skipped + wave.failed + wave.rolledBack;
  return (
    <Paper variant="outlined" style={{ padding: 12, marginTop: 12 }} data-testid={`wave-${wave.index}`}>
      <Box display="flex" alignItems="center" style={{ gap: 12 }}>
        <Typography variant="subtitle1">
          Wave {wave.index + 1} of {props.count}: {wave.name}
        </Typography>
        <RolloutStatusChip status={wave.status} />
        <Typography variant="body2" color="textSecondary">
          {wave.applied} of {wave.total} applied
          {wave.skipped ? `, ${wave.skipped} skipped` : ''}
          {wave.rolledBack ? `, ${wave.rolledBack} rolled back` : ''}
          {wave.soakUntil ? `; soaking until ${new Date(wave.soakUntil).toLocaleTimeString()}` : ''}
        </Typography>
      </Box>
      <LinearProgress
        variant="determinate"
        value={wave.total ? (100 * done) / wave.total : 100}
        style={{ marginTop: 8 }}
        aria-label={`Wave ${wave.index + 1} progress`}
      />
      <Table size="small" style={{ marginTop: 8 }}>
        <TableHead>
          <TableRow>
            <TableCell>Resource</TableCell>
            <TableCell>Owner</TableCell>
            <TableCell>From</TableCell>
            <TableCell>Status</TableCell>
            <TableCell>Message</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {wave.items.map(i => (
            <TableRow key={i.resourceId} data-testid="rollout-item">
              <TableCell>
                <Link to={resourceLink({ id: i.resourceId })}>{i.name}</Link>
              </TableCell>
              <TableCell>{i.owner.replace(/^group:default\//, '')}</TableCell>
              <TableCell>{i.previousVersion}</TableCell>
              <TableCell>
                <RolloutStatusChip status={i.status} />
              </TableCell>
              <TableCell>{i.message ?? ''}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Paper>
  );
}

/**
 * The page of one rollout: status, reason, live progress per wave (signals, with polling as fallback) and, for the
 * platform team, pause, resume and abort.
 * @internal
 */
export function RolloutPage() {
  const { id = '' } = useParams();
  const api = useApi(provisioningApiRef);
  const rolloutsLink = useRouteRef(rolloutsRouteRef);
  const manage = usePermission({ permission: provisioningRolloutManagePermission });
  const { rollout, error, setRollout } = useRollout(id);
  const [actionError, setActionError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  if (error && !rollout) return <ResponseErrorPanel error={error} />;
  if (!rollout) return <Progress />;

  const steer = async (action: 'pause' | 'resume' | 'abort') => {
    setBusy(true);
    setActionError(undefined);
    try {
      setRollout(await api.steerRollout(rollout.id, action));
    } catch (e) {
      setActionError(serverMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box>
      <Link to={rolloutsLink()}>← Rollouts</Link>
      <Box display="flex" alignItems="center" mt={1} style={{ gap: 12 }}>
        <Typography variant="h5">
          Rollout of {rollout.type} {rollout.targetVersion}
        </Typography>
        <RolloutStatusChip status={rollout.status} />
      </Box>
      <Typography variant="body2" color="textSecondary">
        {rollout.applied} of {rollout.total} resources applied · {rollout.waves.length} waves · soak{' '}
        {rollout.soakSeconds} s · started by {rollout.createdBy} at {new Date(rollout.createdAt).toLocaleString()}
      </Typography>
      {rollout.reason && (
        <Alert severity={rollout.status === 'failed' ? 'error' : 'info'} style={{ marginTop: 8 }} data-testid="rollout-reason">
          {rollout.reason}
        </Alert>
      )}
      {manage.allowed && (rollout.status === 'running' || rollout.status === 'paused') && (
        <Box mt={2} display="flex" style={{ gap: 8 }}>
          {rollout.status === 'running' && (
            <Button variant="outlined" disabled={busy} onClick={() => steer('pause')}>
              Pause
            </Button>
          )}
          {rollout.status === 'paused' && (
            <Button variant="outlined" color="primary" disabled={busy} onClick={() => steer('resume')}>
              Resume
            </Button>
          )}
          <Button variant="outlined" color="secondary" disabled={busy} onClick={() => steer('abort')}>
            Abort
          </Button>
        </Box>
      )}
      {actionError && (
        <Alert severity="error" style={{ marginTop: 8 }}>
          {actionError}
        </Alert>
      )}
      {rollout.waves.map(w => (
        <WaveCard key={w.index} wave={w} count={rollout.waves.length} />
      ))}
    </Box>
  );
}
