import { LoggerService } from '@backstage/backend-plugin-api';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { ProvisioningConfig } from '../config';
import type { ResourceStore } from '../database/types';
import type { SecretsCipher } from '../secrets/SecretsCipher';
import type { TransitionRunner } from '../service/TransitionRunner';
import type { TypeRegistry } from '../service/TypeRegistry';
import { DriftChecker, type UtilisationListener } from './DriftChecker';
import { ReconcileStep } from './ReconcileStep';
import { WorkQueue } from './WorkQueue';

export { backoffMs, RECONCILER_ACTOR, scrubSecrets } from './ReconcileStep';

/**
 * Drives resources through their lifecycle: a {@link WorkQueue} in this process, the database claim with a
 * renewed lease around each {@link ReconcileStep} (so any number of replicas, and restarts after a crash, can
 * share the work: a claim whose lease expired is picked up again, and drivers are idempotent), and the
 * {@link DriftChecker}.
 * @internal
 */
export class Reconciler {
  readonly #store: ResourceStore;
  readonly #logger: LoggerService;
  readonly #options: ProvisioningConfig['reconciler'];
  readonly #queue: WorkQueue;
  readonly #step: ReconcileStep;
  readonly #drift: DriftChecker;
  /** Identifies this process in claims. */
  readonly workerId: string;

  constructor(options: {
    store: ResourceStore;
    types: TypeRegistry;
    cipher: SecretsCipher;
    runner: TransitionRunner;
    logger: LoggerService;
    config: ProvisioningConfig['reconciler'];
    concurrency?: number;
    /** Receives the utilisation drivers measure during drift checks (rightsizing); optional. */
    onUtilisation?: UtilisationListener;
  }) {
    this.#store = options.store;
    this.#logger = options.logger;
    this.#options = options.config;
    this.workerId = `${os.hostname()}:${process.pid}:${randomUUID()}`;
    const concurrency = options.concurrency ?? 8;
    const shared = {
      store: options.store,
      types: options.types,
      cipher: options.cipher,
      runner: options.runner,
      logger: options.logger,
      config: options.config,
      workerId: this.workerId,
    };
    this.#step = new ReconcileStep(shared);
    this.#drift = new DriftChecker({ ...shared, concurrency, onUtilisation: options.onUtilisation });
    this.#queue = new WorkQueue({
      concurrency,
      work: async id => {
        await this.processOne(id);
      },
      onError: (id, e) => this.#logger.error(`Reconciling resource ${id} failed: ${e.message}`),
    });
  }

  /** Queues processing of a resource in this process (fire and forget). */
  kick(id: string): void {
    this.#queue.add(id);
  }

  /** Resolves when nothing is queued or running in this process (tests). */
  async idle(): Promise<void> {
    await this.#queue.idle();
  }

  /** Stops taking work and waits (at most `waitMs`, ms) for in-flight work to finish. */
  async stop(waitMs = 15_000): Promise<void> {
    await this.#queue.stop(waitMs);
  }

  /** Picks up every due resource, including those whose claim expired (a crashed replica). */
  async sweep(limit = 100): Promise<number> {
    if (this.#queue.stopped) return 0;
    const ids = await this.#store.findDue(limit);
    ids.forEach(id => this.kick(id));
    return ids.length;
  }

  #heartbeat(id: string): () => void {
    const every = Math.max(200, Math.floor(this.#options.leaseDurationMs / 3));
    const timer = setInterval(() => {
      this.#store.renewClaim(id, this.workerId, this.#options.leaseDurationMs).catch(() => undefined);
    }, every);
    timer.unref?.();
    return () => clearInterval(timer);
  }

  /** Claims and works on one resource if it has due work; returns whether it did. */
  async processOne(id: string): Promise<boolean> {
    if (this.#queue.stopped) return false;
    if (!(await this.#store.claimDue(id, this.workerId, this.#options.leaseDurationMs))) {
      return false;
    }
    const stopHeartbeat = this.#heartbeat(id);
    let outcome: Awaited<ReturnType<ReconcileStep['run']>> = { next: 'done' };
    try {
      outcome = await this.#step.run(id);
    } finally {
      stopHeartbeat();
      await this.#store.releaseClaim(id, this.workerId).catch(() => undefined);
    }
    if (outcome.next === 'again') this.kick(id);
    if (outcome.next === 'later') this.#queue.later(id, outcome.delayMs);
    return true;
  }

  /**
   * Observes ready resources whose drift check is due; returns how many were checked.
   * `slackMs` is the period of the calling task (ms).
   */
  async checkDrift(limit = 200, slackMs = 0): Promise<number> {
    if (this.#queue.stopped) return 0;
    return this.#queue.track(
      this.#drift.check({
        limit,
        slackMs,
        stopped: () => this.#queue.stopped,
        onRepair: id => this.kick(id),
      }),
    );
  }
}
