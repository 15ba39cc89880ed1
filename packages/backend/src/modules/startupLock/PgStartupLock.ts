/*
 * A PostgreSQL session advisory lock that serialises the start-up of backend replicas sharing one
 * database server, so that only one replica at a time runs Backstage's plugin migrations.
 */
import { Client, ClientConfig } from 'pg';
import { LoggerService } from '@backstage/backend-plugin-api';

/** Options of {@link PgStartupLock.create}. */
export interface PgStartupLockOptions {
  /** Connection to the server (any database on it; advisory locks are per database). */
  connection: ClientConfig;
  /** Lock name; replicas using the same name (e.g. the same database prefix) wait for each other. */
  name: string;
  /** Longest time to wait for another replica's start-up, in milliseconds. */
  timeoutMs: number;
  /** Time between two attempts while another replica holds the lock, in milliseconds (default 500). */
  pollIntervalMs?: number;
  logger: LoggerService;
  /** Injected clock and sleep (tests). */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

type State =
  | { kind: 'idle' }
  | { kind: 'acquiring'; promise: Promise<void> }
  | { kind: 'held'; client: Client }
  | { kind: 'released' };

/**
 * One start-up lock per backend process. `acquire()` may be called by every plugin: the first call
 * takes the lock (waiting while another replica holds it), the others wait for that; after
 * `release()` (the backend has started) `acquire()` returns at once.
 */
export class PgStartupLock {
  readonly #options: Required<Omit<PgStartupLockOptions, 'now' | 'sleep'>>;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  #state: State = { kind: 'idle' };

  static create(options: PgStartupLockOptions): PgStartupLock {
    return new PgStartupLock(options);
  }

  private constructor(options: PgStartupLockOptions) {
    this.#options = { pollIntervalMs: 500, ...options };
    this.#now = options.now ?? Date.now;
    this.#sleep =
      options.sleep ?? (ms => new Promise(resolve => setTimeout(resolve, ms)));
  }

  /** Whether this process holds the lock now. */
  get held(): boolean {
    return this.#state.kind === 'held';
  }

  async acquire(): Promise<void> {
    switch (this.#state.kind) {
      case 'held':
      case 'released':
        return;
      case 'acquiring':
        await this.#state.promise;
        return;
      default: {
        const promise = this.#take();
        this.#state = { kind: 'acquiring', promise };
        try {
          await promise;
        } catch (error) {
          this.#state = { kind: 'idle' };
          throw error;
        }
      }
    }
  }

  /** Releases the lock (or makes a later `acquire()` a no-op when it was never taken). */
  async release(): Promise<void> {
    const state = this.#state;
    if (state.kind === 'acquiring') {
      await state.promise.catch(() => undefined);
      await this.release();
      return;
    }
    this.#state = { kind: 'released' };
    if (state.kind === 'held') {
      await state.client
        .query('SELECT pg_advisory_unlock(hashtext($1))', [this.#options.name])
        .catch(() => undefined);
      await state.client.end().catch(() => undefined);
    }
  }

  async #take(): Promise<void> {
    const { connection, name, timeoutMs, pollIntervalMs, logger } =
      this.#options;
    const client = new Client(connection);
    // A lost connection ends the session and frees the lock; the process is ending or broken then.
    client.on('error', error =>
      logger.warn(`Start-up lock connection failed: ${error.message}`),
    );
    await client.connect();
    const started = this.#now();
    let waiting = false;
    try {
      for (;;) {
        const { rows } = await client.query<{ locked: boolean }>(
          'SELECT pg_try_advisory_lock(hashtext($1)) AS locked',
          [name],
        );
        if (rows[0]?.locked) {
          this.#state = { kind: 'held', client };
          if (waiting) {
            logger.info(
              `Start-up lock '${name}' taken after ${this.#now() - started} ms`,
            );
          }
          return;
        }
        const waited = this.#now() - started;
        if (waited >= timeoutMs) {
          throw new Error(
            `Another backend replica held the start-up lock '${name}' for more than ${timeoutMs} ms; ` +
              'it may be stuck. Stop it or raise backend.database.startupLock.timeout.',
          );
        }
        if (!waiting) {
          waiting = true;
          logger.info(
            `Waiting for another backend replica to finish starting (start-up lock '${name}')`,
          );
        }
        await this.#sleep(Math.min(pollIntervalMs, timeoutMs - waited));
      }
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
  }
}
