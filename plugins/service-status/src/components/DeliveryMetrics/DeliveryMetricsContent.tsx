import { useMemo, useState } from 'react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Paper from '@material-ui/core/Paper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import { useTheme } from '@material-ui/core/styles';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type {
  DeliveryMetrics,
  DoraBand,
} from '@paved/backstage-plugin-service-status-common';
import useAsync from 'react-use/esm/useAsync';
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  Tooltip as ChartTooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { serviceStatusApiRef } from '../../api';
import { useContainerWidth } from '../LatencyChart/LatencyChart';

const BAND_COLORS: Record<DoraBand, string> = {
  elite: '#1b5e20',
  high: '#2e7d32',
  medium: '#ef6c00',
  low: '#c62828',
};

function BandChip(props: { band?: DoraBand }) {
  if (!props.band) {
    return null;
  }
  return (
    <Chip
      size="small"
      label={props.band}
      style={{
        backgroundColor: BAND_COLORS[props.band],
        color: '#fff',
        marginLeft: 6,
      }}
    />
  );
}

function hours(value?: number): string {
  if (value === undefined) {
    return '–';
  }
  if (value < 1) {
    return `${Math.round(value * 60)} min`;
  }
  if (value < 48) {
    return `${Math.round(value * 10) / 10} h`;
  }
  return `${Math.round((value / 24) * 10) / 10} d`;
}

function percent(value?: number): string {
  return value === undefined ? '–' : `${Math.round(value * 1000) / 10}%`;
}

/**
 * The weekly trend of one row (or the total): deployments and failed changes as bars, change
 * failure rate as a line.
 * @internal
 */
export function DeliveryTrendChart(props: {
  metrics: DeliveryMetrics;
  height?: number;
  /** Fixed width in px; by default the chart fills its container. */
  width?: number;
}) {
  const theme = useTheme();
  const { ref, width } = useContainerWidth(props.width);
  const data = props.metrics.trend.map(week => ({
    week: week.weekStart.slice(5, 10),
    deployments: week.deployments,
    failed: week.failedChanges,
    cfr:
      week.changeFailureRate === undefined
        ? null
        : Math.round(week.changeFailureRate * 1000) / 10,
  }));
  return (
    <div ref={ref} data-testid="delivery-trend-chart" style={{ width: '100%' }}>
      {width > 0 && (
        <ComposedChart
          width={width}
          height={props.height ?? 240}
          data={data}
          margin={{ top: 8, right: 16, left: 0 }}
        >
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="week" />
          <YAxis yAxisId="count" allowDecimals={false} />
          <YAxis
            yAxisId="rate"
            orientation="right"
            unit="%"
            domain={[0, 100]}
          />
          <ChartTooltip />
          <Legend />
          <Bar
            yAxisId="count"
            dataKey="deployments"
            name="Deployments"
            fill={theme.palette.primary.main}
            isAnimationActive={false}
          />
          <Bar
            yAxisId="count"
            dataKey="failed"
            name="Failed changes"
            fill={theme.palette.error.main}
            isAnimationActive={false}
          />
          <Line
            yAxisId="rate"
            dataKey="cfr"
            name="Change failure rate"
            stroke={theme.palette.warning.main}
            connectNulls
            isAnimationActive={false}
          />
        </ComposedChart>
      )}
    </div>
  );
}

/**
 * Props of {@link DeliveryMetricsContent}.
 * @public
 */
export interface DeliveryMetricsContentProps {
  /** Initial grouping: `team` (default) or `service`. */
  groupBy?: 'service' | 'team';
  /** Window in weeks (default 12). */
  weeks?: number;
}

/**
 * DORA delivery metrics of the portal's services: a table per team or per service (deployment
 * frequency, change failure rate, median time to restore, median lead time, each with its DORA
 * band) and the weekly trend of the selected row (or of all services) as a chart.
 *
 * @public
 */
