import Typography, { TypographyProps } from '@material-ui/core/Typography';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { ProbeResult } from '@paved/backstage-plugin-service-status-common';
import { serviceStatusTranslationRef } from '../../translation';
import { formatRelativeTime } from '../../utils/format';

/**
 * One line about the newest probe: "Last probe: HTTP 200 in 14 ms, 5 seconds ago", or its error.
 * @internal
 */
export function LastProbe(props: {
  probe: ProbeResult;
  variant?: TypographyProps['variant'];
}) {
  const { probe, variant = 'body2' } = props;
  const { t } = useTranslationRef(serviceStatusTranslationRef);
  const time = formatRelativeTime(probe.at);
  return (
    <Typography variant={variant} color="textSecondary" component="p">
      {probe.error
        ? t('card.lastProbeError', { error: probe.error, time })
        : t('card.lastProbe', {
            status: String(probe.httpStatus ?? '–'),
            latency:
              probe.latencyMs === undefined
                ? '–'
                : String(Math.round(probe.latencyMs)),
            time,
          })}
    </Typography>
  );
}
