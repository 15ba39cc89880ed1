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
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { useEffect, useMemo, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { Campaign, FleetService, FleetTemplate, goldenPathsApiRef } from '../../api';
import { goldenPathsTranslationRef } from '../../translation';

/** One template: versions, counts, campaign button with progress, services. */
function TemplateFleet(props: { template: FleetTemplate; onChange: () => void }) {
  const { template, onChange } = props;
  const api = useApi(goldenPathsApiRef);
  const { t } = useTranslationRef(goldenPathsTranslationRef);
  const columns = useMemo<TableColumn<FleetService>[]>(
    () => [
      { title: t('fleet.serviceColumn'), field: 'name', render: s => <EntityRefLink entityRef={s.entityRef} /> },
      {
        title: t('fleet.ownerColumn'),
        field: 'owner',
        render: s => <EntityRefLink entityRef={s.owner} defaultKind="group" />,
      },
      { title: t('fleet.versionColumn'), field: 'version' },
      { title: t('fleet.behindColumn'), field: 'behind', render: s => (s.behind ? t('fleet.yes') : t('fleet.no')) },
      {
        title: t('fleet.upgradeColumn'),
        render: s => {
          if (!s.upgrade) return '';
          const { status, toVersion: version, branch } = s.upgrade;
          return branch
            ? t('fleet.upgradeStatusOnBranch', { status, version, branch })
            : t('fleet.upgradeStatus', { status, version });
        },
      },
    ],
    [t],
  );
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
    <InfoCard title={t('fleet.templateTitle', { title: template.title, version: template.current })}>
      <Box display="flex" flexWrap="wrap" style={{ gap: 8 }} mb={2} data-testid={`counts-${template.ref}`}>
        <Chip label={t('fleet.servicesCount', { number: String(c.services) })} />
        <Chip label={t('fleet.behindCount', { number: String(c.behind) })} color={c.behind ? 'secondary' : 'default'} />
        <Chip label={t('fleet.openCount', { number: String(c.open) })} />
        <Chip label={t('fleet.conflictedCount', { number: String(c.conflicted) })} />
        <Chip label={t('fleet.mergedCount', { number: String(c.merged) })} />
        {c.failed > 0 && <Chip label={t('fleet.failedCount', { number: String(c.failed) })} />}
        {c.queued > 0 && <Chip label={t('fleet.queuedCount', { number: String(c.queued) })} />}
      </Box>
      <Typography variant="h6">{t('fleet.versionsTitle')}</Typography>
      <ul>
        {template.versions
          .slice()
          .reverse()
          .map(v => (
            <li key={v.version}>
              {t('fleet.versionServices', { version: <strong>v{v.version}</strong>, count: v.services })}
              {v.changes.length > 0 && <span> · {v.changes.join('; ')}</span>}
            </li>
          ))}
      </ul>
      <Box my={2}>
        <Button variant="contained" color="primary" onClick={start} disabled={starting || candidates === 0 || (campaign && !campaign.finished)}>
          {t('fleet.startCampaign', { number: String(candidates) })}
        </Button>
        {campaign && (
          <Box mt={1} data-testid="campaign">
            <Typography>
              {t('fleet.campaignProgress', {
                version: campaign.toVersion,
                done: String(campaign.done),
                total: String(campaign.total),
              })}
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
        title={t('fleet.servicesTitle')}
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
  const { t } = useTranslationRef(goldenPathsTranslationRef);
  const state = useAsyncRetry(() => api.listTemplates(), [api]);
  return (
    <Content>
      {state.loading && !state.value && <Progress />}
      {state.error && <ResponseErrorPanel error={state.error} />}
      {state.value?.length === 0 && <Typography>{t('page.empty')}</Typography>}
      {state.value?.map(template => (
        <Box key={template.ref} mb={3}>
          <TemplateFleet template={template} onChange={state.retry} />
        </Box>
      ))}
    </Content>
  );
}

/** The Golden paths page with a header (legacy frontend system). @public */
export function GoldenPathsPage() {
  const { t } = useTranslationRef(goldenPathsTranslationRef);
  return (
    <Page themeId="tool">
      <Header title={t('page.title')} subtitle={t('page.subtitle')} />
      <GoldenPathsPageContent />
    </Page>
  );
}
