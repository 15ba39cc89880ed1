/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { GitAccessTokensContent } from './GitAccessTokensPage';

jest.setTimeout(60_000);

describe('GitAccessTokensContent', () => {
  it('issues a token (shown once), lists and revokes tokens', async () => {
    let items: any[] = [{ id: '11111111-1111-1111-1111-111111111111', name: 'old', prefix: 'pvg_abcd', createdAt: '2026-12-01T00:00:00Z' }];
    const fetch = jest.fn(async (input: any, init?: RequestInit) => {
      const url = String(input);
      const method = init?.method ?? 'GET';
      if (method === 'POST') {
        const item = { id: '22222222-2222-2222-2222-222222222222', name: 'laptop', prefix: 'pvg_wxyz', createdAt: '2026-12-06T00:00:00Z' };
        items = [item, ...items];
        return new Response(JSON.stringify({ ...item, token: 'pvg_wxyzSECRET' }), { status: 201 });
      }
      if (method === 'DELETE') {
        items = items.filter(i => !url.endsWith(i.id));
        return new Response(null, { status: 204 });
      }
      return new Response(JSON.stringify({ items }), { status: 200 });
    });
    await renderInTestApp(<GitAccessTokensContent />, {
      apis: [
        [fetchApiRef, { fetch }],
        [discoveryApiRef, { getBaseUrl: async () => 'http://backend/api/scaffolder' }],
      ],
    });
    expect(await screen.findByText('old')).toBeInTheDocument();
    expect(screen.getByText('pvg_abcd…')).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Token name'), { target: { value: 'laptop' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create token' }));
    expect(await screen.findByTestId('git-token')).toHaveTextContent('pvg_wxyzSECRET');
    expect(await screen.findByText('pvg_wxyz…')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Revoke old' }));
    await waitFor(() => expect(screen.queryByText('old')).not.toBeInTheDocument());
    const post = fetch.mock.calls.find(([, init]) => init?.method === 'POST');
    expect(post?.[0]).toBe('http://backend/api/scaffolder/git-tokens');
    expect(JSON.parse(String(post?.[1]?.body))).toEqual({ name: 'laptop' });
    expect(fetch).toHaveBeenCalledWith('http://backend/api/scaffolder/git-tokens/11111111-1111-1111-1111-111111111111', expect.objectContaining({ method: 'DELETE' }));
  });
});
