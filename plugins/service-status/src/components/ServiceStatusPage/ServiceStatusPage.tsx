import { useCallback, useMemo, useState } from 'react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import IconButton from '@material-ui/core/IconButton';
import Paper from '@material-ui/core/Paper';
import Switch from '@material-ui/core/Switch';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TableSortLabel from '@material-ui/core/TableSortLabel';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ChevronLeftIcon from '@material-ui/icons/ChevronLeft';
import ChevronRightIcon from '@material-ui/icons/ChevronRight';
import RefreshIcon from '@material-ui/icons/Refresh';
import {
  Content,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { catalogApiRef, EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  STATUS_STATES,
  type EntityStatusSummary,
  type StatusState,
} from '@paved/backstage-plugin-service-status-common';
import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useInterval from 'react-use/esm/useInterval';
import { serviceStatusApiRef } from '../../api';
import { REFRESH_INTERVAL_MS } from '../../hooks/useEntityStatus';
import { serviceStatusTranslationRef } from '../../translation';
import { compareStates, formatRelativeTime } from '../../utils/format';
import { StatusChip } from '../StatusChip';
import { ReasonText } from '../StatusReasons';
import { FilterOption, StatusFilters } from './StatusFilters';
import { DeliveryMetricsContent } from '../DeliveryMetrics';
import { TeamScorecards } from '../Scorecard';

type SortKey = 'name' | 'state' | 'owner' | 'system' | 'incidents' | 'latency';
type SortDirection = 'asc' | 'desc';
type FilterKey = 'owner' | 'system' | 'state';

// The API maximum: most portals fit on one page, so sorting (done here) covers all rows.
const PAGE_SIZE = 100;

const useStyles = makeStyles({
  nowrap: { whiteSpace: 'nowrap' },
  name: { minWidth: 200 },
  reason: { minWidth: 240 },
});

function displayName(row: EntityStatusSummary) {
  return row.title ?? row.name;
}

function compareRows(key: SortKey) {
  return (a: EntityStatusSummary, b: EntityStatusSummary): number => {
    switch (key) {
      case 'state':
        return (
          compareStates(a.state, b.state) ||
          displayName(a).localeCompare(displayName(b))
        );
      case 'owner':
        return (a.owner ?? '').localeCompare(b.owner ?? '');
      case 'system':
        return (a.system ?? '').localeCompare(b.system ?? '');
      case 'incidents':
        return a.openIncidentCount - b.openIncidentCount;
      case 'latency':
        return (
          (a.lastProbe?.latencyMs ?? Number.POSITIVE_INFINITY) -
          (b.lastProbe?.latencyMs ?? Number.POSITIVE_INFINITY)
        );
      case 'name':
      default:
        return displayName(a).localeCompare(displayName(b));
    }
  };
}

function useFilterOptions() {
  const catalogApi = useApi(catalogApiRef);
  const { value } = useAsync(async () => {
    try {
      const { items } = await catalogApi.getEntities({
        filter: [{ kind: 'Group' }, { kind: 'System' }],
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.title',
        ],
      });
      const toOption = (entity: (typeof items)[number]): FilterOption => ({
        value: stringifyEntityRef(entity),
        label: entity.metadata.title ?? entity.metadata.name,
      });
      const byLabel = (a: FilterOption, b: FilterOption) =>
        a.label.localeCompare(b.label);
      return {
        owners: items
          .filter(e => e.kind.toLocaleLowerCase('en-US') === 'group')
          .map(toOption)
          .sort(byLabel),
        systems: items
          .filter(e => e.kind.toLocaleLowerCase('en-US') === 'system')
          .map(toOption)
          .sort(byLabel),
      };
    } catch {
      // The filters still work with values typed into the URL; options are a convenience.
      return { owners: [], systems: [] };
    }
  }, [catalogApi]);
  return value ?? { owners: [], systems: [] };
}

/**
 * Props of the "Service status" page (`ServiceStatusPage`).
 * @public
 */
