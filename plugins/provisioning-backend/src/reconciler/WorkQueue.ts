import PQueue from 'p-queue';

/**
 * This process's queue of resource ids to reconcile: `p-queue` with bounded concurrency, each id queued at
 * most once, delayed re-queues (backoff, pending drivers) and a graceful stop. The database claim/lease (in
 * the reconcile step) decides who actually works on a resource across replicas.
 * @internal
 */
export class WorkQueue {
  readonly #queue: PQueue;
  readonly #queued = new Set<string>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #work: (id: string) => Promise<void>;
  readonly #onError: (id: string, error: Error) => void;
  #stopped = false;

  constructor(options: {
    concurrency: number;
    /** Works on one id; rejections go to `onError`. */
    work: (id: string) => Promise<void>;
    onError: (id: string, error: Error) => void;
  }) {
    this.#queue = new PQueue({ concurrency: options.concurrency });
    this.#work = options.work;
    this.#onError = options.onError;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  /** Queues an id (no-op when it is already queued and not yet started, or after stop). */
  add(id: string): void {
    if (this.#stopped || this.#queued.has(id)) return;
    this.#queued.add(id);
    this.#queue
      .add(async () => {
        this.#queued.delete(id);
        if (this.#stopped) return;
        await this.#work(id);
      })
      .catch(e => this.#onError(id, e as Error));
  }

  /** Queues an id after `delayMs` (ms). */
  later(id: string, delayMs: number): void {
    if (this.#stopped) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.add(id);
    }, delayMs + 20);
    timer.unref?.();
    this.#timers.add(timer);
  }

  /** Resolves when nothing is queued or running (tests). */
  async idle(): Promise<void> {
    await this.#queue.onIdle();
  }

  /** Tracks other work (drift checks) so that `stop` waits for it too. */
  readonly #inflight = new Set<Promise<unknown>>();
  track<T>(work: Promise<T>): Promise<T> {
    this.#inflight.add(work);
    const done = () => this.#inflight.delete(work);
    work.then(done, done);
    return work;
  }

  /** Stops taking work and waits (at most `waitMs`, ms) for running work to finish. */
  async stop(waitMs: number): Promise<void> {
    this.#stopped = true;
    this.#queue.clear();
    this.#queued.clear();
    this.#timers.forEach(t => clearTimeout(t));
    this.#timers.clear();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([this.#queue.onIdle(), ...this.#inflight]),
      new Promise(resolve => {
        timer = setTimeout(resolve, waitMs);
      }),
    ]);
    clearTimeout(timer);
  }
}

/** Thrown when a driver call passes its timeout. @internal */
export class TimeoutError extends Error {
  name = 'TimeoutError';
}

/**
 * Runs `work` with an `AbortSignal` that aborts after `timeoutMs` (ms); rejects with {@link TimeoutError}
 * then, even if `work` ignores the signal.
 * @internal
 */
export async function withTimeout<T>(
  work: (signal: AbortSignal) => Promise<T>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const signal = AbortSignal.timeout(timeoutMs);
  let onAbort: () => void = () => undefined;
  const timeout = new Promise<never>((_, reject) => {
    onAbort = () =>
      reject(new TimeoutError(`${what} timed out after ${Math.round(timeoutMs / 1000)} s`));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work(signal), timeout]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
