import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import type { EntityStatus } from '@paved/backstage-plugin-service-status-common';
import { useCanManageIncidents } from '../../hooks/useCanManageIncidents';
import { useEntityHistory, useEntityStatus } from '../../hooks/useEntityStatus';
import { serviceStatusTranslationRef } from '../../translation';
import { formatDateTime, formatRelativeTime } from '../../utils/format';
import { DependenciesTable } from '../DependenciesTable';
import { DeploymentsTimeline } from '../DeploymentsTimeline';
import { IncidentsPanel } from '../IncidentsPanel';
import { LastProbe } from '../LastProbe';
import { LatencyChart } from '../LatencyChart';
import { StatusChip } from '../StatusChip';
import { StatusReasons } from '../StatusReasons';
import { UptimeTiles } from '../UptimeTiles';

const RANGES = { '24h': 24, '7d': 168, '30d': 720 } as const;
type Range = keyof typeof RANGES;

function CurrentState(props: { status: EntityStatus }) {
  const { status } = props;
  const { t } = useTranslationRef(serviceStatusTranslationRef);
  const probe = status.lastProbe;
  return (
    <>
      <Box display="flex" alignItems="center" flexWrap="wrap" mb={1}>
        <StatusChip state={status.state} size="medium" />
        <Box ml={1}>
          <Typography variant="body2" color="textSecondary">
            {status.since &&
              t('common.since', { time: formatRelativeTime(status.since) })}
          </Typography>
        </Box>
      </Box>
      <Typography variant="body2" color="textSecondary">
        {t('content.healthSourceLabel')}:{' '}
        {t(`healthSource.${status.healthSource}`)}
      </Typography>
      {probe && <LastProbe probe={probe} />}
      {status.healthSource === 'none' && (
        <Typography variant="body2" color="textSecondary">
          {t('card.noHealthSource')}
        </Typography>
      )}
      <Box mt={2}>
        <Typography variant="subtitle2">{t('content.reasonsTitle')}</Typography>
        <StatusReasons reasons={status.reasons} entityRef={status.entityRef} />
      </Box>
      <Typography variant="caption" color="textSecondary">
        {t('content.computedAt', { time: formatDateTime(status.computedAt) })}
      </Typography>
    </>
  );
}

function HistoryCards(props: { entityRef: string }) {
  const { entityRef } = props;
  const { t } = useTranslationRef(serviceStatusTranslationRef);
  const [range, setRange] = useState<Range>('24h');
  const { value, loading, error } = useEntityHistory(entityRef, RANGES[range]);

  let uptime;
  let latency;
  if (error) {
    uptime = <ResponseErrorPanel error={error} />;
    latency = uptime;
  } else if (loading && !value) {
    uptime = <Progress />;
    latency = uptime;
  } else {
    uptime = <UptimeTiles uptime={value?.uptime ?? []} />;
    latency = <LatencyChart buckets={value?.latency ?? []} />;
  }

  return (
    <>
      <Grid item xs={12} md={5}>
        <InfoCard title={t('content.uptimeTitle')}>{uptime}</InfoCard>
      </Grid>
      <Grid item xs={12} md={7}>
        <InfoCard
          title={t('content.latencyTitle')}
          action={
            <ToggleButtonGroup
              size="small"
              exclusive
              value={range}
              onChange={(_event, next: Range | null) => next && setRange(next)}
              aria-label={t('content.latencyTitle')}
            >
              {(Object.keys(RANGES) as Range[]).map(key => (
                <ToggleButton key={key} value={key} aria-label={key}>
                  {key}
                </ToggleButton>
              ))}
            </ToggleButtonGroup>
          }
        >
          {latency}
        </InfoCard>
      </Grid>
    </>
  );
}

/**
 * The entity "Status" tab: current state with reasons, uptime over 24h/7d/30d, hourly latency
 * (p50/p95), incidents (with open/update/resolve for owners), deployments and dependency states.
 * Reloads every 30 s.
 *
 * @public
 */
export function EntityStatusContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const { t } = useTranslationRef(serviceStatusTranslationRef);
  const canManage = useCanManageIncidents(entity);
  const status = useEntityStatus(entityRef);

  let current;
  if (status.error && !status.value) {
    current = <ResponseErrorPanel error={status.error} />;
  } else if (!status.value) {
    current = <Progress />;
  } else {
    current = <CurrentState status={status.value} />;
  }

  return (
    <Grid container spacing={3} alignItems="stretch">
      <Grid item xs={12} md={6} lg={4}>
        <InfoCard title={t('content.currentStateTitle')}>{current}</InfoCard>
      </Grid>
      <Grid item xs={12} md={6} lg={8}>
        <InfoCard title={t('content.dependenciesTitle')}>
          {status.value && (
            <DependenciesTable
              entityRef={entityRef}
              dependencies={status.value.dependencies}
              truncated={status.value.dependenciesTruncated}
            />
          )}
          {!status.value && !status.error && <Progress />}
        </InfoCard>
      </Grid>
      <HistoryCards entityRef={entityRef} />
      <Grid item xs={12} md={6}>
        <InfoCard title={t('incidents.title')}>
          <IncidentsPanel
            entityRef={entityRef}
            canManage={canManage}
            onChange={status.retry}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title={t('content.deploymentsTitle')}>
          <DeploymentsTimeline entityRef={entityRef} />
        </InfoCard>
      </Grid>
    </Grid>
  );
}
