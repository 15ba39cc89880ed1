/*
 * The start-up lock against the real PostgreSQL server (PAVED_TEST_POSTGRES_URL), and its config.
 */
import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import { PgStartupLock } from './PgStartupLock';
import {
  DEFAULT_STARTUP_LOCK_TIMEOUT_MS,
  readStartupLockConfig,
} from './databaseServiceFactory';

const pgUrl = process.env.PAVED_TEST_POSTGRES_URL;
const describePg = pgUrl ? describe : describe.skip;

describe('readStartupLockConfig', () => {
  it('is off for SQLite', () => {
    expect(
      readStartupLockConfig(
        new ConfigReader({ client: 'better-sqlite3', connection: ':memory:' }),
      ),
    ).toBeUndefined();
  });

  it('is on for PostgreSQL, one lock per prefix, on the configured database or postgres', () => {
    expect(
      readStartupLockConfig(
        new ConfigReader({
          client: 'pg',
          prefix: 'acme_',
          connection: { host: 'db', port: '5433', user: 'u', password: 'p' },
        }),
      ),
    ).toEqual({
      enabled: true,
      name: 'paved-backend-startup:acme_',
      timeoutMs: DEFAULT_STARTUP_LOCK_TIMEOUT_MS,
      connection: expect.objectContaining({
        host: 'db',
        port: 5433,
        user: 'u',
        password: 'p',
        database: 'postgres',
      }),
    });
    expect(
      readStartupLockConfig(
        new ConfigReader({
          client: 'pg',
          connection: 'postgresql://u@db/shared',
          startupLock: { timeout: { minutes: 2 } },
        }),
      ),
    ).toEqual(
      expect.objectContaining({
        name: 'paved-backend-startup:backstage_plugin_',
        timeoutMs: 120_000,
        connection: { connectionString: 'postgresql://u@db/shared' },
      }),
    );
  });

  it('can be turned off', () => {
    expect(
      readStartupLockConfig(
        new ConfigReader({
          client: 'pg',
          connection: {},
          startupLock: { enabled: false },
        }),
      ),
    ).toBeUndefined();
  });
});

describePg('PgStartupLock on PostgreSQL', () => {
  const name = `paved-startup-lock-test:${process.pid}:${Math.random()}`;
  const connection = { connectionString: `${pgUrl}/postgres` };
  const logger = mockServices.logger.mock();

  it('a second process waits until the first releases, then takes the lock', async () => {
    const first = PgStartupLock.create({
      connection,
      name,
      timeoutMs: 60_000,
      logger,
    });
    const second = PgStartupLock.create({
      connection,
      name,
      timeoutMs: 60_000,
      pollIntervalMs: 10,
      logger,
    });
    await first.acquire();
    // acquire() is idempotent within a process: every plugin calls it.
    await Promise.all([first.acquire(), first.acquire()]);
    expect(first.held).toBe(true);

    let secondDone = false;
    const secondAcquired = second.acquire().then(() => {
      secondDone = true;
    });
    await new Promise(r => setTimeout(r, 200));
    expect(secondDone).toBe(false);

    await first.release();
    await secondAcquired;
    expect(second.held).toBe(true);
    await second.release();
    expect(second.held).toBe(false);
    // After release (the backend has started), later database clients do not wait.
    await second.acquire();
    expect(second.held).toBe(false);
  });

  it('gives up with a clear error after the timeout (injected clock)', async () => {
    const holder = PgStartupLock.create({
      connection,
      name,
      timeoutMs: 60_000,
      logger,
    });
    await holder.acquire();
    let now = 0;
    const waiter = PgStartupLock.create({
      connection,
      name,
      timeoutMs: 5_000,
      pollIntervalMs: 1_000,
      logger,
      now: () => now,
      sleep: async ms => {
        now += ms;
      },
    });
    await expect(waiter.acquire()).rejects.toThrow(
      /held the start-up lock .* for more than 5000 ms/,
    );
    expect(now).toBe(5_000);
    await holder.release();
    // The lock is free again: a new attempt succeeds.
    await waiter.acquire();
    expect(waiter.held).toBe(true);
    await waiter.release();
  });
});
