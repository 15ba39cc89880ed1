import { ResponseError } from '@backstage/errors';
import { ProvisioningApiClient } from './ProvisioningApiClient';

function setup(response: () => Response) {
  const fetch = jest.fn(async (_url: string, _init?: RequestInit) =>
    response(),
  );
  const client = new ProvisioningApiClient({
    discoveryApi: { getBaseUrl: async id => `http://backend.test/api/${id}` },
    fetchApi: { fetch: fetch as unknown as typeof globalThis.fetch },
  });
  return { client, fetch };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });

describe('ProvisioningApiClient', () => {
  it('lists resources with repeated owners, states and the name filter', async () => {
    const { client, fetch } = setup(() => json({ items: [], totals: [] }));
    await client.listResources({
      owner: ['group:default/a', 'group:default/b'],
      name: 'orders-db',
      type: 'postgresql',
      state: ['failed', 'ready'],
      cursor: 'abc',
      limit: 20,
    });
    const url = new URL(fetch.mock.calls[0][0]);
    expect(url.pathname).toBe('/api/provisioning/v1/resources');
    expect(url.searchParams.getAll('owner')).toEqual([
      'group:default/a',
      'group:default/b',
    ]);
    expect(url.searchParams.get('name')).toBe('orders-db');
    expect(url.searchParams.get('type')).toBe('postgresql');
    expect(url.searchParams.getAll('state')).toEqual(['failed', 'ready']);
    expect(url.searchParams.get('cursor')).toBe('abc');
    expect(url.searchParams.get('limit')).toBe('20');
  });

  it('calls the contract paths with JSON bodies', async () => {
    const { client, fetch } = setup(() => json({ id: 'r1', items: [] }, 200));
    await client.updateResource('r 1', { parameters: { size: 'medium' } });
    await client.rejectResource('r1', { reason: 'too big' });
    await client.approveResource('r1');
    await client.withdrawResource('r1');
    await client.listApprovals();
    await client.listDependents('r1');
    await client.deleteResource('r1', { force: true });
    await client.deleteResource('r2');
    await client.estimate({ type: 'postgresql', name: 'postgres' });
    expect(fetch.mock.calls.map(c => [c[1]?.method, c[0]])).toEqual([
      ['PATCH', 'http://backend.test/api/provisioning/v1/resources/r%201'],
      ['POST', 'http://backend.test/api/provisioning/v1/resources/r1/reject'],
      ['POST', 'http://backend.test/api/provisioning/v1/resources/r1/approve'],
      ['POST', 'http://backend.test/api/provisioning/v1/resources/r1/withdraw'],
      ['GET', 'http://backend.test/api/provisioning/v1/approvals'],
      ['GET', 'http://backend.test/api/provisioning/v1/resources/r1/dependents'],
      [
        'DELETE',
        'http://backend.test/api/provisioning/v1/resources/r1?force=true',
      ],
      ['DELETE', 'http://backend.test/api/provisioning/v1/resources/r2'],
      ['POST', 'http://backend.test/api/provisioning/v1/estimates'],
    ]);
    expect(JSON.parse(String(fetch.mock.calls[1][1]?.body))).toEqual({
      reason: 'too big',
    });
    expect(JSON.parse(String(fetch.mock.calls[8][1]?.body))).toEqual({
      type: 'postgresql',
      name: 'postgres',
    });
  });

  it('asks for a signal echo with the nonce', async () => {
    const { client, fetch } = setup(() => json({ nonce: 'tab-12345678' }, 202));
    await expect(client.echoSignal('tab-12345678')).resolves.toEqual({
      nonce: 'tab-12345678',
    });
    expect(fetch.mock.calls[0][0]).toBe(
      'http://backend.test/api/provisioning/v1/signal-echo',
    );
    expect(fetch.mock.calls[0][1]?.method).toBe('POST');
    expect(JSON.parse(String(fetch.mock.calls[0][1]?.body))).toEqual({
      nonce: 'tab-12345678',
    });
  });

  it('sends the idempotency key and a backend token', async () => {
    const { client, fetch } = setup(() => json({ id: 'r1' }, 201));
    await client.createResource(
      { name: 'x', type: 'postgresql', owner: 'group:default/a' },
      { idempotencyKey: 'task-1:step-db', token: 'plugin-token' },
    );
    const headers = fetch.mock.calls[0][1]?.headers as Record<string, string>;
    expect(headers['Idempotency-Key']).toBe('task-1:step-db');
    expect(headers.Authorization).toBe('Bearer plugin-token');
    expect(headers['Content-Type']).toBe('application/json');
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
