import {
  EmptyState,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import Typography from '@material-ui/core/Typography';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Alert from '@material-ui/lab/Alert';
import {
  Resource,
  provisioningResourceApprovePermission,
} from '@paved/backstage-plugin-provisioning-common';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { provisioningApiRef } from '../../api';
import { describeError } from '../../api/errors';
import { formatMonthlyCost } from '../../format';
import {
  usePollingFallback,
  useQueuedRetry,
  useResourceSignal,
} from '../../hooks/useResourceSignal';
import { resourceRouteRef } from '../../routes';
import { provisioningTranslationRef } from '../../translation';
import { ApprovalDialog } from '../ResourcePage/ApprovalDialog';
import { showValue } from '../Deviations';

/** Poll interval of the Approvals view while signals do not work, in ms. @internal */
export const APPROVALS_FALLBACK_POLL_INTERVAL_MS = 10_000;

function changeSummary(resource: Resource): string {
  if (!resource.pendingChange) {
    return Object.entries(resource.parameters)
      .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(', ');
  }
  return resource.pendingChange.changes
    .map(c => `${c.key}: ${String(c.from ?? '–')} → ${String(c.to ?? '–')}`)
    .join(', ');
}

function ApprovalRow(props: {
  resource: Resource;
  onDecide: (resource: Resource, decision: 'approve' | 'reject') => void;
}) {
  const { resource } = props;
  const { t } = useTranslationRef(provisioningTranslationRef);
  const resourceLink = useRouteRef(resourceRouteRef);
  const approve = usePermission({
    permission: provisioningResourceApprovePermission,
    resourceRef: resource.id,
  });
  const change = resource.pendingChange;
  return (
    <TableRow data-testid="approval-row">
      <TableCell>
        <Link to={resourceLink({ id: resource.id })}>{resource.name}</Link>
      </TableCell>
      <TableCell>
        {change ? t('approvals.change') : t('approvals.newResource')}
      </TableCell>
      <TableCell>{resource.type}</TableCell>
      <TableCell>
        <EntityRefLink entityRef={resource.owner} defaultKind="group" />
      </TableCell>
      <TableCell>
        {changeSummary(resource)}
        {(change ? change.deviations ?? [] : resource.deviations ?? [])
          .filter(d => !d.approvedBy)
          .map(d => (
            <Typography
              key={d.parameter}
              variant="caption"
              display="block"
              data-testid="approval-deviation"
            >
              Outside the golden path: {d.parameter} ({showValue(d.value)}; golden path{' '}
              {showValue(d.goldenPathDefault)}). Justification: “{d.justification}”
            </Typography>
          ))}
      </TableCell>
      <TableCell align="right">
        {formatMonthlyCost(change?.monthlyCostUsd ?? resource.monthlyCostUsd)}
      </TableCell>
      <TableCell>
        <EntityRefLink
          entityRef={change?.requestedBy ?? resource.createdBy}
          defaultKind="user"
        />
      </TableCell>
      <TableCell>
        {approve.allowed && (
          <Box display="flex" gridGap={8}>
            <Button
              size="small"
              variant="contained"
              color="primary"
              onClick={() => props.onDecide(resource, 'approve')}
            >
              {t('resource.approve')}
            </Button>
            <Button
              size="small"
              variant="outlined"
              onClick={() => props.onDecide(resource, 'reject')}
            >
              {t('resource.reject')}
            </Button>
          </Box>
        )}
      </TableCell>
    </TableRow>
  );
}

/**
 * The Approvals view (`/provisioning/approvals`): every create awaiting approval and every pending change, with
 * what changes and the cost after it; approve, and reject with a required reason, for approvers (permission
 * `provisioning.resource.approve`). Updates when the backend signals a change.
 * @internal
 */
export function ApprovalsPage() {
  const api = useApi(provisioningApiRef);
  const { t } = useTranslationRef(provisioningTranslationRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.listApprovals(),
    [api],
  );
  // Push, not poll: reload on every signalled change and when the signal connection becomes live; poll only
  // while signals do not (yet) work.
  const reload = useQueuedRetry(retry, loading);
  const { isLive } = useResourceSignal(() => reload());
  usePollingFallback(reload, APPROVALS_FALLBACK_POLL_INTERVAL_MS, !isLive);
  const [deciding, setDeciding] = useState<
    { resource: Resource; decision: 'approve' | 'reject' } | undefined
  >();
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | undefined>();

  const decide = async (reason: string) => {
    if (!deciding) return;
    setBusy(true);
    setActionError(undefined);
    try {
      if (deciding.decision === 'approve') {
        await api.approveResource(
          deciding.resource.id,
          reason ? { reason } : {},
        );
      } else {
        await api.rejectResource(deciding.resource.id, { reason });
      }
      setDeciding(undefined);
      retry();
    } catch (e) {
      setActionError(
        describeError(e, { action: `${deciding.decision} requests` }).message,
      );
    } finally {
      setBusy(false);
    }
  };

  if (loading && !value) return <Progress />;
  if (error) {
    if ((error as { statusCode?: number }).statusCode === 403) {
      return <Alert severity="info">{t('approvals.forbidden')}</Alert>;
    }
    return <ResponseErrorPanel error={error} />;
  }
  const items = value?.items ?? [];
  if (items.length === 0) {
    return (
      <EmptyState
        missing="data"
        title={t('approvals.emptyTitle')}
        description={t('approvals.emptyDescription')}
      />
    );
  }
  return (
    <Box>
      <Table size="small" aria-label={t('approvals.tab')}>
        <TableHead>
          <TableRow>
            <TableCell>Name</TableCell>
            <TableCell>Request</TableCell>
            <TableCell>Type</TableCell>
            <TableCell>Owner</TableCell>
            <TableCell>What</TableCell>
            <TableCell align="right">Monthly cost</TableCell>
            <TableCell>Requested by</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {items.map(r => (
            <ApprovalRow
              key={r.id}
              resource={r}
              onDecide={(resource, decision) => {
                setActionError(undefined);
                setDeciding({ resource, decision });
              }}
            />
          ))}
        </TableBody>
      </Table>
      {deciding && (
        <ApprovalDialog
          decision={deciding.decision}
          resource={deciding.resource}
          busy={busy}
          error={actionError}
          onCancel={() => setDeciding(undefined)}
          onConfirm={decide}
        />
      )}
    </Box>
  );
}
