/*
 * The repository's app-config*.yaml files as the backend loads them, with the environment of a
 * fresh deployment: empty passwords (trust auth) and no git host tokens.
 */
import { ConfigSources, FileConfigSource } from '@backstage/config-loader';
import { Config } from '@backstage/config';
import { readPostgresDriverConfig } from '@paved/backstage-plugin-provisioning-backend-module-postgres';
import { resolve } from 'path';

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
});
