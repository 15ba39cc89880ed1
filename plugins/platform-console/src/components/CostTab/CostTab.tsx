/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { InfoCard, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
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
import { CostChart } from './CostChart';
import { shortRef, usd } from './format';

/** One level of the drill-down: team -> system -> component -> resource. */
interface Level {
  groupBy: CostGroupBy;
  filter: CostQueryFilter;
  label: string;
}

const NEXT: Partial<Record<CostGroupBy, { groupBy: CostGroupBy; key: keyof CostQueryFilter }>> = {
  owner: { groupBy: 'system', key: 'owner' },
  system: { groupBy: 'component', key: 'system' },
  component: { groupBy: 'resource', key: 'component' },
};

const TITLES: Record<CostGroupBy, string> = {
  owner: 'Cost per team per month',
  system: 'Cost per system per month',
  component: 'Cost per component per month',
  resource: 'Cost per resource per month',
  domain: 'Cost per domain per month',
};

const COLUMN: Record<CostGroupBy, string> = {
  owner: 'Team',
  system: 'System',
  component: 'Component',
  resource: 'Resource',
  domain: 'Domain',
};

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
  const [path, setPath] = useState<Level[]>([{ groupBy: 'owner', filter: {}, label: 'All teams' }]);
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
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Breadcrumbs aria-label="Cost drill-down">
          {path.map((p, i) =>
            i === path.length - 1 ? (
              <Typography key={i} color="textPrimary">
                {p.label}
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
                {p.label}
              </Link>
            ),
          )}
        </Breadcrumbs>
        {demo && (
          <Chip
            size="small"
            color="secondary"
            label="Demo data: seeded history, not real spend"
            style={{ marginTop: 8 }}
          />
        )}
      </Grid>
      <Grid item xs={12} md={4}>
        <InfoCard title="This month">
          {summary.loading && <Progress />}
          {summary.error && <ResponseErrorPanel error={summary.error} />}
          {summary.value && (
            <>
              <Typography variant="h4" aria-label="This month so far">
                {usd(summary.value.soFarUsd)}
              </Typography>
              <Typography variant="body2" color="textSecondary">
                so far in {summary.value.month}
              </Typography>
              <Typography variant="h6" aria-label="Forecast to month end" style={{ marginTop: 12 }}>
                {usd(summary.value.forecastUsd)}
              </Typography>
              <Typography variant="body2" color="textSecondary">
                forecast to month end (live resources at their price)
              </Typography>
            </>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={8}>
        <InfoCard title="Top resources this month">
          {summary.value && summary.value.topResources.length === 0 && (
            <Typography>No cost recorded this month.</Typography>
          )}
          {summary.value && summary.value.topResources.length > 0 && (
            <Table size="small" aria-label="Top resources">
              <TableHead>
                <TableRow>
                  <TableCell>Resource</TableCell>
                  <TableCell>Team</TableCell>
                  <TableCell>Component</TableCell>
                  <TableCell align="right">This month</TableCell>
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
          title={TITLES[level.groupBy]}
          subheader="Last 12 months, from the cost ledger (real lifetimes at the type's USD/month price, prorated per day)"
          action={
            <Button variant="outlined" size="small" onClick={exportCsv} disabled={exporting || !costs.value}>
              Export CSV (FOCUS)
            </Button>
          }
        >
          {costs.loading && <Progress />}
          {costs.error && <ResponseErrorPanel error={costs.error} />}
          {costs.value && costs.value.items.length === 0 && (
            <Typography>No cost recorded in these months.</Typography>
          )}
          {costs.value && costs.value.items.length > 0 && (
            <>
              <CostChart months={costs.value.months} items={costs.value.items} label={TITLES[level.groupBy]} />
              <Table size="small" aria-label={`${COLUMN[level.groupBy]} costs`}>
                <TableHead>
                  <TableRow>
                    <TableCell>{COLUMN[level.groupBy]}</TableCell>
                    <TableCell align="right">{current ?? 'This month'}</TableCell>
                    <TableCell align="right">12 months</TableCell>
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
          <InfoCard title={`Resource ${selected.title ?? selected.key}`}>
            <Table size="small" aria-label="Resource cost per month">
              <TableHead>
                <TableRow>
                  <TableCell>Month</TableCell>
                  <TableCell align="right">Cost</TableCell>
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
