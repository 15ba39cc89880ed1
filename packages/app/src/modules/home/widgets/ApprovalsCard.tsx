import { Link } from '@backstage/core-components';
import {
  discoveryApiRef,
  fetchApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import type { Resource } from '@paved/backstage-plugin-provisioning-common';
import { provisioningApiRef } from '@paved/backstage-plugin-provisioning';
import useAsync from 'react-use/esm/useAsync';
import { refName, useOwnership } from '../useOwnership';
import { formatMonthly } from './format';
import { WidgetState } from './WidgetState';

/**
 * Requests for the approvers (`GET /api/provisioning/v1/approvals`), or `undefined` when the signed-in person is
 * not an approver (403) or the backend has no approvals endpoint (404): then the section is left out.
 */
async function listApprovals(
  baseUrl: string,
  fetchFn: typeof fetch,
): Promise<Resource[] | undefined> {
  const res = await fetchFn(`${baseUrl}/v1/approvals`);
  if (res.status === 403 || res.status === 404) return undefined;
  if (!res.ok) throw await ResponseError.fromResponse(res);
  return ((await res.json()) as { items: Resource[] }).items;
}

function RequestList(props: { label: string; items: Resource[] }) {
  return (
    <List dense aria-label={props.label}>
      {props.items.map(r => (
        <ListItem key={r.id} divider>
          <ListItemText
            primary={
              <Link to={`/provisioning/resources/${r.id}`}>{r.name}</Link>
            }
            secondary={`${r.type} for ${refName(r.owner)} · ${formatMonthly(
              r.monthlyCostUsd,
            )} · requested by ${refName(r.createdBy)}`}
          />
        </ListItem>
      ))}
    </List>
  );
}

/** Requests waiting for approval: the signed-in person's teams' own, and those they may approve. */
export function ApprovalsCard() {
  const ownership = useOwnership();
  const provisioningApi = useApi(provisioningApiRef);
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const groups = ownership.value?.groupRefs;
  const data = useAsync(async () => {
    if (!groups) return undefined;
    const [mine, toApprove] = await Promise.all([
      groups.length
        ? provisioningApi
            .listResources({
              owner: groups,
              state: 'awaiting-approval',
              limit: 20,
            })
            .then(r => r.items)
        : Promise.resolve([]),
      discoveryApi
        .getBaseUrl('provisioning')
        .then(url => listApprovals(url, fetchApi.fetch)),
    ]);
    const mineIds = new Set(mine.map(r => r.id));
    return {
      mine,
      toApprove: toApprove?.filter(r => !mineIds.has(r.id)),
    };
  }, [provisioningApi, discoveryApi, fetchApi, groups?.join(',')]);
  const value = data.value;

  return (
    <WidgetState
      loading={
        ownership.loading ||
        data.loading ||
        (!ownership.error && !data.error && !data.value)
      }
      error={ownership.error ?? data.error}
      empty={value && value.mine.length === 0 && !value.toApprove?.length}
      emptyText="Nothing is waiting for approval."
    >
      {value && value.mine.length > 0 && (
        <>
          <Typography variant="subtitle2">
            Your requests waiting for the platform team
          </Typography>
          <RequestList
            label="My requests awaiting approval"
            items={value.mine}
          />
        </>
      )}
      {value?.toApprove && value.toApprove.length > 0 && (
        <>
          <Typography variant="subtitle2">For you to approve</Typography>
          <RequestList
            label="Requests for me to approve"
            items={value.toApprove}
          />
        </>
      )}
    </WidgetState>
  );
}
