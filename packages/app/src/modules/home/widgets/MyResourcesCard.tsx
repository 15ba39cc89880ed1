import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import {
  StateChip,
  provisioningApiRef,
} from '@paved/backstage-plugin-provisioning';
import useAsync from 'react-use/esm/useAsync';
import { useOwnership } from '../useOwnership';
import { formatMonthly } from './format';
import { WidgetState } from './WidgetState';

/** The resources the signed-in person's teams requested through Self-service, with their monthly cost. */
export function MyResourcesCard() {
  const ownership = useOwnership();
  const provisioningApi = useApi(provisioningApiRef);
  const groups = ownership.value?.groupRefs;
  const resources = useAsync(async () => {
    if (!groups) return undefined;
    if (groups.length === 0) return { items: [], totals: [] };
    return provisioningApi.listResources({ owner: groups, limit: 50 });
  }, [provisioningApi, groups?.join(',')]);
  const total =
    resources.value?.totals.reduce((sum, t) => sum + t.monthlyCostUsd, 0) ?? 0;

  return (
    <WidgetState
      loading={
        ownership.loading ||
        resources.loading ||
        (!ownership.error && !resources.error && !resources.value)
      }
      error={ownership.error ?? resources.error}
      empty={resources.value?.items.length === 0}
      emptyText={
        <>
          Your teams have no resources yet. Request a database or a cache in{' '}
          <Link to="/provisioning">Self-service</Link>.
        </>
      }
    >
      <Typography variant="subtitle2" data-testid="resources-total">
        {formatMonthly(total)} in total
      </Typography>
      <List dense aria-label="My resources">
        {resources.value?.items.map(r => (
          <ListItem key={r.id} divider>
            <ListItemText
              primary={
                <Link to={`/provisioning/resources/${r.id}`}>{r.name}</Link>
              }
              secondary={`${r.type} · ${formatMonthly(r.monthlyCostUsd)}`}
            />
            <StateChip state={r.state} drifted={r.drifted} />
          </ListItem>
        ))}
      </List>
      <Link to="/provisioning">Self-service</Link>
    </WidgetState>
  );
}
