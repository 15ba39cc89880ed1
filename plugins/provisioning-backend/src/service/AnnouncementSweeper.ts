import type { LoggerService } from '@backstage/backend-plugin-api';
import type { AnnouncementOutbox } from '../database/types';
import { type ChangeNotifier, toResourceChange } from './ChangeNotifier';

/** Defaults of {@link AnnouncementSweeper}, in ms (and events). @internal */
export const ANNOUNCEMENT_SWEEP_DEFAULTS = {
  /** How long after its event a missing announcement is made by the sweep: 30 s. */
  gracePeriodMs: 30_000,
  /** How often the sweep runs: 30 s. */
  sweepIntervalMs: 30_000,
  /** How long a sweep's claim on its batch lasts before another sweep may take the events over: 5 minutes. */
  leaseMs: 5 * 60_000,
  /** Events announced per sweep at most. */
  batchSize: 500,
};

/**
 * Announces what was committed but never announced: lifecycle events written with an announcement (the outbox,
 * see `TransitionRunner`) that are not marked announced a grace period after they were recorded, because the
 * replica that wrote them died (SIGKILL, OOM, node restart) between the commit and the announcement, or its
 * notifier failed. Each is announced (audit event, signal, notifications, `resource-changed` event) and marked.
 *
 * Safe with several replicas through an atomic claim in the database rather than the scheduler's global scope:
 * each sweep claims its batch with one conditional UPDATE (`announced_at IS NULL` and no live claim) that sets a
 * random token and a lease, so two replicas sweeping at the same time never take the same event, and a replica
 * that dies mid-batch only delays its claimed events by the lease (then another replica's sweep takes them over).
 * This does not depend on the scheduler's global lock (whose lease outlives a killed replica for the task's
 * timeout), and the task can run on every replica (`scope: 'local'`) at the cost of one cheap indexed query each.
 *
 * Announcements are therefore at least once: the immediate path marks its events right after announcing, so in
 * the normal path nothing is announced twice; an event whose immediate announcement took longer than the grace
 * period, or whose marking failed, may be announced twice (a re-sent signal or `resource-changed` event is
 * harmless: readers reload the resource; the audit trail and a notification may then show it twice).
 * @internal
 */
export class AnnouncementSweeper {
  readonly #store: AnnouncementOutbox;
  readonly #notifier: ChangeNotifier;
  readonly #logger: LoggerService;
  readonly #now: () => number;
  readonly #gracePeriodMs: number;
  readonly #leaseMs: number;
  readonly #batchSize: number;

  constructor(options: {
    store: AnnouncementOutbox;
    notifier: ChangeNotifier;
    logger: LoggerService;
    /** Clock (epoch ms); default `Date.now`. */
    now?: () => number;
    /** Age (ms) of an unannounced event before the sweep announces it; default 30 s. */
    gracePeriodMs?: number;
    /** Lease (ms) of a sweep's claim on its batch; default 5 minutes. */
    leaseMs?: number;
    /** Events claimed per sweep at most; default 500. */
    batchSize?: number;
  }) {
    const d = ANNOUNCEMENT_SWEEP_DEFAULTS;
    this.#store = options.store;
    this.#notifier = options.notifier;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
    this.#gracePeriodMs = options.gracePeriodMs ?? d.gracePeriodMs;
    this.#leaseMs = options.leaseMs ?? d.leaseMs;
    this.#batchSize = options.batchSize ?? d.batchSize;
  }

  /** One sweep: claims a bounded batch of overdue announcements, makes them and marks them; how many. */
  async sweep(): Promise<number> {
    const now = this.#now();
    const events = await this.#store.claimUnannounced({
      now,
      recordedBefore: now - this.#gracePeriodMs,
      leaseMs: this.#leaseMs,
      limit: this.#batchSize,
    });
    if (events.length === 0) return 0;
    const announced: string[] = [];
    try {
      for (const event of events) {
        await this.#notifier.notify(toResourceChange(event));
        announced.push(event.id);
      }
    } finally {
      // what was not announced keeps its claim until the lease lapses, then a sweep retries it
      await this.#store.markAnnounced(announced, this.#now());
    }
    this.#logger.warn(
      `Announced ${announced.length} lifecycle event(s) that were committed but not announced (a replica stopped before announcing them)`,
    );
    return announced.length;
  }
}
