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
import OutlinedInput from '@material-ui/core/OutlinedInput';
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
import { formatMonthlyCost, TERMINAL_STATES } from '../../format';
import {
  usePollingFallback,
  useQueuedRetry,
  useResourceSignal,
} from '../../hooks/useResourceSignal';
import { useOwnerGroups } from '../../hooks/useOwnerGroups';
import { useResourceTypes } from '../../hooks/useResourceTypes';
import { OwnerPicker } from '../OwnerPicker';
import { ResourceList } from './ResourceList';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { provisioningTranslationRef } from '../../translation';

type OwnerMode = 'mine' | 'all' | 'group';

/** Poll interval of the resources table while signals do not work and a resource is busy, in ms. @internal */
export const FALLBACK_POLL_INTERVAL_MS = 5000;

/**
 * The "Resources" tab: every resource the user may see, with server-side paging and filters by owner
 * ("my teams" by default), type and state; state chips, monthly cost and the total per owner.
 * @internal
 */
export function ResourcesTable(props: { pageSize?: number }) {
  const pageSize = props.pageSize ?? 20;
  const { t } = useTranslationRef(provisioningTranslationRef);
  const api = useApi(provisioningApiRef);
  const { groups, loading: groupsLoading } = useOwnerGroups();
  const { value: types } = useResourceTypes();
  const [ownerMode, setOwnerMode] = useState<OwnerMode>('mine');
  const [ownerGroup, setOwnerGroup] = useState<string | undefined>();
  const [type, setType] = useState<string>('');
  const [state, setState] = useState<ResourceState | ''>('');
  const [path, setPath] = useState<'' | 'deviating' | 'golden'>('');
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
  }, [ownerMode, ownerGroup, type, state, path, groups]);

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
    if (path) query.deviations = path === 'deviating';
    return api.listResources(query);
  }, [api, owners, type, state, path, cursor, pageSize, groupsLoading, noOwners]);

  // Push, not poll: every change the backend signals reloads the page, and so does the signal connection becoming
  // live (a change published before it would be lost). Poll while busy only while signals do not (yet) work.
  const reload = useQueuedRetry(retry, loading);
  const { isLive } = useResourceSignal(() => reload());
  const busy = (page?.items ?? []).some(r => !TERMINAL_STATES.has(r.state));
  usePollingFallback(reload, FALLBACK_POLL_INTERVAL_MS, !isLive && busy);

  const typeTitles = useMemo(
    () => Object.fromEntries((types ?? []).map(rt => [rt.id, rt.title])),
    [types],
  );

  const filters = (
    <Grid container spacing={2} alignItems="center">
      <Grid item>
        <FormControl variant="outlined" size="small" style={{ minWidth: 160 }}>
          <InputLabel id="provisioning-owner-filter">
            {t('resources.owner')}
          </InputLabel>
          <Select
            labelId="provisioning-owner-filter"
            label={t('resources.owner')}
            value={ownerMode}
            onChange={e => setOwnerMode(e.target.value as OwnerMode)}
          >
            <MenuItem value="mine">{t('resources.myTeams')}</MenuItem>
            <MenuItem value="all">{t('resources.allOwners')}</MenuItem>
            <MenuItem value="group">{t('resources.aGroup')}</MenuItem>
          </Select>
        </FormControl>
      </Grid>
      {ownerMode === 'group' && (
        <Grid item style={{ minWidth: 240 }}>
          <OwnerPicker
            label={t('resources.group')}
            value={ownerGroup}
            onChange={setOwnerGroup}
            preferred={groups}
          />
        </Grid>
      )}
      <Grid item>
        <FormControl variant="outlined" size="small" style={{ minWidth: 160 }}>
          <InputLabel id="provisioning-type-filter" shrink>
            {t('resources.type')}
          </InputLabel>
          <Select
            labelId="provisioning-type-filter"
            displayEmpty
            input={<OutlinedInput notched label={t('resources.type')} />}
            value={type}
            onChange={e => setType(e.target.value as string)}
          >
            <MenuItem value="">{t('resources.allTypes')}</MenuItem>
            {(types ?? []).map(rt => (
              <MenuItem key={rt.id} value={rt.id}>
                {rt.title}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
      </Grid>
      <Grid item>
        <FormControl variant="outlined" size="small" style={{ minWidth: 160 }}>
          <InputLabel id="provisioning-state-filter" shrink>
            {t('resources.state')}
          </InputLabel>
          <Select
            labelId="provisioning-state-filter"
            displayEmpty
            input={<OutlinedInput notched label={t('resources.state')} />}
            value={state}
            onChange={e => setState(e.target.value as ResourceState | '')}
          >
            <MenuItem value="">{t('resources.allStates')}</MenuItem>
            {RESOURCE_STATES.map(s => (
              <MenuItem key={s} value={s}>
                {s}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
      </Grid>
      <Grid item>
        <FormControl variant="outlined" size="small" style={{ minWidth: 180 }}>
          <InputLabel id="provisioning-path-filter" shrink>
            Golden path
          </InputLabel>
          <Select
            labelId="provisioning-path-filter"
            displayEmpty
            input={<OutlinedInput notched label="Golden path" />}
            value={path}
            onChange={e => setPath(e.target.value as '' | 'deviating' | 'golden')}
          >
            <MenuItem value="">All</MenuItem>
            <MenuItem value="deviating">With deviations</MenuItem>
            <MenuItem value="golden">On the golden path</MenuItem>
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
            ? t('resources.noTeamTitle')
            : t('resources.chooseGroupTitle')
        }
        description={
          ownerMode === 'mine'
            ? t('resources.noTeamDescription')
            : t('resources.chooseGroupDescription')
        }
      />
    );
  } else if ((loading && !page) || groupsLoading) {
    body = <Progress />;
  } else if (error) {
    body = (
      <Box>
        <ResponseErrorPanel error={error} title={t('resources.loadError')} />
        <Button onClick={retry}>Try again</Button>
      </Box>
    );
  } else if (!page || page.items.length === 0) {
    body = (
      <EmptyState
        missing="data"
        title={t('resources.emptyTitle')}
        description={
          cursors.length > 1
            ? t('resources.noMoreDescription')
            : t('resources.emptyDescription')
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
            {t('resources.previousPage')}
          </Button>
          <Button
            disabled={!page.nextCursor}
            onClick={() => setCursors(c => [...c, page.nextCursor])}
          >
            {t('resources.nextPage')}
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
          <Typography variant="subtitle2">
            {t('resources.totalsTitle')}
          </Typography>
          {page.totals.map(total => (
            <Chip
              key={total.owner}
              variant="outlined"
              style={{ marginRight: 8, marginTop: 4 }}
              label={`${ownerName(total.owner)}: ${formatMonthlyCost(
                total.monthlyCostUsd,
              )} (${total.count} resource${total.count === 1 ? '' : 's'})`}
            />
          ))}
        </Box>
      )}
      <Box mt={2}>{body}</Box>
    </Box>
  );
}
