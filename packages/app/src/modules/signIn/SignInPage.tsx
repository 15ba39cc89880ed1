/*
 * The sign-in page: the guest card as before ("Enter", signs in as Dana), plus in development
 * (`auth.environment: development`) one card per demo user. Production shows the guest card only,
 * as Backstage's default sign-in page does.
 */
import {
  SignInPage as CoreSignInPage,
  SignInProviderConfig,
} from '@backstage/core-components';
import {
  configApiRef,
  SignInPageProps,
  useApi,
} from '@backstage/core-plugin-api';
import { demoUsers } from './demoUsers';

/** Demo-user providers of the page, when the app runs against a development backend. */
export function demoUserProviders(
  authEnvironment: string | undefined,
): SignInProviderConfig[] {
  if (authEnvironment !== 'development') {
    return [];
  }
  return demoUsers.map(u => ({
    id: `paved-dev-${u.user}`,
    title: u.title,
    message: u.message,
    apiRef: u.apiRef,
  }));
}

export function SignInPage(props: SignInPageProps) {
  const configApi = useApi(configApiRef);
  const providers = demoUserProviders(
    configApi.getOptionalString('auth.environment'),
  );
  return <CoreSignInPage {...props} providers={['guest', ...providers]} />;
}
