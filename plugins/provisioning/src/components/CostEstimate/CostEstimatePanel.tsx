import Box from '@material-ui/core/Box';
import CircularProgress from '@material-ui/core/CircularProgress';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { CostEstimate } from '@paved/backstage-plugin-provisioning-common';
import { describeError, ownerName } from '../../api/errors';
import { formatMonthlyCost } from '../../format';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { provisioningTranslationRef } from '../../translation';
import { showValue } from '../Deviations/DeviationsPanel';

/** Who or what needs approval: `Size large`, `Advanced parameter connectionLimit`, or both. @internal */
export function approvalSubject(estimate: CostEstimate): string {
  const deviations = (estimate.deviations ?? []).map(d => d.parameter);
  const sizeNeeds = /Size '/.test(estimate.approval?.reason ?? '') || (!deviations.length && !!estimate.size);
  const advanced = deviations.length
    ? `advanced parameter${deviations.length > 1 ? 's' : ''} ${deviations.join(', ')}`
    : '';
  if (sizeNeeds && estimate.size && advanced) return `Size ${estimate.size} and ${advanced}`;
  if (advanced) return `${advanced[0].toUpperCase()}${advanced.slice(1)}`;
  return estimate.size ? `Size ${estimate.size}` : 'This request';
}

/**
 * The monthly cost estimate and the policy outcome ("needs approval by the platform team") of a request.
 * @internal
 */
export function CostEstimatePanel(props: {
  estimate?: CostEstimate;
  loading: boolean;
  error?: Error;
  /** The current monthly cost, to show the difference (updates). */
  currentCostUsd?: number;
  /** Whether the estimate is for a new request (default) or a change. */
  action?: 'create' | 'update';
}) {
  const { estimate, loading, error, currentCostUsd } = props;
  const update = props.action === 'update';
  const { t } = useTranslationRef(provisioningTranslationRef);
  return (
    <Box my={2} data-testid="cost-estimate" aria-live="polite">
      <Typography variant="subtitle2">{t('estimate.title')}</Typography>
      {error && (
        <Alert severity="warning">
          Could not estimate the cost: {describeError(error).message}
        </Alert>
      )}
      {!error && (
        <Box display="flex" alignItems="center" gridGap={8}>
          <Typography variant="h5" component="p" data-testid="estimate-amount">
            {estimate ? formatMonthlyCost(estimate.monthlyCostUsd) : '–'}
          </Typography>
          {currentCostUsd !== undefined && estimate && (
            <Typography variant="body2" color="textSecondary">
              {t('estimate.today', { cost: formatMonthlyCost(currentCostUsd) })}
            </Typography>
          )}
          {loading && <CircularProgress size={16} aria-label="Estimating" />}
        </Box>
      )}
      {estimate && !error && (
        <Box mt={1}>
          {estimate.requiresApproval ? (
            <Alert severity="info" data-testid="policy-outcome">
              {t(
                update
                  ? 'estimate.needsApprovalUpdate'
                  : 'estimate.needsApproval',
                {
                  subject: approvalSubject(estimate),
                  approvers:
                    ownerName(estimate.approvers) ?? 'the platform team',
                },
              )}
              {(estimate.deviations ?? []).length > 0 && (
                <ul style={{ margin: '4px 0 0', paddingLeft: 20 }} data-testid="deviations-outcome">
                  {estimate.deviations!.map(d => (
                    <li key={d.parameter}>
                      needs approval: advanced parameter {d.parameter} = {showValue(d.value)}
                      {d.goldenPathDefault !== undefined
                        ? ` (golden path: ${showValue(d.goldenPathDefault)})`
                        : ''}
                    </li>
                  ))}
                </ul>
              )}
            </Alert>
          ) : (
            <Alert severity="success" data-testid="policy-outcome">
              {t(update ? 'estimate.noApprovalUpdate' : 'estimate.noApproval')}
            </Alert>
          )}
        </Box>
      )}
    </Box>
  );
}
