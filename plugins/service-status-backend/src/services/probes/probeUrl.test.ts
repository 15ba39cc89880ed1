import http from 'node:http';
import { AddressInfo } from 'node:net';
import dns from 'node:dns';
import { probeUrl, ProbeUrlOptions } from './probeUrl';
import { isForbiddenAddress, isHostAllowed } from './addressPolicy';

describe('probeUrl', () => {
  let server: http.Server;
  let base: string;
  let port: number;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      switch (req.url) {
        case '/healthy':
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ status: 'ok' }));
          return;
        case '/degraded-body':
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ status: 'degraded' }));
          return;
        case '/db-degraded':
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              status: 'degraded',
              message:
                'connection limit nearly reached: 97 of 100 connections in use',
            }),
          );
          return;
        case '/unavailable-json':
          res.writeHead(503, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              status: 'DOWN',
              details: {
                db: { status: 'DOWN', message: 'too many connections' },
                disk: { status: 'UP' },
              },
            }),
          );
          return;
        case '/text-fail':
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.end('\n');
          return;
        case '/text-503':
          res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
          res.end('\nreplica lag 42 s exceeds 30 s\nmore detail\n');
          return;
        case '/html-502':
          res.writeHead(502, { 'content-type': 'text/html' });
          res.end('<!DOCTYPE html><html><body>Bad gateway</body></html>');
          return;
        case '/fail-200':
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ status: 'fail', output: 'queue is full' }));
          return;
        case '/slow':
          setTimeout(() => {
            res.writeHead(200);
            res.end('ok');
          }, 250);
          return;
        case '/hang':
          setTimeout(() => {
            res.writeHead(200);
            res.end('late');
          }, 3_000);
          return;
        case '/error':
          res.writeHead(500);
          res.end('boom');
          return;
        case '/redirect-ok':
          res.writeHead(302, { location: '/healthy' });
          res.end();
          return;
        case '/redirect-other-host':
          res.writeHead(302, { location: 'http://evil.example.com/healthy' });
          res.end();
          return;
        case '/redirect-metadata':
          res.writeHead(302, {
            location: 'http://169.254.169.254/latest/meta-data/',
          });
          res.end();
          return;
        case '/redirect-loop':
          res.writeHead(302, { location: '/redirect-loop' });
          res.end();
          return;
        default:
          res.writeHead(404);
          res.end();
      }
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise(resolve => server.close(resolve));
  });

  const options = (overrides?: Partial<ProbeUrlOptions>): ProbeUrlOptions => ({
    allow: ['127.0.0.1', 'localhost'],
    timeoutMs: 1_000,
    degradedLatencyMs: 200,
    maxRedirects: 3,
    ...overrides,
  });

  it('reports a fast 2xx as up with status and latency', async () => {
    const result = await probeUrl(`${base}/healthy`, options());
    expect(result).toEqual({
      state: 'up',
      httpStatus: 200,
      latencyMs: expect.any(Number),
    });
    expect(result.latencyMs).toBeLessThan(200);
  });

  it('reports a slow 2xx as degraded', async () => {
    const result = await probeUrl(`${base}/slow`, options());
    expect(result.state).toBe('degraded');
    expect(result.httpStatus).toBe(200);
    expect(result.latencyMs).toBeGreaterThanOrEqual(200);
    expect(result.error).toMatch(/^slow: \d+ ms \(over 200 ms\)$/);
  });

  it('reports a JSON body with status degraded as degraded', async () => {
    const result = await probeUrl(`${base}/degraded-body`, options());
    expect(result).toMatchObject({
      state: 'degraded',
      httpStatus: 200,
      error: 'health endpoint reports status degraded',
    });
  });

  it('reports HTTP 500 as down with the status and the body line in the error', async () => {
    const result = await probeUrl(`${base}/error`, options());
    expect(result).toMatchObject({
      state: 'down',
      httpStatus: 500,
      error: 'HTTP 500 Internal Server Error: boom',
    });
  });

  it("keeps a degraded endpoint's own message as the reason", async () => {
    const result = await probeUrl(`${base}/db-degraded`, options());
    expect(result).toEqual({
      state: 'degraded',
      httpStatus: 200,
      latencyMs: expect.any(Number),
      error: 'connection limit nearly reached: 97 of 100 connections in use',
    });
  });

  it('names the unhealthy details of a JSON body', async () => {
    const result = await probeUrl(`${base}/unavailable-json`, options());
    expect(result).toMatchObject({
      state: 'down',
      httpStatus: 503,
      error: 'HTTP 503 Service Unavailable: db: down: too many connections',
    });
  });

  it('takes the first non-empty line of a text body', async () => {
    const result = await probeUrl(`${base}/text-503`, options());
    expect(result.error).toBe(
      'HTTP 503 Service Unavailable: replica lag 42 s exceeds 30 s',
    );
    const blank = await probeUrl(`${base}/text-fail`, options());
    expect(blank).toMatchObject({ state: 'up', httpStatus: 200 });
  });

  it('does not quote HTML bodies', async () => {
    const result = await probeUrl(`${base}/html-502`, options());
    expect(result.error).toBe('HTTP 502 Bad Gateway');
  });

  it('reports a 2xx whose JSON body says fail as down, with its output', async () => {
    const result = await probeUrl(`${base}/fail-200`, options());
    expect(result).toMatchObject({
      state: 'down',
      httpStatus: 200,
      error: 'queue is full',
    });
  });

  it('times out', async () => {
    const started = Date.now();
    const result = await probeUrl(`${base}/hang`, options({ timeoutMs: 300 }));
    expect(result).toMatchObject({
      state: 'down',
      error: 'timed out after 300 ms',
    });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('follows a redirect within the allow list', async () => {
    const result = await probeUrl(`${base}/redirect-ok`, options());
    expect(result).toMatchObject({ state: 'up', httpStatus: 200 });
  });

  it('refuses a redirect to a host outside the allow list', async () => {
    const lookup = jest.fn();
    const result = await probeUrl(
      `${base}/redirect-other-host`,
      options({ lookup: lookup as unknown as typeof dns.lookup }),
    );
    expect(result).toEqual({
      state: 'down',
      error:
        'redirect refused: host evil.example.com is not in serviceStatus.probes.allow',
    });
    expect(lookup).not.toHaveBeenCalled();
  });

  it('refuses a redirect to the metadata address even when allowed', async () => {
    const result = await probeUrl(
      `${base}/redirect-metadata`,
      options({ allow: ['127.0.0.1', '169.254.169.254'] }),
    );
    expect(result.state).toBe('down');
    expect(result.error).toBe(
      'redirect refused: address 169.254.169.254 is link-local or a cloud metadata address',
    );
  });

  it('stops after maxRedirects', async () => {
    const result = await probeUrl(`${base}/redirect-loop`, options());
    expect(result).toMatchObject({
      state: 'down',
      httpStatus: 302,
      error: 'too many redirects (more than 3)',
    });
  });

  it('refuses hosts outside the allow list without connecting', async () => {
    const result = await probeUrl(
      `http://localhost:${port}/healthy`,
      options({ allow: ['127.0.0.1:1'] }),
    );
    expect(result).toEqual({
      state: 'down',
      error: `host localhost:${port} is not in serviceStatus.probes.allow`,
    });
  });

  it('honours host:port patterns', async () => {
    const result = await probeUrl(
      `${base}/healthy`,
      options({ allow: [`127.0.0.1:${port}`] }),
    );
    expect(result.state).toBe('up');
  });

  it('refuses a host name that resolves to a link-local address', async () => {
    const lookup = ((_host: string, _opts: unknown, cb: Function) =>
      cb(null, [{ address: '169.254.169.254', family: 4 }])) as any;
    const result = await probeUrl(
      'http://sneaky.internal.test/healthy',
      options({ allow: ['*.internal.test'], lookup }),
    );
    expect(result.state).toBe('down');
    expect(result.error).toContain(
      'host sneaky.internal.test resolves to 169.254.169.254',
    );
  });

  it('refuses metadata host names and non-http protocols', async () => {
    expect(
      await probeUrl(
        'http://metadata.google.internal/computeMetadata/v1/',
        options({ allow: ['metadata.google.internal'] }),
      ),
    ).toEqual({
      state: 'down',
      error: 'host metadata.google.internal is a cloud metadata address',
    });
    expect((await probeUrl('file:///etc/passwd', options())).error).toBe(
      'protocol file: is not allowed',
    );
    expect((await probeUrl('not a url', options())).error).toBe('invalid URL');
  });

  it('reports connection errors as down', async () => {
    const closed = http.createServer();
    await new Promise<void>(r => closed.listen(0, '127.0.0.1', r));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise(r => closed.close(r));
    const result = await probeUrl(
      `http://127.0.0.1:${freePort}/healthz`,
      options(),
    );
    expect(result.state).toBe('down');
    expect(result.error).toMatch(/^ECONNREFUSED/);
    expect(result.latencyMs).toBeUndefined();
  });
});

