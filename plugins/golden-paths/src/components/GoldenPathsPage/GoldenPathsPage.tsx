/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  Content,
  Header,
  InfoCard,
  Page,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { useEffect, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { Campaign, FleetService, FleetTemplate, goldenPathsApiRef } from '../../api';

const columns: TableColumn<FleetService>[] = [
  { title: 'Service', field: 'name', render: s => <EntityRefLink entityRef={s.entityRef} /> },
  { title: 'Owner', field: 'owner', render: s => <EntityRefLink entityRef={s.owner} defaultKind="group" /> },
  { title: 'Version', field: 'version' },
  { title: 'Behind', field: 'behind', render: s => (s.behind ? 'yes' : 'no') },
  {
    title: 'Upgrade',
    render: s =>
      s.upgrade ? `${s.upgrade.status} (v${s.upgrade.toVersion}${s.upgrade.branch ? `, ${s.upgrade.branch}` : ''})` : '',
  },
];

/** One template: versions, counts, campaign button with progress, services. */
function TemplateFleet(props: { template: FleetTemplate; onChange: () => void }) {
  const { template, onChange } = props;
  const api = useApi(goldenPathsApiRef);
  const [campaign, setCampaign] = useState<Campaign>();
  const [error, setError] = useState<Error>();
  const [starting, setStarting] = useState(false);
  const candidates = template.services.filter(
    s => s.behind && !(s.upgrade && s.upgrade.toVersion === template.current && s.upgrade.status !== 'failed'),
  ).length;

  useEffect(() => {
    if (!campaign || campaign.finished) return undefined;
    const timer = setTimeout(async () => {
      try {
        const next = await api.getCampaign(campaign.id);
        setCampaign(next);
        if (next.finished) onChange();
      } catch (e) {
        setError(e as Error);
      }
    }, 2000);
    return () => clearTimeout(timer);
  }, [api, campaign, onChange]);

  const start = async () => {
    setStarting(true);
    setError(undefined);
    try {
      setCampaign(await api.startCampaign(template.ref));
    } catch (e) {
      setError(e as Error);
    } finally {
      setStarting(false);
    }
  };

  const c = template.counts;
  return (
    <InfoCard title={`${template.title} (v${template.current})`}>
      <Box display="flex" flexWrap="wrap" style={{ gap: 8 }} mb={2} data-testid={`counts-${template.ref}`}>
        <Chip label={`${c.services} services`} />
        <Chip label={`${c.behind} behind`} color={c.behind ? 'secondary' : 'default'} />
        <Chip label={`${c.open} open upgrades`} />
        <Chip label={`${c.conflicted} conflicted`} />
        <Chip label={`${c.merged} merged`} />
        {c.failed > 0 && <Chip label={`${c.failed} failed`} />}
        {c.queued > 0 && <Chip label={`${c.queued} queued`} />}
      </Box>
      <Typography variant="h6">Versions</Typography>
      <ul>
        {template.versions
          .slice()
          .reverse()
          .map(v => (
            <li key={v.version}>
              <strong>v{v.version}</strong>: {v.services} service{v.services === 1 ? '' : 's'}
              {v.changes.length > 0 && <span> · {v.changes.join('; ')}</span>}
            </li>
          ))}
      </ul>
      <Box my={2}>
        <Button variant="contained" color="primary" onClick={start} disabled={starting || candidates === 0 || (campaign && !campaign.finished)}>
          Open upgrades for all {candidates} services behind
        </Button>
        {campaign && (
          <Box mt={1} data-testid="campaign">
            <Typography>
              Campaign to v{campaign.toVersion}: {campaign.done} of {campaign.total} done
              {Object.entries(campaign.counts)
                .filter(([s]) => s !== 'queued')
                .map(([s, n]) => ` · ${n} ${s}`)
                .join('')}
            </Typography>
            <LinearProgress variant="determinate" value={campaign.total ? (100 * campaign.done) / campaign.total : 100} />
          </Box>
        )}
        {error && <ResponseErrorPanel error={error} />}
      </Box>
      <Table<FleetService>
        title="Services"
        options={{ paging: template.services.length > 20, pageSize: 20, search: true, padding: 'dense' }}
        columns={columns}
        data={template.services}
      />
    </InfoCard>
  );
}

/** The content of the Golden paths page (for the new frontend system's page). @public */
export function GoldenPathsPageContent() {
  const api = useApi(goldenPathsApiRef);
  const state = useAsyncRetry(() => api.listTemplates(), [api]);
  return (
    <Content>
      {state.loading && !state.value && <Progress />}
      {state.error && <ResponseErrorPanel error={state.error} />}
      {state.value?.length === 0 && <Typography>No versioned golden paths yet.</Typography>}
      {state.value?.map(t => (
        <Box key={t.ref} mb={3}>
          <TemplateFleet template={t} onChange={state.retry} />
        </Box>
      ))}
    </Content>
  );
}

/** The Golden paths page with a header (legacy frontend system). @public */
export function GoldenPathsPage() {
  return (
    <Page themeId="tool">
      <Header title="Golden paths" subtitle="Template versions across the fleet, upgrades and campaigns" />
      <GoldenPathsPageContent />
    </Page>
  );
}
