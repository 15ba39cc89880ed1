/*
 * The development authenticator: the user is named by a request header, and must be a User
 * entity of the catalog; ownership comes from the catalog (the user and its groups).
 */
import { AuthenticationError, InputError } from '@backstage/errors';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  createProxyAuthenticator,
  SignInResolver,
} from '@backstage/plugin-auth-node';

/** Header naming the user to sign in as: `dana.ortiz` or `user:default/dana.ortiz`. */
export const DEV_USER_HEADER = 'x-paved-dev-user';

/** What the authenticator hands to the sign-in resolver. */
export interface PavedDevAuthResult {
  /** Full ref of the chosen user, e.g. `user:default/dana.ortiz`. */
  userEntityRef: string;
}

/** Parses the header value into a user ref; throws InputError for anything that is not a user. */
export function parseDevUser(value: string | undefined): string {
  if (!value) {
    throw new AuthenticationError(
      `Development sign-in needs the ${DEV_USER_HEADER} header naming a catalog user`,
    );
  }
  let ref;
  try {
    ref = parseEntityRef(value.trim(), {
      defaultKind: 'user',
      defaultNamespace: 'default',
    });
  } catch (error) {
    throw new InputError(`Invalid ${DEV_USER_HEADER}: ${String(error)}`);
  }
  if (ref.kind.toLocaleLowerCase('en-US') !== 'user') {
    throw new InputError(
      `Invalid ${DEV_USER_HEADER}: '${value}' is not a user (kind ${ref.kind})`,
    );
  }
  return stringifyEntityRef(ref);
}

export const pavedDevAuthenticator = createProxyAuthenticator({
  initialize() {
    return undefined;
  },
  async authenticate({ req }) {
    return {
      result: { userEntityRef: parseDevUser(req.header(DEV_USER_HEADER)) },
    };
  },
  async defaultProfileTransform(result: PavedDevAuthResult, ctx) {
    const { entity } = await ctx.findCatalogUser({
      entityRef: result.userEntityRef,
    });
    const profile = (entity.spec?.profile ?? {}) as {
      displayName?: string;
      email?: string;
      picture?: string;
    };
    return {
      profile: {
        displayName: profile.displayName ?? entity.metadata.name,
        email: profile.email,
        picture: profile.picture,
      },
    };
  },
});

/** Signs in as the chosen catalog user; unknown users are refused (NotFoundError from the catalog). */
export const signInAsCatalogUser: SignInResolver<PavedDevAuthResult> = async (
  { result },
  ctx,
) => ctx.signInWithCatalogUser({ entityRef: result.userEntityRef });
