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
import { discoveryApiRef, fetchApiRef, useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { goldenPathsTranslationRef } from '../../translation';

/** A git access token as the backend lists it (never the secret). */
export interface GitAccessTokenItem {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt?: string;
}

function useGitTokensApi() {
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const call = async <T,>(path: string, init?: RequestInit): Promise<T | undefined> => {
    const base = await discoveryApi.getBaseUrl('scaffolder');
    const res = await fetchApi.fetch(`${base}${path}`, {
      ...init,
      headers: init?.body ? { 'Content-Type': 'application/json' } : undefined,
    });
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return res.status === 204 ? undefined : ((await res.json()) as T);
  };
  return {
    base: () => discoveryApi.getBaseUrl('scaffolder'),
    list: async () => (await call<{ items: GitAccessTokenItem[] }>('/git-tokens'))!.items,
    issue: async (name: string) =>
      (await call<GitAccessTokenItem & { token: string }>('/git-tokens', {
        method: 'POST',
        body: JSON.stringify({ name }),
      }))!,
    revoke: async (id: string) => {
      await call(`/git-tokens/${encodeURIComponent(id)}`, { method: 'DELETE' });
    },
  };
}

/**
 * The signed-in user's git access tokens for the embedded git server: issue one (shown once), list,
 * revoke. Git clients use a token as the password of `git clone <portal>/api/scaffolder/paved-git/<name>.git`.
 * @public
 */
export function GitAccessTokensContent() {
  const api = useGitTokensApi();
  const { t } = useTranslationRef(goldenPathsTranslationRef);
  const [name, setName] = useState('');
  const [issued, setIssued] = useState<{ token: string; name: string }>();
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const state = useAsyncRetry(async () => ({ items: await api.list(), base: await api.base() }), []);

  const issue = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const created = await api.issue(name);
      setIssued({ token: created.token, name: created.name });
      setName('');
      state.retry();
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  const revoke = async (id: string) => {
    setError(undefined);
    try {
      await api.revoke(id);
      state.retry();
    } catch (e) {
      setError(e as Error);
    }
  };

  const columns: TableColumn<GitAccessTokenItem>[] = [
    { title: t('gitAccessTokens.nameColumn'), field: 'name' },
    { title: t('gitAccessTokens.tokenColumn'), field: 'prefix', render: item => `${item.prefix}…` },
    {
      title: t('gitAccessTokens.createdColumn'),
      field: 'createdAt',
      render: item => new Date(item.createdAt).toLocaleString(),
    },
    {
      title: t('gitAccessTokens.lastUsedColumn'),
      field: 'lastUsedAt',
      render: item => (item.lastUsedAt ? new Date(item.lastUsedAt).toLocaleString() : t('gitAccessTokens.never')),
    },
    {
      title: '',
      render: item => (
        <Button
          size="small"
          color="secondary"
          onClick={() => revoke(item.id)}
          aria-label={t('gitAccessTokens.revokeLabel', { name: item.name })}
        >
          {t('gitAccessTokens.revoke')}
        </Button>
      ),
    },
  ];

  return (
    <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
      <InfoCard title={t('gitAccessTokens.newTokenTitle')}>
        <Typography variant="body2" paragraph>
          {t('gitAccessTokens.intro')}
        </Typography>
        <Box display="flex" alignItems="center" style={{ gap: 8 }}>
          <TextField
            id="git-token-name"
            label={t('gitAccessTokens.tokenName')}
            placeholder={t('gitAccessTokens.tokenNamePlaceholder')}
            value={name}
            onChange={e => setName(e.target.value)}
            size="small"
            variant="outlined"
          />
          <Button variant="contained" color="primary" disabled={busy || !name.trim()} onClick={issue}>
            {t('gitAccessTokens.create')}
          </Button>
        </Box>
        {issued && (
          <Box mt={2}>
            <Typography variant="body2">
              {t('gitAccessTokens.issued', { name: <b>{issued.name}</b> })}
            </Typography>
            <Typography component="pre" data-testid="git-token" style={{ userSelect: 'all', overflowWrap: 'anywhere' }}>
              {issued.token}
            </Typography>
            {state.value && (
              <Typography component="pre" variant="body2">
                {t('gitAccessTokens.cloneCommand', { base: state.value.base })}
              </Typography>
            )}
          </Box>
        )}
        {error && <ResponseErrorPanel error={error} />}
      </InfoCard>
      {state.loading && !state.value && <Progress />}
      {state.error && <ResponseErrorPanel error={state.error} />}
      {state.value && (
        <Table
          title={t('gitAccessTokens.tableTitle')}
          options={{ paging: false, search: false }}
          columns={columns}
          data={state.value.items}
          emptyContent={<Box p={2}>{t('gitAccessTokens.empty')}</Box>}
        />
      )}
    </Box>
  );
}

/** The "Git access tokens" page. @public */
export function GitAccessTokensPage() {
  const { t } = useTranslationRef(goldenPathsTranslationRef);
  return (
    <Page themeId="tool">
      <Header title={t('gitAccessTokens.title')} subtitle={t('gitAccessTokens.subtitle')} />
      <Content>
        <GitAccessTokensContent />
      </Content>
    </Page>
  );
}
