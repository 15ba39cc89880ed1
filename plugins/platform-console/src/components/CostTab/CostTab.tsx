/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { InfoCard, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import Breadcrumbs from '@material-ui/core/Breadcrumbs';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import Link from '@material-ui/core/Link';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { CostGroupBy, CostItem, CostQueryFilter, costsApiRef } from '../../api';
import { platformConsoleTranslationRef } from '../../translation';
import { CostChart } from './CostChart';
import { shortRef, usd } from './format';

/** One level of the drill-down: team -> system -> component -> resource. */
interface Level {
  groupBy: CostGroupBy;
  filter: CostQueryFilter;
  /** The breadcrumb's label; none for the top level ("All teams"). */
  label?: string;
}

const NEXT: Partial<Record<CostGroupBy, { groupBy: CostGroupBy; key: keyof CostQueryFilter }>> = {
  owner: { groupBy: 'system', key: 'owner' },
  system: { groupBy: 'component', key: 'system' },
  component: { groupBy: 'resource', key: 'component' },
};

const TITLES = {
  owner: 'costTitles.owner',
  system: 'costTitles.system',
  component: 'costTitles.component',
  resource: 'costTitles.resource',
  domain: 'costTitles.domain',
} as const satisfies Record<CostGroupBy, string>;

const COLUMN = {
  owner: 'costColumns.owner',
  system: 'costColumns.system',
  component: 'costColumns.component',
  resource: 'costColumns.resource',
  domain: 'costColumns.domain',
} as const satisfies Record<CostGroupBy, string>;

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

/**
 * The Cost tab of the platform console: cost per team per month over the last 12 months, this month so far and
 * the forecast, the top resources, a drill-down team -> system -> component -> resource, and the FOCUS CSV.
 * @public
 */
export function CostTab() {
  const api = useApi(costsApiRef);
  const { t } = useTranslationRef(platformConsoleTranslationRef);
  const [path, setPath] = useState<Level[]>([{ groupBy: 'owner', filter: {} }]);
  const [selected, setSelected] = useState<CostItem | undefined>();
  const level = path[path.length - 1];
  const costs = useAsync(() => api.getCosts({ groupBy: level.groupBy, ...level.filter }), [api, level]);
  const summary = useAsync(() => api.getSummary(level.filter), [api, level]);
  const [exporting, setExporting] = useState(false);

  const drill = (item: CostItem) => {
    const next = NEXT[level.groupBy];
    if (!next || item.key === 'none') {
      setSelected(item);
      return;
    }
    setSelected(undefined);
    setPath([
      ...path,
      {
        groupBy: next.groupBy,
        filter: { ...level.filter, [next.key]: item.key },
        label: item.title ?? shortRef(item.key),
      },
    ]);
  };

  const exportCsv = async () => {
    setExporting(true);
    try {
      const months = costs.value?.months ?? [];
      const text = await api.exportCsv({ ...level.filter, from: months[0], to: months[months.length - 1] });
      download('paved-costs-focus.csv', text);
    } finally {
      setExporting(false);
    }
  };

  const demo = costs.value?.demo || summary.value?.demo;
  const current = costs.value?.months[costs.value.months.length - 1];
  const title = t(TITLES[level.groupBy]);
  const column = t(COLUMN[level.groupBy]);
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Breadcrumbs aria-label={t('costTab.drillDownLabel')}>
          {path.map((p, i) =>
            i === path.length - 1 ? (
              <Typography key={i} color="textPrimary">
                {p.label ?? t('costTab.allTeams')}
              </Typography>
            ) : (
              <Link
                key={i}
                component="button"
                onClick={() => {
                  setSelected(undefined);
                  setPath(path.slice(0, i + 1));
                }}
              >
                {p.label ?? t('costTab.allTeams')}
              </Link>
            ),
          )}
        </Breadcrumbs>
        {demo && (
          <Chip
            size="small"
            color="secondary"
            label={t('costTab.demoData')}
            style={{ marginTop: 8 }}
          />
        )}
      </Grid>
      <Grid item xs={12} md={4}>
        <InfoCard title={t('costTab.thisMonthTitle')}>
          {summary.loading && <Progress />}
          {summary.error && <ResponseErrorPanel error={summary.error} />}
          {summary.value && (
            <>
              <Typography variant="h4" aria-label={t('costTab.soFarLabel')}>
                {usd(summary.value.soFarUsd)}
              </Typography>
              <Typography variant="body2" color="textSecondary">
                {t('costTab.soFarIn', { month: summary.value.month })}
              </Typography>
              <Typography variant="h6" aria-label={t('costTab.forecastLabel')} style={{ marginTop: 12 }}>
                {usd(summary.value.forecastUsd)}
              </Typography>
              <Typography variant="body2" color="textSecondary">
                {t('costTab.forecastHelp')}
              </Typography>
            </>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={8}>
        <InfoCard title={t('costTab.topResourcesTitle')}>
          {summary.value && summary.value.topResources.length === 0 && (
            <Typography>{t('costTab.noCostThisMonth')}</Typography>
          )}
          {summary.value && summary.value.topResources.length > 0 && (
            <Table size="small" aria-label={t('costTab.topResourcesLabel')}>
              <TableHead>
                <TableRow>
                  <TableCell>{t('costTab.resourceColumn')}</TableCell>
                  <TableCell>{t('costTab.teamColumn')}</TableCell>
                  <TableCell>{t('costTab.componentColumn')}</TableCell>
                  <TableCell align="right">{t('costTab.thisMonthColumn')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {summary.value.topResources.slice(0, 5).map(r => (
                  <TableRow key={r.resourceId}>
                    <TableCell>{r.title}</TableCell>
                    <TableCell>{shortRef(r.owner)}</TableCell>
                    <TableCell>{r.component ? shortRef(r.component) : '—'}</TableCell>
                    <TableCell align="right">{usd(r.usd)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard
          title={title}
          subheader={t('costTab.costsSubheader')}
          action={
            <Button variant="outlined" size="small" onClick={exportCsv} disabled={exporting || !costs.value}>
              {t('costTab.exportCsv')}
            </Button>
          }
        >
          {costs.loading && <Progress />}
          {costs.error && <ResponseErrorPanel error={costs.error} />}
          {costs.value && costs.value.items.length === 0 && (
            <Typography>{t('costTab.noCostInMonths')}</Typography>
          )}
          {costs.value && costs.value.items.length > 0 && (
            <>
              <CostChart months={costs.value.months} items={costs.value.items} label={title} />
              <Table size="small" aria-label={t('costTab.costsTableLabel', { column })}>
                <TableHead>
                  <TableRow>
                    <TableCell>{column}</TableCell>
                    <TableCell align="right">{current ?? t('costTab.thisMonthColumn')}</TableCell>
                    <TableCell align="right">{t('costTab.twelveMonthsColumn')}</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {costs.value.items.map(item => (
                    <TableRow key={item.key} selected={selected?.key === item.key}>
                      <TableCell>
                        <Link component="button" onClick={() => drill(item)}>
                          {item.title ?? shortRef(item.key)}
                        </Link>
                      </TableCell>
                      <TableCell align="right">
                        {usd(item.monthlyCostUsd[item.monthlyCostUsd.length - 1]?.usd ?? 0)}
                      </TableCell>
                      <TableCell align="right">{usd(item.totalUsd)}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </>
          )}
        </InfoCard>
      </Grid>
      {selected && (
        <Grid item xs={12}>
          <InfoCard title={t('costTab.resourceTitle', { name: selected.title ?? selected.key })}>
            <Table size="small" aria-label={t('costTab.resourceTableLabel')}>
              <TableHead>
                <TableRow>
                  <TableCell>{t('costTab.monthColumn')}</TableCell>
                  <TableCell align="right">{t('costTab.costColumn')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {selected.monthlyCostUsd
                  .filter(m => m.usd > 0)
                  .map(m => (
                    <TableRow key={m.month}>
                      <TableCell>{m.month}</TableCell>
                      <TableCell align="right">{usd(m.usd)}</TableCell>
                    </TableRow>
                  ))}
              </TableBody>
            </Table>
          </InfoCard>
        </Grid>
      )}
    </Grid>
  );
}
