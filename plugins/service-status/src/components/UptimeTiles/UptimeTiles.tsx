import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type {
  UptimeSummary,
  UptimeWindow,
} from '@paved/backstage-plugin-service-status-common';
import { serviceStatusTranslationRef } from '../../translation';
import { formatRatio } from '../../utils/format';

const useStyles = makeStyles(theme => ({
  tile: { minWidth: 96, marginRight: theme.spacing(3) },
  good: { color: theme.palette.success.main },
  fair: { color: theme.palette.warning.main },
  poor: { color: theme.palette.error.main },
}));

function grade(ratio: number | null) {
  if (ratio === null) return undefined;
  if (ratio >= 0.999) return 'good' as const;
  if (ratio >= 0.99) return 'fair' as const;
  return 'poor' as const;
}

/**
 * Props of {@link UptimeTiles}.
 * @internal
 */
export interface UptimeTilesProps {
  uptime: UptimeSummary[];
  /** Which windows to show, in order (default 24h, 7d, 30d). */
  windows?: UptimeWindow[];
}

/**
 * Uptime percentages per window as large figures (green from 99.9%, amber from 99%, red below),
 * each with its sample count.
 * @internal
 */
export function UptimeTiles(props: UptimeTilesProps) {
  const { uptime, windows = ['24h', '7d', '30d'] } = props;
  const classes = useStyles();
  const { t } = useTranslationRef(serviceStatusTranslationRef);
  return (
    <Box display="flex" flexWrap="wrap">
      {windows.map(window => {
        const summary = uptime.find(u => u.window === window);
        const ratio = summary?.uptimeRatio ?? null;
        const gradeClass = grade(ratio);
        return (
          <Box key={window} className={classes.tile} data-testid={`uptime-${window}`}>
            <Typography variant="overline" color="textSecondary">
              {window}
            </Typography>
            <Typography
              variant="h5"
              className={gradeClass ? classes[gradeClass] : undefined}
            >
              {formatRatio(ratio)}
            </Typography>
            <Typography variant="caption" color="textSecondary">
              {summary && summary.samples > 0
                ? t('content.samples', { count: summary.samples })
                : t('content.noSamples')}
            </Typography>
          </Box>
        );
      })}
    </Box>
  );
}
