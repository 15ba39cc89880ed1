/*
 * App module: the Paved sign-in page (replaces the app plugin's default `sign-in-page:app`) and
 * the auth APIs of the development demo users.
 */
import {
  ApiBlueprint,
  createFrontendModule,
  discoveryApiRef,
} from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';
import { DemoUserAuth } from './DemoUserAuth';
import { demoUsers } from './demoUsers';

const signInPage = SignInPageBlueprint.make({
  params: {
    loader: async () => (await import('./SignInPage')).SignInPage,
  },
});

const demoUserApis = demoUsers.map(u =>
  ApiBlueprint.make({
    name: `dev-sign-in-${u.user.replace(/[^a-z0-9]/g, '-')}`,
    params: defineParams =>
      defineParams({
        api: u.apiRef,
        deps: { discoveryApi: discoveryApiRef },
        factory: ({ discoveryApi }) =>
          DemoUserAuth.create({ discoveryApi, user: u.user }),
      }),
  }),
);

export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [signInPage, ...demoUserApis],
});
