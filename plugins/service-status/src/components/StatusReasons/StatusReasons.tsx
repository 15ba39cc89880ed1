import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { StatusReason } from '@paved/backstage-plugin-service-status-common';
import { serviceStatusTranslationRef } from '../../translation';
import { formatRelativeTime } from '../../utils/format';
import { ReasonText } from './ReasonText';

const useStyles = makeStyles(theme => ({
  list: { listStyle: 'none', margin: 0, padding: 0 },
  reason: {
    borderLeft: `4px solid ${theme.palette.divider}`,
    padding: theme.spacing(0.25, 0, 0.25, 1),
    marginBottom: theme.spacing(1),
    overflowWrap: 'anywhere',
  },
  down: { borderLeftColor: theme.palette.error.main },
  degraded: { borderLeftColor: theme.palette.warning.main },
  unknown: { borderLeftColor: theme.palette.grey[500] },
  up: { borderLeftColor: theme.palette.success.main },
}));

/**
 * Props of {@link StatusReasons}.
 * @internal
 */
export interface StatusReasonsProps {
  reasons: StatusReason[];
  /** The entity whose reasons these are; reasons about other entities link to them. */
  entityRef: string;
  /** Show at most this many reasons (default: all). */
  max?: number;
}

/**
 * The reasons why an entity is not up, worst first, each marked in the colour of the state it
 * contributes (the message itself starts with that state), with the title of the dependency at
 * fault linked to its page.
 * @internal
 */
export function StatusReasons(props: StatusReasonsProps) {
  const { reasons, entityRef, max } = props;
  const classes = useStyles();
  const { t } = useTranslationRef(serviceStatusTranslationRef);
  if (reasons.length === 0) {
    return <Typography variant="body2">{t('common.noReasons')}</Typography>;
  }
  const shown = max === undefined ? reasons : reasons.slice(0, max);
  return (
    <Box
      component="ul"
      className={classes.list}
      aria-label={t('content.reasonsTitle')}
    >
      {shown.map((reason, index) => (
        <li
          key={`${reason.source}-${reason.entityRef}-${index}`}
          className={`${classes.reason} ${classes[reason.state]}`}
          data-testid={`reason-${reason.state}`}
        >
          <Typography variant="body2">
            <ReasonText reason={reason} entityRef={entityRef} />
          </Typography>
          {(linkInCaption(reason, entityRef) || reason.since) && (
            <Typography variant="caption" color="textSecondary">
              {linkInCaption(reason, entityRef) && (
                <>
                  <EntityRefLink entityRef={reason.entityRef} hideIcon />
                  {reason.since ? ' · ' : ''}
                </>
              )}
              {reason.since &&
                t('common.since', { time: formatRelativeTime(reason.since) })}
            </Typography>
          )}
        </li>
      ))}
      {shown.length < reasons.length && (
        <Typography variant="caption" color="textSecondary" component="li">
          +{reasons.length - shown.length}
        </Typography>
      )}
    </Box>
  );
}

/** A reason about another entity whose message does not name it by title gets a link below. */
function linkInCaption(reason: StatusReason, entityRef: string): boolean {
  return (
    reason.entityRef !== entityRef &&
    !(reason.entityTitle && reason.message.includes(reason.entityTitle))
  );
}