describe('address policy', () => {
  it.each([
    ['169.254.169.254', true],
    ['169.254.1.1', true],
    ['fe80::1', true],
    ['fd00:ec2::254', true],
    ['::ffff:169.254.169.254', true],
    ['::ffff:a9fe:a9fe', true],
    ['0.0.0.0', true],
    ['127.0.0.1', false],
    ['10.0.0.5', false],
    ['::1', false],
  ])('%s forbidden: %s', (address, expected) => {
    expect(isForbiddenAddress(address)).toBe(expected);
  });

  it('matches host, host:port and wildcard patterns', () => {
    const allow = ['localhost', 'api.example.com:8443', '*.svc.local'];
    expect(isHostAllowed(new URL('http://localhost:9/x'), allow)).toBe(true);
    expect(isHostAllowed(new URL('https://api.example.com:8443/'), allow)).toBe(
      true,
    );
    expect(isHostAllowed(new URL('https://api.example.com/'), allow)).toBe(
      false,
    );
    expect(isHostAllowed(new URL('http://a.b.svc.local/'), allow)).toBe(true);
    expect(isHostAllowed(new URL('http://svc.local/'), allow)).toBe(false);
    expect(isHostAllowed(new URL('http://evilsvc.local/'), allow)).toBe(false);
  });
});
