/*
 * The development sign-in provider through the real auth backend.
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { JsonObject } from '@backstage/types';
import { decodeJwt } from 'jose';
import authPlugin from '@backstage/plugin-auth-backend';
import authModulePavedDevProvider from '.';
import { parseDevUser } from './authenticator';

const entities = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'priya.raman', namespace: 'default' },
    spec: {
      profile: { displayName: 'Priya Raman', email: 'priya@example.com' },
      memberOf: ['platform-team'],
    },
    relations: [{ type: 'memberOf', targetRef: 'group:default/platform-team' }],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'dana.ortiz', namespace: 'default' },
    spec: { memberOf: ['orders-team'] },
    relations: [{ type: 'memberOf', targetRef: 'group:default/orders-team' }],
  },
];

async function start(providers: JsonObject) {
  const { server } = await startTestBackend({
    features: [
      authPlugin,
      authModulePavedDevProvider,
      catalogServiceMock.factory({ entities }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          auth: { environment: 'development', providers },
        },
      }),
    ],
  });
  return server;
}

describe('paved-dev auth provider', () => {
  it('signs in as the catalog user named by the header, with its groups', async () => {
    const server = await start({ 'paved-dev': {} });
    const res = await request(server)
      .get('/api/auth/paved-dev/refresh')
      .set('x-paved-dev-user', 'priya.raman')
      .set('X-Requested-With', 'XMLHttpRequest');
    expect(res.status).toBe(200);
    expect(res.body.profile).toEqual(
      expect.objectContaining({ displayName: 'Priya Raman' }),
    );
    expect(res.body.backstageIdentity.identity).toEqual({
      type: 'user',
      userEntityRef: 'user:default/priya.raman',
      ownershipEntityRefs: expect.arrayContaining([
        'user:default/priya.raman',
        'group:default/platform-team',
      ]),
    });
    expect(decodeJwt(res.body.backstageIdentity.token).sub).toBe(
      'user:default/priya.raman',
    );

    const dana = await request(server)
      .get('/api/auth/paved-dev/refresh')
      .set('x-paved-dev-user', 'user:default/dana.ortiz')
      .set('X-Requested-With', 'XMLHttpRequest');
    expect(dana.status).toBe(200);
    expect(dana.body.backstageIdentity.identity.ownershipEntityRefs).toContain(
      'group:default/orders-team',
    );
  });

  it('refuses a missing header, a non-user ref and a user not in the catalog', async () => {
    const server = await start({ 'paved-dev': {} });
    const refresh = (user?: string) => {
      const r = request(server)
        .get('/api/auth/paved-dev/refresh')
        .set('X-Requested-With', 'XMLHttpRequest');
      return user ? r.set('x-paved-dev-user', user) : r;
    };
    expect((await refresh()).status).toBe(401);
    expect((await refresh('group:default/platform-team')).status).toBe(400);
    expect((await refresh('mallory')).status).toBe(404);
  });

  it('is not offered when auth.providers.paved-dev is not configured (production config)', async () => {
    const server = await start({});
    const res = await request(server)
      .get('/api/auth/paved-dev/refresh')
      .set('x-paved-dev-user', 'priya.raman')
      .set('X-Requested-With', 'XMLHttpRequest');
    expect(res.status).toBe(404);
  });

  it('parses user refs', () => {
    expect(parseDevUser(' dana.ortiz ')).toBe('user:default/dana.ortiz');
    expect(() => parseDevUser('component:default/x')).toThrow(/not a user/);
  });
});
