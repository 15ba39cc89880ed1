import Chip from '@material-ui/core/Chip';
import { makeStyles, Theme } from '@material-ui/core/styles';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import ErrorIcon from '@material-ui/icons/Error';
import HelpIcon from '@material-ui/icons/Help';
import WarningIcon from '@material-ui/icons/Warning';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { StatusState } from '@paved/backstage-plugin-service-status-common';
import { serviceStatusTranslationRef } from '../../translation';

type StatusPalette = {
  ok: string;
  warning: string;
  error: string;
  aborted: string;
};

function statusPalette(theme: Theme): StatusPalette {
  const status = (theme.palette as { status?: Partial<StatusPalette> }).status;
  return {
    ok: status?.ok ?? theme.palette.success.main,
    warning: status?.warning ?? theme.palette.warning.main,
    error: status?.error ?? theme.palette.error.main,
    aborted: status?.aborted ?? theme.palette.grey[600],
  };
}

const useStyles = makeStyles(theme => {
  const palette = statusPalette(theme);
  const variant = (color: string) => ({
    color: theme.palette.getContrastText(color),
    backgroundColor: color,
    '& svg': { color: theme.palette.getContrastText(color) },
  });
  return {
    chip: { fontWeight: theme.typography.fontWeightBold as number },
    up: variant(palette.ok),
    degraded: variant(palette.warning),
    down: variant(palette.error),
    unknown: variant(palette.aborted),
  };
});

const ICONS: Record<StatusState, JSX.Element> = {
  up: <CheckCircleIcon />,
  degraded: <WarningIcon />,
  down: <ErrorIcon />,
  unknown: <HelpIcon />,
};

/**
 * Props of {@link StatusChip}.
 * @public
 */
export interface StatusChipProps {
  /** The state to show. */
  state: StatusState;
  /** Chip size; default `small`. */
  size?: 'small' | 'medium';
}

/**
 * A coloured chip with an icon and the name of a status state, readable without colour.
 * @public
 */
export function StatusChip(props: StatusChipProps) {
  const { state, size = 'small' } = props;
  const classes = useStyles();
  const { t } = useTranslationRef(serviceStatusTranslationRef);
  const label = t(`state.${state}`);
  return (
    <Chip
      size={size}
      icon={ICONS[state]}
      label={label}
      className={`${classes.chip} ${classes[state]}`}
      data-testid={`status-chip-${state}`}
    />
  );
}
