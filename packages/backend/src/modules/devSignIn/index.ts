/*
 * `auth-backend-module-paved-dev-provider`: development sign-in as any User entity of the catalog
 * (the demo users), so both sides of an approval can be tried in one portal.
 *
 * Registered by packages/backend/src/index.ts only when NODE_ENV is not `production`, and active
 * only when `auth.providers.paved-dev` is configured (app-config.yaml does, app-config.production.yaml
 * does not). The frontend (packages/app/src/modules/signIn) calls
 * `GET /api/auth/paved-dev/refresh` with the `x-paved-dev-user` header naming the user.
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  authProvidersExtensionPoint,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';
import { pavedDevAuthenticator, signInAsCatalogUser } from './authenticator';

export {
  pavedDevAuthenticator,
  signInAsCatalogUser,
  DEV_USER_HEADER,
} from './authenticator';

/** The auth provider id: `auth.providers.paved-dev`, `/api/auth/paved-dev/refresh`. */
export const PAVED_DEV_PROVIDER_ID = 'paved-dev';

export const authModulePavedDevProvider = createBackendModule({
  pluginId: 'auth',
  moduleId: 'paved-dev-provider',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ providers, config, logger }) {
        // Defence in depth beside index.ts's NODE_ENV check: never in a production auth environment.
        if (config.getOptionalString('auth.environment') === 'production') {
          logger.warn(
            `The ${PAVED_DEV_PROVIDER_ID} sign-in provider is for development only; not registered because auth.environment is production`,
          );
          return;
        }
        providers.registerProvider({
          providerId: PAVED_DEV_PROVIDER_ID,
          factory: createProxyAuthProviderFactory({
            authenticator: pavedDevAuthenticator,
            signInResolver: signInAsCatalogUser,
          }),
        });
      },
    });
  },
});

export default authModulePavedDevProvider;
