/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { useEffect, useState } from 'react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import Paper from '@material-ui/core/Paper';
import Select from '@material-ui/core/Select';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import { InfoCard, Progress, ResponseErrorPanel, WarningPanel } from '@backstage/core-components';
import { useAnalytics, useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { goldenPathsTranslationRef } from '../translation';
import { adoptionApiRef, AdoptionFunnel } from './AdoptionApi';

const STAGES = [
  { key: 'started', label: 'adoption.stageStarted' },
  { key: 'completed', label: 'adoption.stageCompleted' },
  { key: 'inCatalog', label: 'adoption.stageInCatalog' },
  { key: 'deployed', label: 'adoption.stageDeployed' },
  { key: 'healthy', label: 'adoption.stageHealthy' },
] as const satisfies ReadonlyArray<{
  key: keyof Omit<AdoptionFunnel, 'conversion' | 'medianHoursToFirstDeployment'>;
  label: string;
}>;

function pct(value?: number): string {
  return value === undefined ? '–' : `${Math.round(value * 1000) / 10}%`;
}

/** A duration given in hours, in minutes, hours or days. */
function Duration(props: { hours?: number }) {
  const { t } = useTranslationRef(goldenPathsTranslationRef);
  const { hours } = props;
  if (hours === undefined) return <>–</>;
  if (hours < 1) return <>{t('adoption.minutes', { value: String(Math.round(hours * 60)) })}</>;
  if (hours < 48) return <>{t('adoption.hours', { value: String(Math.round(hours * 10) / 10) })}</>;
  return <>{t('adoption.days', { value: String(Math.round((hours / 24) * 10) / 10) })}</>;
}

/**
 * A funnel as horizontal bars: each stage's count, its width against the runs started, and its
 * conversion from the previous stage.
 * @public
 */
export function AdoptionFunnelBars(props: { funnel: AdoptionFunnel; title?: string }) {
  const theme = useTheme();
  const { t } = useTranslationRef(goldenPathsTranslationRef);
  const { funnel } = props;
  const max = Math.max(funnel.started, 1);
  return (
    <Box data-testid="adoption-funnel" aria-label={props.title ?? t('adoption.funnelLabel')} role="list">
      {STAGES.map((stage, index) => {
        const count = funnel[stage.key];
        const conversion = index === 0 ? undefined : funnel.conversion[stage.key as keyof AdoptionFunnel['conversion']];
        return (
          <Box key={stage.key} display="flex" alignItems="center" mb={1} role="listitem" data-stage={stage.key}>
            <Box width={140} flexShrink={0}>
              <Typography variant="body2">{t(stage.label)}</Typography>
            </Box>
            <Box flexGrow={1} mr={2}>
              <Box
                height={24}
                width={`${Math.max((count / max) * 100, count > 0 ? 2 : 0)}%`}
                bgcolor={index === STAGES.length - 1 ? theme.palette.success.main : theme.palette.primary.main}
                borderRadius={4}
              />
            </Box>
            <Box width={160} flexShrink={0} textAlign="right">
              <Typography variant="body2" component="span" data-testid={`funnel-${stage.key}`}>
                <strong>{count}</strong>
              </Typography>
              {index > 0 && (
                <Typography variant="caption" color="textSecondary" component="span">
                  {' '}
                  {t('adoption.ofPrevious', { percent: pct(conversion) })}
                </Typography>
              )}
            </Box>
          </Box>
        );
      })}
    </Box>
  );
}

function FunnelTable(props: { rows: Array<{ key: string; funnel: AdoptionFunnel }>; label: string; ariaLabel: string }) {
  const { t } = useTranslationRef(goldenPathsTranslationRef);
  return (
    <Table size="small" aria-label={props.ariaLabel}>
      <TableHead>
        <TableRow>
          <TableCell>{props.label}</TableCell>
          {STAGES.map(s => (
            <TableCell key={s.key} align="right">
              {t(s.label)}
            </TableCell>
          ))}
          <TableCell align="right">{t('adoption.overallColumn')}</TableCell>
          <TableCell align="right">{t('adoption.firstDeploymentColumn')}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.rows.map(row => (
          <TableRow key={row.key}>
            <TableCell>{row.key === 'unknown' ? t('adoption.unknown') : <EntityRefLink entityRef={row.key} />}</TableCell>
            {STAGES.map(s => (
              <TableCell key={s.key} align="right">
                {row.funnel[s.key]}
              </TableCell>
            ))}
            <TableCell align="right">{pct(row.funnel.conversion.overall)}</TableCell>
            <TableCell align="right"><Duration hours={row.funnel.medianHoursToFirstDeployment} /></TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/**
 * Props of {@link AdoptionContent}.
 * @public
 */
export interface AdoptionContentProps {
  /** Window in weeks (default 12). */
  weeks?: number;
}

/**
 * Golden-path adoption for the platform team: the funnel (runs started -> completed -> in the
 * catalog -> deployed -> healthy now) with conversion per stage, per template and per team; the
 * share of components made by a golden path; self-service requests per week; and the time from a
 * template run to its first deployment. Page views and template selection are captured through
 * Backstage's analytics API.
 * @public
 */
export function AdoptionContent(props: AdoptionContentProps) {
  const api = useApi(adoptionApiRef);
  const { t } = useTranslationRef(goldenPathsTranslationRef);
  const analytics = useAnalytics();
  const weeks = props.weeks ?? 12;
  const [template, setTemplate] = useState<string>('');
  const { value, loading, error } = useAsync(
    () => api.getAdoption({ weeks, template: template || undefined }),
    [api, weeks, template],
  );
  useEffect(() => {
    analytics.captureEvent('view', 'golden-path adoption', { attributes: { weeks } });
  }, [analytics, weeks]);

  const [templates, setTemplates] = useState<string[]>([]);
  useEffect(() => {
    if (value && !template) setTemplates(value.templates.map(x => x.templateRef));
  }, [value, template]);

  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return loading ? <Progress /> : null;
  const maxRequests = Math.max(1, ...value.selfService.weeks.map(w => w.requests));

  return (
    <Box data-testid="adoption-content">
      {value.warnings.map(w => (
        <WarningPanel key={w} severity="warning" title={t('adoption.couldNotRead', { source: w })} />
      ))}
      <Grid container spacing={3}>
        <Grid item xs={12} md={8}>
          <InfoCard
            title={t('adoption.funnelTitle')}
            subheader={t('adoption.funnelSubheader', { weeks: String(value.weeks) })}
            action={
              <Select
                value={template}
                displayEmpty
                aria-label={t('adoption.templateLabel')}
                onChange={e => {
                  const next = String(e.target.value);
                  setTemplate(next);
                  analytics.captureEvent('select', next || 'all templates', {
                    attributes: { view: 'golden-path adoption' },
                  });
                }}
              >
                <MenuItem value="">{t('adoption.allTemplates')}</MenuItem>
                {templates.map(ref => (
                  <MenuItem key={ref} value={ref}>
                    {ref}
                  </MenuItem>
                ))}
              </Select>
            }
          >
            {loading && <Progress />}
            <AdoptionFunnelBars funnel={value.funnel} />
            <Typography variant="body2" color="textSecondary">
              {t('adoption.medianToFirstDeployment')}{' '}
              <strong data-testid="time-to-first-deployment"><Duration hours={value.funnel.medianHoursToFirstDeployment} /></strong>
            </Typography>
          </InfoCard>
        </Grid>
        <Grid item xs={12} md={4}>
          <InfoCard title={t('adoption.shareTitle')}>
            <Typography variant="h3" data-testid="golden-path-share">
              {pct(value.goldenPathShare.share)}
            </Typography>
            <Typography variant="body2" color="textSecondary">
              {t('adoption.shareDetail', {
                fromGoldenPath: String(value.goldenPathShare.fromGoldenPath),
                components: String(value.goldenPathShare.components),
              })}
            </Typography>
            {value.goldenPathShare.byTemplate.map(x => (
              <Typography key={x.template} variant="caption" component="p">
                {x.template}: {x.components}
              </Typography>
            ))}
          </InfoCard>
          <Box mt={3}>
            <InfoCard
              title={t('adoption.selfServiceTitle')}
              subheader={t('adoption.selfServiceSubheader', {
                total: String(value.selfService.total),
                weeks: String(value.weeks),
              })}
            >
              <Box display="flex" alignItems="flex-end" height={80} aria-label={t('adoption.selfServiceTitle')}>
                {value.selfService.weeks.map(w => (
                  <Box
                    key={w.weekStart}
                    title={t('adoption.selfServiceWeek', { week: w.weekStart.slice(0, 10), requests: String(w.requests) })}
                    flexGrow={1}
                    mx="1px"
                    height={`${(w.requests / maxRequests) * 100}%`}
                    minHeight={w.requests > 0 ? 2 : 0}
                    bgcolor="primary.main"
                  />
                ))}
              </Box>
            </InfoCard>
          </Box>
        </Grid>
        <Grid item xs={12}>
          <Paper>
            <Box p={2}>
              <Typography variant="h6">{t('adoption.perTemplate')}</Typography>
              <FunnelTable
                label={t('adoption.templateLabel')}
                ariaLabel={t('adoption.perTemplateLabel')}
                rows={value.templates.map(x => ({ key: x.templateRef, funnel: x.funnel }))}
              />
            </Box>
            <Box p={2}>
              <Typography variant="h6">{t('adoption.perTeam')}</Typography>
              <FunnelTable
                label={t('adoption.teamLabel')}
                ariaLabel={t('adoption.perTeamLabel')}
                rows={value.teams.map(x => ({ key: x.team, funnel: x.funnel }))}
              />
            </Box>
          </Paper>
        </Grid>
      </Grid>
    </Box>
  );
}
