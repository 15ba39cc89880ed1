import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import type {
  Deployment,
  Incident,
} from '@paved/backstage-plugin-service-status-common';
import { serviceStatusApiRef } from '@paved/backstage-plugin-service-status';
import useAsync from 'react-use/esm/useAsync';
import { entityPath, useOwnership } from '../useOwnership';
import { formatAgo } from './format';
import { WidgetState } from './WidgetState';

/** At most this many services are asked for their deployments (one request each). */
const MAX_SERVICES = 10;
/** Deployments shown, newest first. */
const MAX_DEPLOYMENTS = 6;

export interface DeliveryCardProps {
  /** The clock (milliseconds since the epoch) for "5 min ago"; default `Date.now`. */
  now?: () => number;
}

/** Open incidents and recent deployments of the services the signed-in person's teams own. */
export function DeliveryCard(props: DeliveryCardProps) {
  const now = (props.now ?? Date.now)();
  const ownership = useOwnership();
  const statusApi = useApi(serviceStatusApiRef);
  const refs = ownership.value?.ownershipEntityRefs;
  const data = useAsync(async () => {
    if (!refs) return undefined;
    const mine = (await statusApi.listStatuses({ owner: refs, limit: 100 }))
      .items;
    const titles = new Map(mine.map(s => [s.entityRef, s.title ?? s.name]));
    const components = mine
      .filter(s => s.kind.toLocaleLowerCase('en-US') === 'component')
      .slice(0, MAX_SERVICES);
    const [incidents, deployments] = await Promise.all([
      statusApi
        .listIncidents({ state: 'open', limit: 100 })
        .then(r => r.items.filter(i => titles.has(i.entityRef))),
      Promise.all(
        components.map(c =>
          statusApi
            .listDeployments({ entityRef: c.entityRef, limit: 3 })
            .then(r => r.items),
        ),
      ).then(lists =>
        lists
          .flat()
          .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
          .slice(0, MAX_DEPLOYMENTS),
      ),
    ]);
    return { titles, incidents, deployments };
  }, [statusApi, refs?.join(',')]);
  const value = data.value;
  const title = (ref: string) => value?.titles.get(ref) ?? ref;

  return (
    <WidgetState
      loading={
        ownership.loading ||
        data.loading ||
        (!ownership.error && !data.error && !data.value)
      }
      error={ownership.error ?? data.error}
      empty={value?.incidents.length === 0 && value?.deployments.length === 0}
      emptyText="No open incidents and no deployments reported for your services."
    >
      <Typography variant="subtitle2">Open incidents</Typography>
      {value?.incidents.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          No open incidents on your services.
        </Typography>
      ) : (
        <List dense aria-label="Open incidents">
          {value?.incidents.map((i: Incident) => (
            <ListItem key={i.id} divider>
              <ListItemText
                primary={
                  <Link to={`${entityPath(i.entityRef)}/status`}>
                    {i.title}
                  </Link>
                }
                secondary={`${title(i.entityRef)} · ${i.severity} · ${
                  i.state
                } · opened ${formatAgo(i.createdAt, now)}`}
              />
            </ListItem>
          ))}
        </List>
      )}
      <Typography variant="subtitle2">Recent deployments</Typography>
      {value?.deployments.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          No deployments reported yet.
        </Typography>
      ) : (
        <List dense aria-label="Recent deployments">
          {value?.deployments.map((d: Deployment) => (
            <ListItem key={d.id} divider>
              <ListItemText
                primary={
                  <Link to={`${entityPath(d.entityRef)}/status`}>
                    {`${title(d.entityRef)} ${d.version}`}
                  </Link>
                }
                secondary={`${d.environment} · ${d.status} · ${formatAgo(
                  d.startedAt,
                  now,
                )}`}
              />
            </ListItem>
          ))}
        </List>
      )}
    </WidgetState>
  );
}
