import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { StatusReason } from '@paved/backstage-plugin-service-status-common';
import { serviceStatusTranslationRef } from '../../translation';
import { formatRelativeTime } from '../../utils/format';
import { StatusChip } from '../StatusChip';

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
 * The reasons why an entity is not up, worst first, linking to the dependency at fault.
 * @internal
 */
export function StatusReasons(props: StatusReasonsProps) {
  const { reasons, entityRef, max } = props;
  const { t } = useTranslationRef(serviceStatusTranslationRef);
  if (reasons.length === 0) {
    return <Typography variant="body2">{t('common.noReasons')}</Typography>;
  }
  const shown = max === undefined ? reasons : reasons.slice(0, max);
  return (
    <List dense disablePadding aria-label={t('content.reasonsTitle')}>
      {shown.map((reason, index) => (
        <ListItem
          key={`${reason.source}-${reason.entityRef}-${index}`}
          disableGutters
        >
          <ListItemIcon style={{ minWidth: 104 }}>
            <StatusChip state={reason.state} />
          </ListItemIcon>
          <ListItemText
            primary={reason.message}
            secondary={
              <>
                {reason.entityRef !== entityRef && (
                  <>
                    <EntityRefLink entityRef={reason.entityRef} hideIcon />
                    {reason.since ? ' · ' : ''}
                  </>
                )}
                {reason.since &&
                  t('common.since', { time: formatRelativeTime(reason.since) })}
              </>
            }
          />
        </ListItem>
      ))}
    </List>
  );
}
