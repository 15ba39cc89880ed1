/*
 * Auth API for one demo user of the development sign-in provider (`auth.providers.paved-dev` in the
 * backend, packages/backend/src/modules/devSignIn): the session is the provider's refresh response.
 */
import {
  BackstageIdentityApi,
  BackstageIdentityResponse,
  DiscoveryApi,
  ProfileInfo,
  ProfileInfoApi,
  SessionApi,
  SessionState,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { Observable } from '@backstage/types';

/** Header the backend provider reads the user from. */
export const DEV_USER_HEADER = 'x-paved-dev-user';
/** Provider id of the backend module. */
export const DEV_PROVIDER_ID = 'paved-dev';
/** A session is renewed when it expires within this many milliseconds. */
const RENEW_BEFORE_MS = 60_000;

type Session = {
  profile: ProfileInfo;
  identity: BackstageIdentityResponse;
  /** Epoch milliseconds. */
  expiresAt: number;
};

/** The combined API the core SignInPage expects of a sign-in provider. */
export type DemoUserAuthApi = ProfileInfoApi &
  BackstageIdentityApi &
  SessionApi;

/** Options of {@link DemoUserAuth.create}. */
export interface DemoUserAuthOptions {
  discoveryApi: DiscoveryApi;
  /** User entity name or ref, e.g. `dana.ortiz`. */
  user: string;
  /** Injected for tests; defaults to the global fetch and clock. */
  fetch?: typeof fetch;
  now?: () => number;
}

export class DemoUserAuth implements DemoUserAuthApi {
  readonly #options: DemoUserAuthOptions;
  readonly #fetch: typeof fetch;
  readonly #now: () => number;
  #session: Session | undefined;
  #state: SessionState = SessionState.SignedOut;
  readonly #listeners = new Set<(state: SessionState) => void>();

  static create(options: DemoUserAuthOptions): DemoUserAuth {
    return new DemoUserAuth(options);
  }

  private constructor(options: DemoUserAuthOptions) {
    this.#options = options;
    // Plain fetch, as Backstage's own auth connectors do: fetchApi waits for a signed-in identity.
    this.#fetch = options.fetch ?? ((...args) => fetch(...args));
    this.#now = options.now ?? Date.now;
  }

  async getBackstageIdentity(options?: {
    optional?: boolean;
  }): Promise<BackstageIdentityResponse | undefined> {
    const session = await this.#getSession(options?.optional ?? false);
    return session?.identity;
  }

  async getProfile(options?: {
    optional?: boolean;
  }): Promise<ProfileInfo | undefined> {
    const session = await this.#getSession(options?.optional ?? false);
    return session?.profile;
  }

  async signIn(): Promise<void> {
    await this.#getSession(false);
  }

  async signOut(): Promise<void> {
    this.#session = undefined;
    this.#setState(SessionState.SignedOut);
  }

  sessionState$(): Observable<SessionState> {
    const listeners = this.#listeners;
    const current = () => this.#state;
    const observable: Observable<SessionState> = {
      [Symbol.observable]() {
        return observable;
      },
      subscribe(
        observerOrNext?:
          | ((state: SessionState) => void)
          | { next?(state: SessionState): void },
      ) {
        const next =
          typeof observerOrNext === 'function'
            ? observerOrNext
            : (state: SessionState) => observerOrNext?.next?.(state);
        listeners.add(next);
        next(current());
        let closed = false;
        return {
          get closed() {
            return closed;
          },
          unsubscribe() {
            closed = true;
            listeners.delete(next);
          },
        };
      },
    } as Observable<SessionState>;
    return observable;
  }

  async #getSession(optional: boolean): Promise<Session | undefined> {
    if (
      this.#session &&
      this.#session.expiresAt - RENEW_BEFORE_MS > this.#now()
    ) {
      return this.#session;
    }
    try {
      this.#session = await this.#refresh();
      this.#setState(SessionState.SignedIn);
      return this.#session;
    } catch (error) {
      this.#session = undefined;
      this.#setState(SessionState.SignedOut);
      if (optional) {
        return undefined;
      }
      throw error;
    }
  }

  async #refresh(): Promise<Session> {
    const base = await this.#options.discoveryApi.getBaseUrl('auth');
    const res = await this.#fetch(`${base}/${DEV_PROVIDER_ID}/refresh`, {
      headers: {
        [DEV_USER_HEADER]: this.#options.user,
        'X-Requested-With': 'XMLHttpRequest',
      },
      credentials: 'include',
    });
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    const body = (await res.json()) as {
      profile: ProfileInfo;
      backstageIdentity: BackstageIdentityResponse & {
        expiresInSeconds?: number;
      };
    };
    const expiresInSeconds = body.backstageIdentity.expiresInSeconds ?? 3600;
    return {
      profile: body.profile,
      identity: body.backstageIdentity,
      expiresAt: this.#now() + expiresInSeconds * 1000,
    };
  }

  #setState(state: SessionState) {
    if (state === this.#state) {
      return;
    }
    this.#state = state;
    for (const listener of this.#listeners) {
      listener(state);
    }
  }
}