export interface ServiceStatusOverviewProps {
  /** Auto-refresh interval in ms (default 30 000); 0 disables auto-refresh. */
  refreshIntervalMs?: number;
}

/**
 * The status overview without page chrome: every service and resource with its rolled-up state,
 * owner and system; filters by owner, system and state (kept in the URL query); sorting;
 * cursor paging; auto-refresh every 30 s.
 *
 * @public
 */
export function ServiceStatusOverview(props: ServiceStatusOverviewProps) {
  const { refreshIntervalMs = REFRESH_INTERVAL_MS } = props;
  const api = useApi(serviceStatusApiRef);
  const { t } = useTranslationRef(serviceStatusTranslationRef);
  const classes = useStyles();
  const [searchParams, setSearchParams] = useSearchParams();
  const owner = searchParams.getAll('owner');
  const system = searchParams.getAll('system');
  const stateFilter = searchParams
    .getAll('state')
    .filter((s): s is StatusState => STATUS_STATES.includes(s as StatusState));
  const filterKey = searchParams.toString();

  const [cursors, setCursors] = useState<{ key: string; stack: string[] }>({
    key: filterKey,
    stack: [],
  });
  // Changing the filters starts again from the first page.
  const stack = cursors.key === filterKey ? cursors.stack : [];
  const cursor = stack[stack.length - 1];

  const [sort, setSort] = useState<{ key: SortKey; direction: SortDirection }>({
    key: 'state',
    direction: 'asc',
  });
  const [autoRefresh, setAutoRefresh] = useState(refreshIntervalMs > 0);
  const [updatedAt, setUpdatedAt] = useState<string | undefined>();
  const options = useFilterOptions();

  const result = useAsyncRetry(async () => {
    const page = await api.listStatuses({
      owner: owner.length ? owner : undefined,
      system: system.length ? system : undefined,
      state: stateFilter.length ? stateFilter : undefined,
      cursor,
      limit: PAGE_SIZE,
    });
    setUpdatedAt(new Date().toISOString());
    return page;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, filterKey, cursor]);

  useInterval(
    result.retry,
    autoRefresh && refreshIntervalMs > 0 ? refreshIntervalMs : null,
  );

  const setFilter = useCallback(
    (key: FilterKey, values: string[]) => {
      setSearchParams(
        previous => {
          const next = new URLSearchParams(previous);
          next.delete(key);
          values.forEach(value => next.append(key, value));
          return next;
        },
        { replace: true },
      );
    },
    [setSearchParams],
  );

  const clearFilters = useCallback(() => {
    setSearchParams(
      previous => {
        const next = new URLSearchParams(previous);
        (['owner', 'system', 'state'] as const).forEach(key =>
          next.delete(key),
        );
        return next;
      },
      { replace: true },
    );
  }, [setSearchParams]);

  const rows = useMemo(() => {
    const items = [...(result.value?.items ?? [])];
    items.sort(compareRows(sort.key));
    if (sort.direction === 'desc') {
      items.reverse();
    }
    return items;
  }, [result.value, sort]);

  const counts = useMemo(() => {
    const total: Record<StatusState, number> = {
      up: 0,
      degraded: 0,
      down: 0,
      unknown: 0,
    };
    for (const row of result.value?.items ?? []) {
      total[row.state] += 1;
    }
    return total;
  }, [result.value]);

  const stateOptions: FilterOption[] = STATUS_STATES.map(state => ({
    value: state,
    label: t(`state.${state}`),
  }));

  const sortLabel = (key: SortKey, label: string) => (
    <TableSortLabel
      active={sort.key === key}
      direction={sort.key === key ? sort.direction : 'asc'}
      onClick={() =>
        setSort(previous => ({
          key,
          direction:
            previous.key === key && previous.direction === 'asc'
              ? 'desc'
              : 'asc',
        }))
      }
    >
      {label}
    </TableSortLabel>
  );

  const ariaSort = (key: SortKey) => {
    if (sort.key !== key) {
      return undefined;
    }
    return sort.direction === 'asc' ? 'ascending' : 'descending';
  };

  let table;
  if (result.error && !result.value) {
    table = <ResponseErrorPanel error={result.error} />;
  } else if (!result.value) {
    table = <Progress />;
  } else if (rows.length === 0) {
    table = (
      <Box p={3}>
        <Typography variant="body1">{t('page.empty')}</Typography>
      </Box>
    );
  } else {
    table = (
      <TableContainer>
        <Table size="small" aria-label={t('page.tableTitle')}>
          <TableHead>
            <TableRow>
              <TableCell aria-sort={ariaSort('name')} className={classes.name}>
                {sortLabel('name', t('page.nameColumn'))}
              </TableCell>
              <TableCell aria-sort={ariaSort('state')}>
                {sortLabel('state', t('page.stateColumn'))}
              </TableCell>
              <TableCell className={classes.reason}>
                {t('page.reasonColumn')}
              </TableCell>
              <TableCell aria-sort={ariaSort('owner')}>
                {sortLabel('owner', t('page.ownerColumn'))}
              </TableCell>
              <TableCell aria-sort={ariaSort('system')}>
                {sortLabel('system', t('page.systemColumn'))}
              </TableCell>
              <TableCell
                align="right"
                aria-sort={ariaSort('incidents')}
                className={classes.nowrap}
              >
                {sortLabel('incidents', t('page.incidentsColumn'))}
              </TableCell>
              <TableCell
                align="right"
                aria-sort={ariaSort('latency')}
                className={classes.nowrap}
              >
                {sortLabel('latency', t('page.latencyColumn'))}
              </TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map(row => (
              <TableRow key={row.entityRef} hover>
                <TableCell>
                  <EntityRefLink entityRef={row.entityRef}>
                    {row.title}
                  </EntityRefLink>
                  <Typography
                    variant="caption"
                    color="textSecondary"
                    component="div"
                  >
                    {row.kind}
                  </Typography>
                </TableCell>
                <TableCell className={classes.nowrap}>
                  <StatusChip state={row.state} />
                </TableCell>
                <TableCell>
                  <Typography variant="body2">
                    {row.reasons[0] && (
                      <ReasonText
                        reason={row.reasons[0]}
                        entityRef={row.entityRef}
                      />
                    )}
                  </Typography>
                  {row.reasons.length === 0 && row.healthSource === 'none' && (
                    <Typography variant="body2" color="textSecondary">
                      {t('healthSource.none')}
                    </Typography>
                  )}
                  {row.reasons.length > 1 && (
                    <Typography variant="caption" color="textSecondary">
                      +{row.reasons.length - 1}
                    </Typography>
                  )}
                </TableCell>
                <TableCell className={classes.nowrap}>
                  {row.owner ? (
                    <EntityRefLink entityRef={row.owner} defaultKind="group" />
                  ) : (
                    '–'
                  )}
                </TableCell>
                <TableCell className={classes.nowrap}>
                  {row.system ? (
                    <EntityRefLink
                      entityRef={row.system}
                      defaultKind="system"
                    />
                  ) : (
                    '–'
                  )}
                </TableCell>
                <TableCell align="right">{row.openIncidentCount}</TableCell>
                <TableCell align="right" className={classes.nowrap}>
                  {row.lastProbe?.latencyMs === undefined
                    ? '–'
                    : `${Math.round(row.lastProbe.latencyMs)} ms`}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
    );
  }

  return (
    <>
      <Box
        display="flex"
        justifyContent="space-between"
        alignItems="center"
        flexWrap="wrap"
        mb={2}
      >
        <StatusFilters
          owners={options.owners}
          systems={options.systems}
          states={stateOptions}
          selected={{ owner, system, state: stateFilter }}
          onChange={setFilter}
          onClear={clearFilters}
        />
        <Box display="flex" alignItems="center">
          {updatedAt && (
            <Typography variant="caption" color="textSecondary">
              {t('page.updatedAt', { time: formatRelativeTime(updatedAt) })}
            </Typography>
          )}
          <Tooltip title={t('common.refresh')}>
            <span>
              <IconButton
                aria-label={t('common.refresh')}
                onClick={result.retry}
                disabled={result.loading}
              >
                <RefreshIcon />
              </IconButton>
            </span>
          </Tooltip>
          {refreshIntervalMs > 0 && (
            <FormControlLabel
              control={
                <Switch
                  checked={autoRefresh}
                  onChange={event => setAutoRefresh(event.target.checked)}
                  color="primary"
                />
              }
              label={t('page.autoRefresh')}
            />
          )}
        </Box>
      </Box>
      {result.value && (
        <Box mb={1} display="flex" flexWrap="wrap" aria-live="polite">
          {STATUS_STATES.filter(state => counts[state] > 0)
            .sort(compareStates)
            .map(state => (
              <Box key={state} mr={1}>
                <Chip
                  size="small"
                  variant="outlined"
                  label={`${counts[state]} ${t(
                    `state.${state}`,
                  ).toLocaleLowerCase()}`}
                />
              </Box>
            ))}
        </Box>
      )}
      {result.error && result.value && (
        <ResponseErrorPanel error={result.error} />
      )}
      <Paper>
        {table}
        <Box display="flex" justifyContent="flex-end" alignItems="center" p={1}>
          <Typography variant="caption" color="textSecondary">
            {t('page.pageLabel', { page: String(stack.length + 1) })}
          </Typography>
          <IconButton
            aria-label={t('page.previousPage')}
            disabled={stack.length === 0}
            onClick={() =>
              setCursors({ key: filterKey, stack: stack.slice(0, -1) })
            }
          >
            <ChevronLeftIcon />
          </IconButton>
          <IconButton
            aria-label={t('page.nextPage')}
            disabled={!result.value?.nextCursor}
            onClick={() =>
              result.value?.nextCursor &&
              setCursors({
                key: filterKey,
                stack: [...stack, result.value.nextCursor],
              })
            }
          >
            <ChevronRightIcon />
          </IconButton>
        </Box>
      </Paper>
    </>
  );
}

/**
 * The body of the "Service status" page in the new frontend system, where the app draws the
 * page header: {@link ServiceStatusOverview} with the usual content padding.
 *
 * @internal
 */
export function ServiceStatusPageContent(props: ServiceStatusOverviewProps) {
  const [searchParams, setSearchParams] = useSearchParams();
  const requested = searchParams.get('tab');
  const tab =
    requested === 'delivery' || requested === 'scorecards'
      ? requested
      : 'services';
  return (
    <Content>
      <Tabs
        value={tab}
        indicatorColor="primary"
        onChange={(_, next: string) => {
          const params = new URLSearchParams(searchParams);
          if (next === 'delivery' || next === 'scorecards') {
            params.set('tab', next);
          } else {
            params.delete('tab');
          }
          setSearchParams(params, { replace: true });
        }}
      >
        <Tab value="services" label="Services" />
        <Tab value="delivery" label="Delivery metrics" />
        <Tab value="scorecards" label="Scorecards" />
      </Tabs>
      <Box mt={2}>
        {tab === 'delivery' && <DeliveryMetricsContent />}
        {tab === 'scorecards' && <TeamScorecards />}
        {tab === 'services' && (
          <ServiceStatusOverview {...props} />
        )}
      </Box>
    </Content>
  );
}

/**
 * The "Service status" page for apps on the legacy frontend system: {@link ServiceStatusOverview}
 * with a page header.
 *
 * @public
 */
export function ServiceStatusPage(props: ServiceStatusOverviewProps) {
  const { t } = useTranslationRef(serviceStatusTranslationRef);
  return (
    <Page themeId="tool">
      <Header title={t('page.title')} subtitle={t('page.subtitle')} />
      <Content>
        <ServiceStatusOverview {...props} />
      </Content>
    </Page>
  );
}
