import { InfoCard } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { PendingChange } from '@paved/backstage-plugin-provisioning-common';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { formatMonthlyCost } from '../../format';
import { provisioningTranslationRef } from '../../translation';

function show(value: unknown): string {
  if (value === undefined) return '–';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * An update awaiting approval while the resource keeps serving: what changes (from → to), the cost today and
 * after the change, who asked and when; Withdraw for the owner, Approve/Reject for approvers.
 * @internal
 */
export function PendingChangePanel(props: {
  change: PendingChange;
  currentMonthlyCostUsd: number;
  canWithdraw: boolean;
  canDecide: boolean;
  busy?: boolean;
  onWithdraw: () => void;
  onApprove: () => void;
  onReject: () => void;
}) {
  const { change } = props;
  const { t } = useTranslationRef(provisioningTranslationRef);
  return (
    <InfoCard title={t('pendingChange.title')}>
      <Typography variant="body2" paragraph>
        {t('pendingChange.intro')}
      </Typography>
      <Table size="small" aria-label={t('pendingChange.title')}>
        <TableHead>
          <TableRow>
            <TableCell>{t('pendingChange.parameter')}</TableCell>
            <TableCell>{t('pendingChange.from')}</TableCell>
            <TableCell>{t('pendingChange.to')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {change.changes.map(c => (
            <TableRow key={c.key} data-testid="pending-change-row">
              <TableCell component="th" scope="row">
                {c.key}
              </TableCell>
              <TableCell>{show(c.from)}</TableCell>
              <TableCell>
                <strong>{show(c.to)}</strong>
              </TableCell>
            </TableRow>
          ))}
          <TableRow>
            <TableCell component="th" scope="row">
              {t('pendingChange.cost')}
            </TableCell>
            <TableCell>{formatMonthlyCost(props.currentMonthlyCostUsd)}</TableCell>
            <TableCell data-testid="pending-change-cost">
              <strong>{formatMonthlyCost(change.monthlyCostUsd)}</strong>
            </TableCell>
          </TableRow>
        </TableBody>
      </Table>
      <Box mt={1}>
        <Typography variant="body2" color="textSecondary">
          {t('pendingChange.requestedBy')}{' '}
          <EntityRefLink entityRef={change.requestedBy} defaultKind="user" />{' '}
          {new Date(change.requestedAt).toLocaleString()}
        </Typography>
      </Box>
      {(props.canWithdraw || props.canDecide) && (
        <Box mt={2} display="flex" gridGap={8}>
          {props.canDecide && (
            <>
              <Button
                variant="contained"
                color="primary"
                disabled={props.busy}
                onClick={props.onApprove}
              >
                {t('resource.approve')}
              </Button>
              <Button
                variant="outlined"
                disabled={props.busy}
                onClick={props.onReject}
              >
                {t('resource.reject')}
              </Button>
            </>
          )}
          {props.canWithdraw && (
            <Button
              variant="outlined"
              disabled={props.busy}
              onClick={props.onWithdraw}
            >
              {t('resource.withdraw')}
            </Button>
          )}
        </Box>
      )}
    </InfoCard>
  );
}
