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
import { ResponseError } from '@backstage/errors';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';

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
    { title: 'Name', field: 'name' },
    { title: 'Token', field: 'prefix', render: t => `${t.prefix}…` },
    { title: 'Created', field: 'createdAt', render: t => new Date(t.createdAt).toLocaleString() },
    {
      title: 'Last used',
      field: 'lastUsedAt',
      render: t => (t.lastUsedAt ? new Date(t.lastUsedAt).toLocaleString() : 'never'),
    },
    {
      title: '',
      render: t => (
        <Button size="small" color="secondary" onClick={() => revoke(t.id)} aria-label={`Revoke ${t.name}`}>
          Revoke
        </Button>
      ),
    },
  ];

  return (
    <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
      <InfoCard title="New git access token">
        <Typography variant="body2" paragraph>
          Git clients (git clone, fetch, push) sign in to the portal's git server with a token: give it
          as the password when git asks (any user name). Everyone signed in may clone; members of the
          owning team may push.
        </Typography>
        <Box display="flex" alignItems="center" style={{ gap: 8 }}>
          <TextField
            id="git-token-name"
            label="Token name"
            placeholder="laptop"
            value={name}
            onChange={e => setName(e.target.value)}
            size="small"
            variant="outlined"
          />
          <Button variant="contained" color="primary" disabled={busy || !name.trim()} onClick={issue}>
            Create token
          </Button>
        </Box>
        {issued && (
          <Box mt={2}>
            <Typography variant="body2">
              Token <b>{issued.name}</b> (copy it now; it is not shown again):
            </Typography>
            <Typography component="pre" data-testid="git-token" style={{ userSelect: 'all', overflowWrap: 'anywhere' }}>
              {issued.token}
            </Typography>
            {state.value && (
              <Typography component="pre" variant="body2">
                git clone {state.value.base}/paved-git/&lt;repository&gt;.git
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
          title="Your git access tokens"
          options={{ paging: false, search: false }}
          columns={columns}
          data={state.value.items}
          emptyContent={<Box p={2}>No tokens yet.</Box>}
        />
      )}
    </Box>
  );
}

/** The "Git access tokens" page. @public */
export function GitAccessTokensPage() {
  return (
    <Page themeId="tool">
      <Header title="Git access tokens" subtitle="Clone and push the portal's repositories from anywhere" />
      <Content>
        <GitAccessTokensContent />
      </Content>
    </Page>
  );
}
