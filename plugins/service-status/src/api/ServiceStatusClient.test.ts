import { ResponseError } from '@backstage/errors';
import { ServiceStatusClient } from './ServiceStatusClient';

function jsonResponse(status: number, body: unknown) {
  return new Response(JSON.stringify(body), {
    status,
    statusText: status === 200 ? 'OK' : 'Error',
    headers: { 'Content-Type': 'application/json' },
  });
}

describe('ServiceStatusClient', () => {
  const discoveryApi = {
    getBaseUrl: jest.fn(async () => 'http://backend/api/service-status'),
  };
  const fetch = jest.fn<Promise<Response>, [string, RequestInit?]>();
  const client = new ServiceStatusClient({
    discoveryApi,
    fetchApi: { fetch: fetch as unknown as typeof globalThis.fetch },
  });

  beforeEach(() => {
    fetch.mockReset();
  });

  it('gets the status of one entity by ref', async () => {
    fetch.mockResolvedValue(jsonResponse(200, { entityRef: 'x', state: 'up' }));
    await expect(
      client.getEntityStatus('component:default/orders-api'),
    ).resolves.toEqual({ entityRef: 'x', state: 'up' });
    expect(discoveryApi.getBaseUrl).toHaveBeenCalledWith('service-status');
    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/service-status/v1/status?entityRef=component%3Adefault%2Forders-api',
      expect.objectContaining({ method: 'GET' }),
    );
  });

  it('passes repeated filters, cursor and limit to the overview', async () => {
    fetch.mockResolvedValue(jsonResponse(200, { items: [] }));
    await client.listStatuses({
      owner: ['group:default/orders-team', 'group:default/payments-team'],
      state: ['down', 'degraded'],
      cursor: 'abc',
      limit: 50,
    });
    const url = new URL(fetch.mock.calls[0][0]);
    expect(url.pathname).toBe('/api/service-status/v1/statuses');
    expect(url.searchParams.getAll('owner')).toEqual([
      'group:default/orders-team',
      'group:default/payments-team',
    ]);
    expect(url.searchParams.getAll('state')).toEqual(['down', 'degraded']);
    expect(url.searchParams.get('cursor')).toBe('abc');
    expect(url.searchParams.get('limit')).toBe('50');
    expect(url.searchParams.has('system')).toBe(false);
  });

  it('asks for history with a number of hours', async () => {
    fetch.mockResolvedValue(jsonResponse(200, { uptime: [] }));
    await client.getEntityHistory('component:default/a', { hours: 168 });
    const url = new URL(fetch.mock.calls[0][0]);
    expect(url.pathname).toBe('/api/service-status/v1/history');
    expect(url.searchParams.get('hours')).toBe('168');
  });

  it('posts incident actions as JSON', async () => {
    fetch.mockImplementation(async () => jsonResponse(200, { id: 'i-1' }));
    await client.openIncident({
      entityRef: 'component:default/a',
      title: 'Errors',
      severity: 'sev2',
      message: 'Looking',
    });
    await client.updateIncident('i/1', { message: 'Fixed', state: 'monitoring' });
    await client.resolveIncident('i-1');
    expect(fetch.mock.calls.map(([url, init]) => [url, init?.method, init?.body])).toEqual([
      [
        'http://backend/api/service-status/v1/incidents',
        'POST',
        JSON.stringify({
          entityRef: 'component:default/a',
          title: 'Errors',
          severity: 'sev2',
          message: 'Looking',
        }),
      ],
      [
        'http://backend/api/service-status/v1/incidents/i%2F1',
        'PATCH',
        JSON.stringify({ message: 'Fixed', state: 'monitoring' }),
      ],
      ['http://backend/api/service-status/v1/incidents/i-1/resolve', 'POST', '{}'],
    ]);
    expect(fetch.mock.calls[0][1]?.headers).toEqual({
      'Content-Type': 'application/json',
    });
  });

  it('throws a ResponseError with the server message on failure', async () => {
    fetch.mockResolvedValue(
      jsonResponse(403, {
        error: { name: 'NotAllowedError', message: 'Not an owner' },
        request: { method: 'POST', url: '/v1/incidents' },
        response: { statusCode: 403 },
      }),
    );
    const error = await client
      .openIncident({
        entityRef: 'component:default/a',
        title: 't',
        severity: 'sev3',
        message: 'm',
      })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(403);
    expect(error.cause.message).toBe('Not an owner');
  });
});
