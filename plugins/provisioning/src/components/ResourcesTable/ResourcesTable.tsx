import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import FormControl from '@material-ui/core/FormControl';
import Grid from '@material-ui/core/Grid';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import Typography from '@material-ui/core/Typography';
import {
  RESOURCE_STATES,
  ResourceState,
} from '@paved/backstage-plugin-provisioning-common';
import { useEffect, useMemo, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { ListResourcesQuery, provisioningApiRef } from '../../api';
import { ownerName } from '../../api/errors';
import { formatMonthlyCost } from '../../format';
import { useOwnerGroups } from '../../hooks/useOwnerGroups';
import { useResourceTypes } from '../../hooks/useResourceTypes';
import { OwnerPicker } from '../OwnerPicker';
import { ResourceList } from './ResourceList';

type OwnerMode = 'mine' | 'all' | 'group';

/**
 * The "Resources" tab: every resource the user may see, with server-side paging and filters by owner
 * ("my teams" by default), type and state; state chips, monthly cost and the total per owner.
 * @internal
 */
export function ResourcesTable(props: { pageSize?: number }) {
  const pageSize = props.pageSize ?? 20;
  const api = useApi(provisioningApiRef);
  const { groups, loading: groupsLoading } = useOwnerGroups();
  const { value: types } = useResourceTypes();
  const [ownerMode, setOwnerMode] = useState<OwnerMode>('mine');
  const [ownerGroup, setOwnerGroup] = useState<string | undefined>();
  const [type, setType] = useState<string>('');
  const [state, setState] = useState<ResourceState | ''>('');
  // cursors[i] is the cursor of page i (undefined for the first page)
  const [cursors, setCursors] = useState<Array<string | undefined>>([
    undefined,
  ]);

  const owners = useMemo(() => {
    if (ownerMode === 'mine') return groups;
    if (ownerMode === 'group') return ownerGroup ? [ownerGroup] : [];
    return [];
  }, [ownerMode, ownerGroup, groups]);

  useEffect(() => {
    setCursors([undefined]);
  }, [ownerMode, ownerGroup, type, state, groups]);

  const cursor = cursors[cursors.length - 1];
  const noOwners =
    (ownerMode === 'mine' && !groupsLoading && groups.length === 0) ||
    (ownerMode === 'group' && !ownerGroup);

  const {
    value: page,
    loading,
    error,
    retry,
  } = useAsyncRetry(async () => {
    if (groupsLoading || noOwners) return undefined;
    const query: ListResourcesQuery = { limit: pageSize };
    if (owners.length > 0) query.owner = owners;
    if (type) query.type = type;
    if (state) query.state = state;
    if (cursor) query.cursor = cursor;
    return api.listResources(query);
  }, [api, owners, type, state, cursor, pageSize, groupsLoading, noOwners]);

  const typeTitles = useMemo(
    () => Object.fromEntries((types ?? []).map(t => [t.id, t.title])),
    [types],
  );

  const filters = (
    <Grid container spacing={2} alignItems="center">
      <Grid item>
        <FormControl variant="outlined" size="small" style={{ minWidth: 160 }}>
          <InputLabel id="provisioning-owner-filter">Owner</InputLabel>
          <Select
            labelId="provisioning-owner-filter"
            label="Owner"
            value={ownerMode}
            onChange={e => setOwnerMode(e.target.value as OwnerMode)}
          >
            <MenuItem value="mine">My teams</MenuItem>
            <MenuItem value="all">All owners</MenuItem>
            <MenuItem value="group">A group…</MenuItem>
          </Select>
        </FormControl>
      </Grid>
      {ownerMode === 'group' && (
        <Grid item style={{ minWidth: 240 }}>
          <OwnerPicker
            label="Group"
            value={ownerGroup}
            onChange={setOwnerGroup}
            preferred={groups}
          />
        </Grid>
      )}
      <Grid item>
        <FormControl variant="outlined" size="small" style={{ minWidth: 160 }}>
          <InputLabel id="provisioning-type-filter">Type</InputLabel>
          <Select
            labelId="provisioning-type-filter"
            label="Type"
            value={type}
            onChange={e => setType(e.target.value as string)}
          >
            <MenuItem value="">All types</MenuItem>
            {(types ?? []).map(t => (
              <MenuItem key={t.id} value={t.id}>
                {t.title}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
      </Grid>
      <Grid item>
        <FormControl variant="outlined" size="small" style={{ minWidth: 160 }}>
          <InputLabel id="provisioning-state-filter">State</InputLabel>
          <Select
            labelId="provisioning-state-filter"
            label="State"
            value={state}
            onChange={e => setState(e.target.value as ResourceState | '')}
          >
            <MenuItem value="">All states</MenuItem>
            {RESOURCE_STATES.map(s => (
              <MenuItem key={s} value={s}>
                {s}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
      </Grid>
    </Grid>
  );

  let body: JSX.Element;
  if (noOwners) {
    body = (
      <EmptyState
        missing="data"
        title={
          ownerMode === 'mine'
            ? 'You are not a member of any team'
            : 'Choose a group'
        }
        description={
          ownerMode === 'mine'
            ? 'Resources are owned by groups. Choose "All owners" or a group to see resources.'
            : 'Pick the group whose resources you want to see.'
        }
      />
    );
  } else if (loading || groupsLoading) {
    body = <Progress />;
  } else if (error) {
    body = (
      <Box>
        <ResponseErrorPanel error={error} title="Could not load resources" />
        <Button onClick={retry}>Try again</Button>
      </Box>
    );
  } else if (!page || page.items.length === 0) {
    body = (
      <EmptyState
        missing="data"
        title="No resources"
        description={
          cursors.length > 1
            ? 'No more resources.'
            : 'Nothing matches these filters. Request one from the Offerings tab.'
        }
      />
    );
  } else {
    body = (
      <>
        <ResourceList resources={page.items} typeTitles={typeTitles} />
        <Box display="flex" justifyContent="flex-end" mt={1} gridGap={8}>
          <Button
            disabled={cursors.length <= 1}
            onClick={() => setCursors(c => c.slice(0, -1))}
          >
            Previous page
          </Button>
          <Button
            disabled={!page.nextCursor}
            onClick={() => setCursors(c => [...c, page.nextCursor])}
          >
            Next page
          </Button>
        </Box>
      </>
    );
  }

  return (
    <Box>
      {filters}
      {page && page.totals.length > 0 && !noOwners && (
        <Box mt={2} data-testid="owner-totals">
          <Typography variant="subtitle2">Monthly cost per owner</Typography>
          {page.totals.map(t => (
            <Chip
              key={t.owner}
              variant="outlined"
              style={{ marginRight: 8, marginTop: 4 }}
              label={`${ownerName(t.owner)}: ${formatMonthlyCost(t.monthlyCostUsd)} (${t.count} resource${t.count === 1 ? '' : 's'})`}
            />
          ))}
        </Box>
      )}
      <Box mt={2}>{body}</Box>
    </Box>
  );
}
