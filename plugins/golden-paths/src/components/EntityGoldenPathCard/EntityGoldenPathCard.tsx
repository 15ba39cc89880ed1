/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InfoCard, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { goldenPathsApiRef } from '../../api';
import { goldenPathsTranslationRef } from '../../translation';

/** The link that starts the upgrade-service template with this component pre-filled. */
function upgradeLink(templateRef: string, entityRef: string) {
  const [, namespace, name] = /^template:([^/]+)\/(.+)$/.exec(templateRef) ?? ['', 'default', 'upgrade-service'];
  const formData = encodeURIComponent(JSON.stringify({ component: entityRef, runTests: true }));
  return `/create/templates/${namespace}/${name}?formData=${formData}`;
}

/**
 * Entity card: which golden path and version made this service, whether a newer version is
 * available and what it changes, and its upgrade (start it; merge a conflict-free branch).
 * @public
 */
export function EntityGoldenPathCard() {
  const { entity } = useEntity();
  const api = useApi(goldenPathsApiRef);
  const { t } = useTranslationRef(goldenPathsTranslationRef);
  const entityRef = stringifyEntityRef(entity);
  const state = useAsyncRetry(() => api.getEntity(entityRef), [api, entityRef]);
  const [merging, setMerging] = useState(false);
  const [mergeError, setMergeError] = useState<Error>();

  if (state.loading && !state.value) return <InfoCard title={t('card.title')}><Progress /></InfoCard>;
  if (state.error) return <ResponseErrorPanel error={state.error} />;
  const info = state.value;
  if (!info?.template) {
    return (
      <InfoCard title={t('card.title')}>
        <Typography>{t('card.notVersioned')}</Typography>
      </InfoCard>
    );
  }
  const upgrade = info.upgrade;
  const pending = upgrade && upgrade.status !== 'merged' && upgrade.status !== 'up-to-date';

  const merge = async () => {
    if (!upgrade) return;
    setMerging(true);
    setMergeError(undefined);
    try {
      await api.merge(upgrade.repo, upgrade.toVersion);
      state.retry();
    } catch (e) {
      setMergeError(e as Error);
    } finally {
      setMerging(false);
    }
  };

  return (
    <InfoCard title={t('card.title')}>
      <Typography>
        {t('card.madeFrom', { template: <strong>{info.templateTitle}</strong>, version: info.version ?? '' })}
      </Typography>
      {info.behind ? (
        <Box mt={1}>
          <Typography>{t('card.newerAvailable', { version: info.current ?? '' })}</Typography>
          <ul data-testid="changes">
            {info.changes?.flatMap(v => v.changes.map(c => <li key={`${v.version}-${c}`}>{`${v.version}: ${c}`}</li>))}
          </ul>
        </Box>
      ) : (
        <Typography>{t('card.upToDate')}</Typography>
      )}
      {pending && upgrade && (
        <Box mt={1} data-testid="upgrade">
          <Typography>
            {upgrade.branch
              ? t('card.upgradeStatusOnBranch', {
                  version: upgrade.toVersion,
                  status: <strong>{upgrade.status}</strong>,
                  branch: upgrade.branch,
                })
              : t('card.upgradeStatus', { version: upgrade.toVersion, status: <strong>{upgrade.status}</strong> })}
          </Typography>
          {upgrade.conflicts.length > 0 && (
            <ul>
              {upgrade.conflicts.map(c => (
                <li key={c.path}>{`${c.path}: ${c.reason}`}</li>
              ))}
            </ul>
          )}
          {upgrade.message && <Typography color="error">{upgrade.message}</Typography>}
        </Box>
      )}
      {mergeError && <ResponseErrorPanel error={mergeError} />}
      <Box mt={2} display="flex" style={{ gap: 8 }}>
        {info.behind && (!pending || upgrade?.status === 'failed') && (
          <Button variant="contained" color="primary" href={upgradeLink(info.upgradeTemplateRef ?? 'template:default/upgrade-service', entityRef)}>
            {t('card.upgrade')}
          </Button>
        )}
        {upgrade?.status === 'open' && (
          <Button variant="contained" color="primary" onClick={merge} disabled={merging}>
            {merging ? t('card.merging') : t('card.merge', { branch: upgrade.branch ?? '' })}
          </Button>
        )}
      </Box>
    </InfoCard>
  );
}
