import { ConfigReader } from '@backstage/config';
import { readPostgresDriverConfig } from './config';

describe('readPostgresDriverConfig', () => {
  it('is undefined without a connection', () => {
    expect(readPostgresDriverConfig(new ConfigReader({}))).toBeUndefined();
    expect(
      readPostgresDriverConfig(
        new ConfigReader({ provisioning: { drivers: { postgres: {} } } }),
      ),
    ).toBeUndefined();
  });

  it('applies defaults', () => {
    expect(
      readPostgresDriverConfig(
        new ConfigReader({
          provisioning: {
            drivers: {
              postgres: { connection: { host: 'db', user: 'admin' } },
            },
          },
        }),
      ),
    ).toEqual({
      connection: {
        host: 'db',
        port: 5432,
        user: 'admin',
        password: undefined,
        database: 'postgres',
      },
      publicHost: 'db',
      publicPort: 5432,
      connectionLimits: { small: 10, medium: 25, large: 50 },
      defaultConnectionLimit: 10,
    });
  });

  it('reads everything and merges connection limits over the defaults', () => {
    const config = readPostgresDriverConfig(
      new ConfigReader({
        provisioning: {
          drivers: {
            postgres: {
              connection: {
                host: '127.0.0.1',
                port: 54329,
                user: 'postgres',
                password: 's3cret',
                database: 'admin',
              },
              publicHost: 'db.example.com',
              publicPort: 6432,
              connectionLimits: { large: 100, xlarge: 200 },
              defaultConnectionLimit: 5,
            },
          },
        },
      }),
    );
    expect(config).toMatchObject({
      connection: { port: 54329, password: 's3cret', database: 'admin' },
      publicHost: 'db.example.com',
      publicPort: 6432,
      connectionLimits: { small: 10, medium: 25, large: 100, xlarge: 200 },
      defaultConnectionLimit: 5,
    });
  });

  it('rejects invalid limits', () => {
    expect(() =>
      readPostgresDriverConfig(
        new ConfigReader({
          provisioning: {
            drivers: {
              postgres: {
                connection: { host: 'db', user: 'admin' },
                connectionLimits: { small: 0 },
              },
            },
          },
        }),
      ),
    ).toThrow(/connectionLimits.small/);
  });
});
