/*
 * The sign-in page (guest card kept, demo users in development only) and the demo user auth API.
 */
import { screen } from '@testing-library/react';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import { configApiRef, discoveryApiRef } from '@backstage/core-plugin-api';
import { SessionState } from '@backstage/core-plugin-api';
import { SignInPage, demoUserProviders } from './SignInPage';
import { DemoUserAuth } from './DemoUserAuth';
import { demoUsers } from './demoUsers';

const discoveryApi = {
  getBaseUrl: async (pluginId: string) => `http://backend/api/${pluginId}`,
};

function refreshResponse(user: string, expiresInSeconds = 3600) {
  return new Response(
    JSON.stringify({
      profile: { displayName: user },
      backstageIdentity: {
        token: `token-${user}`,
        expiresInSeconds,
        identity: {
          type: 'user',
          userEntityRef: `user:default/${user}`,
          ownershipEntityRefs: [`user:default/${user}`],
        },
      },
    }),
    { status: 200, headers: { 'content-type': 'application/json' } },
  );
}

const demoUserApis = demoUsers.map(
  u => [u.apiRef, DemoUserAuth.create({ discoveryApi, user: u.user })] as const,
);

const page = (environment: string) => (
  <TestApiProvider
    apis={[
      [
        configApiRef,
        mockApis.config({
          data: {
            app: { title: 'Paved' },
            backend: { baseUrl: 'http://backend' },
            auth: { environment },
          },
        }),
      ],
      [discoveryApiRef, discoveryApi],
      ...demoUserApis,
    ]}
  >
    <SignInPage onSignInSuccess={jest.fn()} />
  </TestApiProvider>
);


// The first render of the core SignInPage loads its components; slow on a busy 2-core machine.
jest.setTimeout(30_000);

describe('SignInPage', () => {
  it('in development: the guest card with Enter, and a card per demo user', async () => {
    await renderInTestApp(page('development'));
    expect(
      await screen.findByRole('button', { name: 'Enter' }),
    ).toBeInTheDocument();
    expect(screen.getByText('Dana Ortiz (orders team)')).toBeInTheDocument();
    expect(screen.getByText('Priya Raman (platform team)')).toBeInTheDocument();
    expect(screen.getAllByRole('button', { name: 'Sign In' })).toHaveLength(
      demoUsers.length,
    );
  });

  it('in production: the guest card only, as the default page', async () => {
    await renderInTestApp(page('production'));
    expect(
      await screen.findByRole('button', { name: 'Enter' }),
    ).toBeInTheDocument();
    expect(screen.queryByText('Priya Raman (platform team)')).toBeNull();
    expect(demoUserProviders(undefined)).toEqual([]);
  });
});

describe('DemoUserAuth', () => {
  it('signs in through the paved-dev provider with the user header, and reuses the session', async () => {
    const fetch = jest.fn(async () => refreshResponse('priya.raman'));
    const auth = DemoUserAuth.create({
      discoveryApi,
      user: 'priya.raman',
      fetch,
    });
    const states: SessionState[] = [];
    auth.sessionState$().subscribe(s => states.push(s));

    const identity = await auth.getBackstageIdentity();
    expect(identity?.identity.userEntityRef).toBe('user:default/priya.raman');
    expect(await auth.getProfile()).toEqual({ displayName: 'priya.raman' });
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/auth/paved-dev/refresh',
      expect.objectContaining({
        credentials: 'include',
        headers: expect.objectContaining({ 'x-paved-dev-user': 'priya.raman' }),
      }),
    );
    await auth.signOut();
    expect(states).toEqual([
      SessionState.SignedOut,
      SessionState.SignedIn,
      SessionState.SignedOut,
    ]);
  });

  it('renews a session about to expire (injected clock)', async () => {
    let now = 0;
    const fetch = jest.fn(async () => refreshResponse('dana.ortiz', 120));
    const auth = DemoUserAuth.create({
      discoveryApi,
      user: 'dana.ortiz',
      fetch,
      now: () => now,
    });
    await auth.getBackstageIdentity();
    now = 30_000;
    await auth.getBackstageIdentity();
    expect(fetch).toHaveBeenCalledTimes(1);
    now = 70_000; // within 60 s of the 120 s expiry
    await auth.getBackstageIdentity();
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('optional: no session is undefined; otherwise the backend error is thrown', async () => {
    const fetch = jest.fn(
      async () =>
        new Response(
          JSON.stringify({
            error: { name: 'NotFoundError', message: 'no user' },
          }),
          {
            status: 404,
            headers: { 'content-type': 'application/json' },
          },
        ),
    );
    const auth = DemoUserAuth.create({ discoveryApi, user: 'mallory', fetch });
    expect(await auth.getBackstageIdentity({ optional: true })).toBeUndefined();
    await expect(auth.getBackstageIdentity()).rejects.toThrow(/404/);
  });
});
