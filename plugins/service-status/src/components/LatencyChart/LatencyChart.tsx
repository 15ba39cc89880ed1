import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { LatencyBucket } from '@paved/backstage-plugin-service-status-common';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { serviceStatusTranslationRef } from '../../translation';

const HOUR_MS = 3_600_000;

type ChartPoint = {
  time: number;
  p50: number | null;
  p95: number | null;
  samples: number;
};

/**
 * Turns hourly buckets (only hours with samples) into a continuous hourly series, so that hours
 * without samples show as gaps in the lines instead of being bridged.
 * @internal
 */
export function toHourlySeries(buckets: LatencyBucket[]): ChartPoint[] {
  const known = buckets
    .map(bucket => ({ bucket, time: Date.parse(bucket.hour) }))
    .filter(({ time }) => !Number.isNaN(time))
    .sort((a, b) => a.time - b.time);
  if (known.length === 0) {
    return [];
  }
  const byTime = new Map(known.map(({ bucket, time }) => [time, bucket]));
  const first = known[0].time;
  const last = known[known.length - 1].time;
  const points: ChartPoint[] = [];
  // At most 30 days of hours; anything longer is sampled as given.
  const continuous = (last - first) / HOUR_MS <= 24 * 31;
  const times = continuous
    ? Array.from(
        { length: Math.round((last - first) / HOUR_MS) + 1 },
        (_, i) => first + i * HOUR_MS,
      )
    : known.map(({ time }) => time);
  for (const time of times) {
    const bucket = byTime.get(time);
    points.push({
      time,
      p50: bucket?.p50Ms ?? null,
      p95: bucket?.p95Ms ?? null,
      samples: bucket?.samples ?? 0,
    });
  }
  return points;
}

function formatHour(time: number, spanMs: number) {
  const date = new Date(time);
  return spanMs > 36 * HOUR_MS
    ? date.toLocaleString(undefined, {
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
      })
    : date.toLocaleTimeString(undefined, {
        hour: '2-digit',
        minute: '2-digit',
      });
}

/** Width of a container in px (fixed, or measured with ResizeObserver where available). @internal */
export function useContainerWidth(fixedWidth?: number) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(fixedWidth ?? 0);
  useLayoutEffect(() => {
    if (fixedWidth !== undefined || !ref.current) {
      return undefined;
    }
    const element = ref.current;
    setWidth(element.getBoundingClientRect().width);
    if (typeof ResizeObserver === 'undefined') {
      return undefined;
    }
    const observer = new ResizeObserver(entries => {
      setWidth(entries[0]?.contentRect.width ?? 0);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [fixedWidth]);
  return { ref, width: fixedWidth ?? width };
}

/**
 * Props of {@link LatencyChart}.
 * @internal
 */
export interface LatencyChartProps {
  buckets: LatencyBucket[];
  /** Height in px (default 260). */
  height?: number;
  /** Fixed width in px; by default the chart fills its container. */
  width?: number;
}

/**
 * Hourly p50 and p95 probe latency as two lines, with a one-line summary of the latest hour.
 * @internal
 */
export function LatencyChart(props: LatencyChartProps) {
  const { buckets, height = 260 } = props;
  const theme = useTheme();
  const { t } = useTranslationRef(serviceStatusTranslationRef);
  const { ref, width } = useContainerWidth(props.width);
  const series = useMemo(() => toHourlySeries(buckets), [buckets]);

  if (series.length === 0) {
    return <Typography variant="body2">{t('content.noLatency')}</Typography>;
  }

  const spanMs = series[series.length - 1].time - series[0].time;
  const latest = [...series].reverse().find(point => point.samples > 0);
  // Dots keep isolated hours (neighbours without samples) visible; long series stay clean.
  const dot = series.length <= 48 ? { r: 2.5 } : false;
  const p50Label = t('content.latencyP50');
  const p95Label = t('content.latencyP95');

  return (
    <div ref={ref} data-testid="latency-chart">
      {width > 0 && (
        <LineChart
          width={width}
          height={height}
          data={series}
          margin={{ top: 8, right: 16, bottom: 8, left: 0 }}
        >
          <CartesianGrid strokeDasharray="3 3" stroke={theme.palette.divider} />
          <XAxis
            dataKey="time"
            type="number"
            scale="time"
            domain={['dataMin', 'dataMax']}
            tickFormatter={(time: number) => formatHour(time, spanMs)}
            stroke={theme.palette.text.secondary}
            minTickGap={24}
          />
          <YAxis
            unit=" ms"
            width={72}
            stroke={theme.palette.text.secondary}
            allowDecimals={false}
          />
          <Tooltip
            labelFormatter={(time: number) =>
              new Date(time).toLocaleString(undefined, {
                month: 'short',
                day: 'numeric',
                hour: '2-digit',
                minute: '2-digit',
              })
            }
            formatter={value =>
              typeof value === 'number' ? `${Math.round(value)} ms` : '–'
            }
            contentStyle={{
              backgroundColor: theme.palette.background.paper,
              borderColor: theme.palette.divider,
            }}
          />
          <Legend />
          <Line
            name={p50Label}
            type="monotone"
            dataKey="p50"
            stroke={theme.palette.primary.main}
            strokeWidth={2}
            dot={dot}
            isAnimationActive={false}
          />
          <Line
            name={p95Label}
            type="monotone"
            dataKey="p95"
            stroke={theme.palette.warning.main}
            strokeWidth={2}
            strokeDasharray="6 3"
            dot={dot}
            isAnimationActive={false}
          />
        </LineChart>
      )}
      {latest && (
        <Typography variant="caption" color="textSecondary">
          {formatHour(latest.time, spanMs)}: {p50Label}{' '}
          {latest.p50 === null ? '–' : `${Math.round(latest.p50)} ms`},{' '}
          {p95Label}{' '}
          {latest.p95 === null ? '–' : `${Math.round(latest.p95)} ms`}
        </Typography>
      )}
    </div>
  );
}
