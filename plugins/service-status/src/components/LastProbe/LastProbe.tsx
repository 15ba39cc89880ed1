import Typography, { TypographyProps } from '@material-ui/core/Typography';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { ProbeResult } from '@paved/backstage-plugin-service-status-common';
import { serviceStatusTranslationRef } from '../../translation';
import { formatRelativeTime } from '../../utils/format';

/**
 * One line about the newest probe: "Last probe: HTTP 200 in 14 ms, 5 seconds ago"; for a degraded
 * answer "Last probe answered degraded: <reason>, HTTP 200 in 14 ms, ..."; only a down probe is
 * "Last probe failed: <error>, ...".
 * @internal
 */
export function LastProbe(props: {
  probe: ProbeResult;
  variant?: TypographyProps['variant'];
}) {
  const { probe, variant = 'body2' } = props;
  const { t } = useTranslationRef(serviceStatusTranslationRef);
  const time = formatRelativeTime(probe.at);
  const answer = {
    status: String(probe.httpStatus ?? '–'),
    latency:
      probe.latencyMs === undefined ? '–' : String(Math.round(probe.latencyMs)),
    time,
  };
  // Only a down probe failed; a degraded one answered (uptime counts it as up).
  const line = () => {
    if (probe.state === 'down') {
      return t('card.lastProbeError', {
        error: probe.error ?? `HTTP ${answer.status}`,
        time,
      });
    }
    if (probe.state === 'degraded') {
      return t('card.lastProbeDegraded', {
        ...answer,
        reason: probe.error ?? t('state.degraded'),
      });
    }
    return t('card.lastProbe', answer);
  };
  return (
    <Typography variant={variant} color="textSecondary" component="p">
      {line()}
    </Typography>
  );
}
