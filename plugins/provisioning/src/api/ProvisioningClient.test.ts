/**
 * @jest-environment node
 */
import { ResponseError } from '@backstage/errors';
import { ProvisioningClient } from './ProvisioningClient';

function setup(response: () => Response) {
  const fetch = jest.fn(async (_url: string, _init?: RequestInit) =>
    response(),
  );
  const client = new ProvisioningClient({
    discoveryApi: {
      getBaseUrl: async id => `http://backend.test/api/${id}`,
    },
    fetchApi: { fetch: fetch as any },
  });
  return { client, fetch };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });

describe('ProvisioningClient', () => {
  it('lists resources with repeated owners and filters', async () => {
    const { client, fetch } = setup(() => json({ items: [], totals: [] }));
    await client.listResources({
      owner: ['group:default/a', 'group:default/b'],
      type: 'postgresql',
      state: 'failed',
      cursor: 'abc',
      limit: 20,
    });
    const url = new URL(fetch.mock.calls[0][0]);
    expect(url.pathname).toBe('/api/provisioning/v1/resources');
    expect(url.searchParams.getAll('owner')).toEqual([
      'group:default/a',
      'group:default/b',
    ]);
    expect(url.searchParams.get('type')).toBe('postgresql');
    expect(url.searchParams.get('state')).toBe('failed');
    expect(url.searchParams.get('cursor')).toBe('abc');
    expect(url.searchParams.get('limit')).toBe('20');
  });

  it('posts JSON bodies to the contract paths', async () => {
    const { client, fetch } = setup(() => json({ id: 'r1' }, 201));
    await client.createResource({
      name: 'x',
      type: 'postgresql',
      owner: 'group:default/a',
      parameters: { size: 'small' },
    });
    await client.updateResource('r 1', { parameters: { size: 'medium' } });
    await client.rejectResource('r1', { reason: 'too big' });
    await client.estimate({ type: 'postgresql', parameters: {} });
    expect(fetch.mock.calls.map(c => [c[1]?.method, c[0]])).toEqual([
      ['POST', 'http://backend.test/api/provisioning/v1/resources'],
      ['PATCH', 'http://backend.test/api/provisioning/v1/resources/r%201'],
      ['POST', 'http://backend.test/api/provisioning/v1/resources/r1/reject'],
      ['POST', 'http://backend.test/api/provisioning/v1/estimates'],
    ]);
    expect(JSON.parse(String(fetch.mock.calls[2][1]?.body))).toEqual({
      reason: 'too big',
    });
  });

  it('throws ResponseError with the server message', async () => {
    const { client } = setup(() =>
      json(
        {
          error: { name: 'NotAllowedError', message: 'not a member' },
          request: { method: 'GET', url: '/x' },
          response: { statusCode: 403 },
        },
        403,
      ),
    );
    const error = await client.getCredentials('r1').catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(403);
    expect(error.cause.message).toBe('not a member');
  });
});
