import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import ListItemSecondaryAction from '@material-ui/core/ListItemSecondaryAction';
import {
  StatusChip,
  serviceStatusApiRef,
} from '@paved/backstage-plugin-service-status';
import useAsync from 'react-use/esm/useAsync';
import { entityPath, useOwnership } from '../useOwnership';
import { WidgetState } from './WidgetState';

/** The components the signed-in person (or one of their teams) owns, worst status first, with the reason. */
export function MyServicesCard() {
  const ownership = useOwnership();
  const statusApi = useApi(serviceStatusApiRef);
  const refs = ownership.value?.ownershipEntityRefs;
  const statuses = useAsync(async () => {
    if (!refs) return undefined;
    const res = await statusApi.listStatuses({
      owner: refs,
      kind: ['Component'],
      limit: 100,
    });
    const rank = { down: 0, degraded: 1, unknown: 2, up: 3 } as const;
    return [...res.items].sort(
      (a, b) =>
        rank[a.state] - rank[b.state] ||
        (a.title ?? a.name).localeCompare(b.title ?? b.name),
    );
  }, [statusApi, refs?.join(',')]);

  return (
    <WidgetState
      loading={
        ownership.loading ||
        statuses.loading ||
        (!ownership.error && !statuses.error && !statuses.value)
      }
      error={ownership.error ?? statuses.error}
      empty={statuses.value?.length === 0}
      emptyText={
        <>
          You own no services yet. Start one from a{' '}
          <Link to="/create">golden path</Link>.
        </>
      }
    >
      <List dense aria-label="My services">
        {statuses.value?.map(s => (
          <ListItem key={s.entityRef} divider>
            <ListItemText
              primary={
                <Link to={entityPath(s.entityRef)}>{s.title ?? s.name}</Link>
              }
              secondary={s.state === 'up' ? undefined : s.reasons[0]?.message}
            />
            <ListItemSecondaryAction>
              <StatusChip state={s.state} />
            </ListItemSecondaryAction>
          </ListItem>
        ))}
      </List>
      <Link to="/service-status">All service status</Link>
    </WidgetState>
  );
}
