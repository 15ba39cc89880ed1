/*
 * The repository's app-config*.yaml files as the backend loads them, with the environment of a
 * fresh deployment: empty passwords (trust auth) and no git host tokens.
 */
import { ConfigSources, FileConfigSource } from '@backstage/config-loader';
import { Config } from '@backstage/config';
import { readPostgresDriverConfig } from '@paved/backstage-plugin-provisioning-backend-module-postgres';
import { ScmIntegrations } from '@backstage/integration';
import { resolve } from 'path';
import { discoveryConfigured } from './modules/gitHosts';

const root = resolve(__dirname, '../../..');

async function load(
  files: string[],
  env: Record<string, string | undefined>,
): Promise<Config> {
  const source = ConfigSources.merge(
    files.map(file =>
      FileConfigSource.create({
        path: resolve(root, file),
        watch: false,
        substitutionFunc: async name => env[name],
      }),
    ),
  );
  const config = await ConfigSources.toConfig(source);
  config.close();
  return config;
}

describe('app-config files', () => {
  it('an empty POSTGRES_PASSWORD / PAVED_EMBEDDED_PG_PASSWORD leaves the password unset, so the postgres driver loads', async () => {
    const config = await load(['app-config.yaml', 'app-config.postgres.yaml'], {
      POSTGRES_HOST: '127.0.0.1',
      POSTGRES_PORT: '5432',
      POSTGRES_USER: 'postgres',
      POSTGRES_PASSWORD: '',
      PAVED_EMBEDDED_PG_PASSWORD: '',
    });
    expect(config.getOptional('backend.database.connection.password')).toBe(
      undefined,
    );
    const driver = readPostgresDriverConfig(config);
    expect(driver?.connection).toEqual(
      expect.objectContaining({ host: '127.0.0.1', password: undefined }),
    );
  });

  it('a set password is used as is', async () => {
    const config = await load(['app-config.yaml', 'app-config.postgres.yaml'], {
      POSTGRES_PASSWORD: 's3cret',
      PAVED_EMBEDDED_PG_PASSWORD: 'embedded',
    });
    expect(config.getString('backend.database.connection.password')).toBe(
      's3cret',
    );
    expect(readPostgresDriverConfig(config)?.connection.password).toBe(
      'embedded',
    );
  });

  describe('app-config.production.yaml git hosts', () => {
    const files = ['app-config.yaml', 'app-config.production.yaml'];

    it('with nothing set: anonymous integrations, no discovery', async () => {
      const config = await load(files, {});
      const integrations = ScmIntegrations.fromConfig(config);
      expect(integrations.github.byHost('github.com')?.config.token).toBe(
        undefined,
      );
      expect(integrations.gitlab.byHost('gitlab.com')).toBeDefined();
      expect(discoveryConfigured(config, 'github').enabled).toBe(false);
      expect(discoveryConfigured(config, 'gitlab').enabled).toBe(false);
    });

    it('GITHUB_* and GITLAB_* turn on the integrations and discovery', async () => {
      const config = await load(files, {
        GITHUB_TOKEN: 'ghp_x',
        GITHUB_ORG: 'brightcart',
        GITLAB_HOST: 'gitlab.brightcart.example',
        GITLAB_TOKEN: 'glpat-x',
        GITLAB_GROUP: 'platform',
      });
      const integrations = ScmIntegrations.fromConfig(config);
      expect(integrations.github.byHost('github.com')?.config.token).toBe(
        'ghp_x',
      );
      expect(
        integrations.gitlab.byHost('gitlab.brightcart.example')?.config,
      ).toEqual(
        expect.objectContaining({
          token: 'glpat-x',
          apiBaseUrl: 'https://gitlab.brightcart.example/api/v4',
        }),
      );
      expect(discoveryConfigured(config, 'github')).toEqual({
        enabled: true,
        incomplete: [],
      });
      expect(config.getString('catalog.providers.gitlab.paved.host')).toBe(
        'gitlab.brightcart.example',
      );
      expect(discoveryConfigured(config, 'gitlab').enabled).toBe(true);
    });

    it('the development config has no git host configuration', async () => {
      const config = await load(['app-config.yaml'], {});
      expect(discoveryConfigured(config, 'github')).toEqual({
        enabled: false,
        incomplete: [],
      });
    });
  });
});
