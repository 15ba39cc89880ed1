import { EmptyState, Link, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { useSignal } from '@backstage/plugin-signals-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  provisioningRolloutManagePermission,
  ResourceType,
} from '@paved/backstage-plugin-provisioning-common';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { provisioningApiRef } from '../../api';
import { rolloutRouteRef } from '../../routes';
import { RolloutStatusChip } from './RolloutStatusChip';
import { StartRolloutDialog } from './StartRolloutDialog';
import { ROLLOUT_SIGNAL_CHANNEL } from './useRollout';

/**
 * The Rollouts view of the Self-service page: per resource type its current version and how many resources are
 * behind it, a "Start rollout" button for the platform team, and the rollouts, newest first.
 * @internal
 */
export function RolloutsView() {
  const api = useApi(provisioningApiRef);
  const rolloutLink = useRouteRef(rolloutRouteRef);
  const navigate = useNavigate();
  const manage = usePermission({ permission: provisioningRolloutManagePermission });
  const [starting, setStarting] = useState<ResourceType | undefined>();
  const data = useAsyncRetry(async () => {
    const [types, rollouts] = await Promise.all([api.listTypes(), api.listRollouts()]);
    return { types: types.items, rollouts: rollouts.items };
  }, [api]);
  const { lastSignal } = useSignal<{ id?: string }>(ROLLOUT_SIGNAL_CHANNEL);
  const { retry } = data;
  useEffect(() => {
    if (lastSignal) retry();
  }, [lastSignal, retry]);

  if (data.loading && !data.value) return <Progress />;
  if (data.error) return <ResponseErrorPanel error={data.error} />;
  const { types, rollouts } = data.value!;

  return (
    <Box>
      <Typography variant="h6">Type versions</Typography>
      <Table size="small" aria-label="Type versions">
        <TableHead>
          <TableRow>
            <TableCell>Type</TableCell>
            <TableCell>Current version</TableCell>
            <TableCell>What it sets</TableCell>
            <TableCell>Resources behind</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {types.map(t => {
            const current = t.versions?.find(v => v.version === t.version);
            const active = rollouts.find(r => r.type === t.id && (r.status === 'running' || r.status === 'paused'));
            return (
              <TableRow key={t.id} data-testid={`type-row-${t.id}`}>
                <TableCell>{t.title}</TableCell>
                <TableCell>{t.version ?? '1.0.0'}</TableCell>
                <TableCell>{current?.description ?? ''}</TableCell>
                <TableCell data-testid={`behind-${t.id}`}>{t.resourcesBehind ?? 0}</TableCell>
                <TableCell align="right">
                  {active ? (
                    <Link to={rolloutLink({ id: active.id })}>Rollout {active.status}</Link>
                  ) : (
                    manage.allowed &&
                    (t.resourcesBehind ?? 0) > 0 && (
                      <Button size="small" variant="outlined" color="primary" onClick={() => setStarting(t)}>
                        Start rollout
                      </Button>
                    )
                  )}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      <Box mt={3}>
        <Typography variant="h6">Rollouts</Typography>
        {rollouts.length === 0 ? (
          <EmptyState
            missing="data"
            title="No rollouts yet"
            description="The platform team rolls a new type version out to existing resources in health-gated waves."
          />
        ) : (
          <Table size="small" aria-label="Rollouts">
            <TableHead>
              <TableRow>
                <TableCell>Type</TableCell>
                <TableCell>Version</TableCell>
                <TableCell>Status</TableCell>
                <TableCell>Progress</TableCell>
                <TableCell>Started</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {rollouts.map(r => (
                <TableRow key={r.id} data-testid="rollout-row">
                  <TableCell>
                    <Link to={rolloutLink({ id: r.id })}>{r.type}</Link>
                  </TableCell>
                  <TableCell>{r.targetVersion}</TableCell>
                  <TableCell>
                    <RolloutStatusChip status={r.status} />
                  </TableCell>
                  <TableCell>
                    {r.applied} of {r.total} applied, wave {Math.min(r.currentWave + 1, r.waves.length)} of{' '}
                    {r.waves.length}
                  </TableCell>
                  <TableCell>
                    {new Date(r.createdAt).toLocaleString()} by {r.createdBy.replace(/^user:default\//, '')}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Box>
      {starting && (
        <StartRolloutDialog
          open
          type={starting}
          onClose={() => setStarting(undefined)}
          onStarted={r => {
            setStarting(undefined);
            navigate(rolloutLink({ id: r.id }));
          }}
        />
      )}
    </Box>
  );
}