export function DeliveryMetricsContent(props: DeliveryMetricsContentProps) {
  const api = useApi(serviceStatusApiRef);
  const weeks = props.weeks ?? 12;
  const [groupBy, setGroupBy] = useState<'service' | 'team'>(
    props.groupBy ?? 'team',
  );
  const [selected, setSelected] = useState<string | undefined>();
  const { value, loading, error } = useAsync(
    () => api.getDeliveryMetrics({ groupBy, weeks }),
    [api, groupBy, weeks],
  );
  const chartMetrics = useMemo(
    () => value?.items.find(item => item.key === selected) ?? value?.total,
    [value, selected],
  );

  return (
    <Box data-testid="delivery-metrics">
      <Box display="flex" alignItems="center" mb={2} style={{ gap: 16 }}>
        <Typography variant="h6">Delivery metrics (DORA)</Typography>
        <ToggleButtonGroup
          size="small"
          exclusive
          value={groupBy}
          onChange={(_, next) => {
            if (next) {
              setGroupBy(next);
              setSelected(undefined);
            }
          }}
        >
          <ToggleButton value="team">Per team</ToggleButton>
          <ToggleButton value="service">Per service</ToggleButton>
        </ToggleButtonGroup>
        {value && (
          <Typography variant="body2" color="textSecondary">
            Last {value.weeks} weeks, {value.environment} deployments
          </Typography>
        )}
      </Box>
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value && (
        <>
          <TableContainer component={Paper}>
            <Table size="small" aria-label="Delivery metrics">
              <TableHead>
                <TableRow>
                  <TableCell>
                    {groupBy === 'team' ? 'Team' : 'Service'}
                  </TableCell>
                  <TableCell>Deployments / week</TableCell>
                  <TableCell>Change failure rate</TableCell>
                  <TableCell>Time to restore (median)</TableCell>
                  <TableCell>Lead time (median)</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {value.items.length === 0 && (
                  <TableRow>
                    <TableCell colSpan={5}>
                      No deployments or incidents reported in this window.
                    </TableCell>
                  </TableRow>
                )}
                {value.items.map(item => (
                  <TableRow
                    key={item.key}
                    hover
                    selected={item.key === selected}
                    onClick={() =>
                      setSelected(item.key === selected ? undefined : item.key)
                    }
                    style={{ cursor: 'pointer' }}
                  >
                    <TableCell>
                      {item.key === 'unknown' ? (
                        'No owner'
                      ) : (
                        <EntityRefLink entityRef={item.key} />
                      )}
                      {item.services !== undefined && (
                        <Typography variant="caption" color="textSecondary">
                          {' '}
                          ({item.services} services)
                        </Typography>
                      )}
                    </TableCell>
                    <TableCell>
                      <Tooltip title={`${item.deployments} deployments`}>
                        <span>{item.deploymentsPerWeek}</span>
                      </Tooltip>
                      <BandChip band={item.bands.deploymentFrequency} />
                    </TableCell>
                    <TableCell>
                      <Tooltip
                        title={`${item.failedChanges} of ${item.deployments} changes failed`}
                      >
                        <span>{percent(item.changeFailureRate)}</span>
                      </Tooltip>
                      <BandChip band={item.bands.changeFailureRate} />
                    </TableCell>
                    <TableCell>
                      <Tooltip title={`${item.restores} resolved incidents`}>
                        <span>{hours(item.medianTimeToRestoreHours)}</span>
                      </Tooltip>
                      <BandChip band={item.bands.timeToRestore} />
                    </TableCell>
                    <TableCell>
                      <Tooltip
                        title={`${item.leadTimeSamples} deployments reported a commit time`}
                      >
                        <span>{hours(item.medianLeadTimeHours)}</span>
                      </Tooltip>
                      <BandChip band={item.bands.leadTime} />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </TableContainer>
          {chartMetrics && (
            <Box mt={3}>
              <Typography variant="subtitle1">
                Weekly trend:{' '}
                {chartMetrics.key === 'all' ? 'all services' : chartMetrics.key}
              </Typography>
              <DeliveryTrendChart metrics={chartMetrics} />
            </Box>
          )}
          <Typography variant="caption" color="textSecondary" component="p">
            Bands: DORA, Accelerate State of DevOps Report 2023. A change failed
            when its deployment failed or was rolled back, or an incident was
            opened on the service within an hour of it.
          </Typography>
        </>
      )}
    </Box>
  );
}
