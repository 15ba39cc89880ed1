import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { ResourceEvent } from '@paved/backstage-plugin-provisioning-common';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { provisioningTranslationRef } from '../../translation';

/**
 * The lifecycle events of a resource, newest first.
 * @internal
 */
export function EventTimeline(props: { events: ResourceEvent[] }) {
  const { t } = useTranslationRef(provisioningTranslationRef);
  const events = [...props.events].sort((a, b) => b.at.localeCompare(a.at));
  if (events.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        {t('resource.noEvents')}
      </Typography>
    );
  }
  return (
    <List dense aria-label="Event timeline">
      {events.map(e => (
        <ListItem key={e.id} divider>
          <ListItemText
            primary={
              <>
                <strong>{e.type}</strong>
                {e.fromState || e.toState
                  ? ` ${e.fromState ?? '∅'} → ${e.toState ?? '∅'}`
                  : ''}
                {e.message ? `: ${e.message}` : ''}
              </>
            }
            secondary={`${new Date(e.at).toLocaleString()} · ${e.actor}`}
          />
        </ListItem>
      ))}
    </List>
  );
}
