import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { MemoryDriver } from '../__testUtils__/MemoryDriver';
import { startProvisioningTestBackend } from '../__testUtils__/testBackend';

jest.setTimeout(60_000);

const base = '/api/provisioning/v1';

describe('POST /v1/signal-echo', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const signals = { publish: jest.fn(async () => {}) };
  let server: any;
  let backend: { stop(): Promise<void> };

  beforeAll(async () => {
    const knex = await databases.init('SQLITE_3');
    const started = await startProvisioningTestBackend({
      knex,
      driver: new MemoryDriver(),
      signals,
    });
    server = started.server;
    backend = started;
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it('publishes the nonce to the calling user only, on the resource channel', async () => {
    const res = await request(server)
      .post(`${base}/signal-echo`)
      .set('Authorization', mockCredentials.user.header('user:default/dana'))
      .send({ nonce: 'tab-1234-abcd' });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ nonce: 'tab-1234-abcd' });
    expect(signals.publish).toHaveBeenCalledWith({
      recipients: { type: 'user', entityRef: 'user:default/dana' },
      channel: 'provisioning:resource',
      message: { echo: 'tab-1234-abcd' },
    });
  });

  it('refuses a malformed nonce with 400, services with 403 and anonymous callers with 401', async () => {
    signals.publish.mockClear();
    const bad = await request(server)
      .post(`${base}/signal-echo`)
      .set('Authorization', mockCredentials.user.header('user:default/dana'))
      .send({ nonce: 'x' });
    expect(bad.status).toBe(400);
    const service = await request(server)
      .post(`${base}/signal-echo`)
      .set('Authorization', mockCredentials.service.header())
      .send({ nonce: 'tab-1234-abcd' });
    expect(service.status).toBe(403);
    const anonymous = await request(server)
      .post(`${base}/signal-echo`)
      .send({ nonce: 'tab-1234-abcd' });
    expect(anonymous.status).toBe(401);
    expect(signals.publish).not.toHaveBeenCalled();
  });
});
