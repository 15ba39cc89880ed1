import { LoggerService } from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { ResourceStore } from '../database/types';
import { RECONCILER_ACTOR } from '../reconciler/ReconcileStep';
import { PROVISIONING_NOTIFICATION_TOPIC } from '../service/ChangeNotifier';
import type { TransitionRequest, TransitionRunner } from '../service/TransitionRunner';
import { formatDuration } from './durations';

/** What one sweep did. @internal */
export interface TtlSweepResult {
  /** Resources whose deletion was started because their time to live ended. */
  expired: number;
  /** Reminders sent to owners. */
  reminded: number;
}

/**
 * The time-to-live sweep, run by the scheduler: deletes expired resources through the lifecycle (event
 * `expired`, reason `Expired: time to live of 2h ended`, guarded by state and expiry so that a concurrent
 * extend wins) and sends owners each configured reminder once (claimed atomically in the database, so two
 * replicas never send one twice). Time comes from the injected clock.
 * @internal
 */
export class TtlSweeper {
  readonly #store: ResourceStore;
  readonly #runner: TransitionRunner;
  readonly #kick: (id: string) => void;
  readonly #notifications?: NotificationService;
  readonly #logger: LoggerService;
  readonly #remindersMs: readonly number[];
  readonly #now: () => number;
  readonly #batch: number;
  readonly #concurrency: number;

  constructor(options: {
    store: ResourceStore;
    runner: TransitionRunner;
    /** Hands a resource whose deletion was scheduled to the reconciler. */
    kick: (id: string) => void;
    notifications?: NotificationService;
    logger: LoggerService;
    /** Reminders, in ms before expiry, longest first. */
    remindersMs: readonly number[];
    /** Clock in epoch ms; default `Date.now`. */
    now?: () => number;
    /** Most resources expired and reminders per level claimed in one sweep. Default 1000. */
    batchSize?: number;
    /** Database transactions of expiries (50 each) carried out at the same time. Default 4. */
    concurrency?: number;
  }) {
    this.#concurrency = options.concurrency ?? 4;
    this.#store = options.store;
    this.#runner = options.runner;
    this.#kick = options.kick;
    this.#notifications = options.notifications;
    this.#logger = options.logger;
    this.#remindersMs = options.remindersMs;
    this.#now = options.now ?? Date.now;
    this.#batch = options.batchSize ?? 1000;
  }

  async sweep(): Promise<TtlSweepResult> {
    const now = this.#now();
    const reminded = await this.#remind(now);
    const expired = await this.#expire(now);
    return { expired, reminded };
  }

  async #expire(now: number): Promise<number> {
    const found = (await this.#store.findExpired(now, this.#batch)).filter(
      r => r.state !== 'deleting' && r.state !== 'deleted' && r.ttlMs !== undefined,
    );
    const request = (r: (typeof found)[number]): TransitionRequest => {
      const ttl = formatDuration(r.ttlMs!);
      return {
        resource: r,
        event: 'delete',
        actor: RECONCILER_ACTOR,
        message: `expired: time to live of ${ttl} ended`,
        patch: { reason: `Expired: time to live of ${ttl} ended` },
        // a concurrent extend (a later expiry) or another replica (another state) wins
        guard: { expiresAtOrBefore: now },
        eventType: 'expired',
        auditEventId: 'resource-expire',
      };
    };
    // chunks of 50 transitions per database transaction, a few chunks at a time
    const chunks: TransitionRequest[][] = [];
    for (let i = 0; i < found.length; i += 50) {
      chunks.push(found.slice(i, i + 50).map(request));
    }
    let expired = 0;
    const worker = async () => {
      for (let chunk = chunks.shift(); chunk !== undefined; chunk = chunks.shift()) {
        let results: boolean[];
        try {
          results = await this.#runner.runAll(chunk);
        } catch (e) {
          // e.g. a serialization failure against another replica: the next sweep picks them up again
          this.#logger.warn(`TTL sweep: expiring ${chunk.length} resource(s) failed: ${(e as Error).message}`);
          continue;
        }
        for (let i = 0; i < results.length; i += 1) {
          if (!results[i]) continue;
          const { resource: r, message } = chunk[i];
          expired += 1;
          this.#logger.info(`Resource ${r.type}/${r.name} ${message}`, { resourceId: r.id });
          if (this.#runner.plan(r, 'delete').effects.includes('schedule')) this.#kick(r.id);
        }
      }
    };
    await Promise.all(Array.from({ length: this.#concurrency }, worker));
    return expired;
  }

  async #remind(now: number): Promise<number> {
    let sent = 0;
    // shortest window first: a resource inside several windows gets only the nearest reminder
    for (let i = this.#remindersMs.length - 1; i >= 0; i -= 1) {
      const claimed = await this.#store.claimReminders({
        now,
        level: i + 1,
        windowMs: this.#remindersMs[i],
        limit: this.#batch,
        message: r => `Expires in ${formatDuration(r.expiresAt - now)} (at ${new Date(r.expiresAt).toISOString()}); reminder sent to ${r.owner}`,
      });
      sent += claimed.length;
      if (!this.#notifications) continue;
      const results = await Promise.allSettled(
        claimed.map(r =>
          this.#notifications!.send({
            recipients: { type: 'entity', entityRef: r.owner },
            payload: {
              title: `${r.type}/${r.name} expires in ${formatDuration(r.expiresAt - now)}`,
              description: `Its time to live ends at ${new Date(r.expiresAt).toISOString()}; then it is deleted. Extend it from its page if you still need it.`,
              link: `/provisioning/resources/${r.id}`,
              severity: i === this.#remindersMs.length - 1 ? 'high' : 'normal',
              topic: PROVISIONING_NOTIFICATION_TOPIC,
              // one notification per resource's expiry, replaced by the next reminder
              scope: `provisioning-ttl:${r.id}`,
            },
          }),
        ),
      );
      for (const res of results) {
        if (res.status === 'rejected') {
          this.#logger.warn(`Sending a TTL reminder failed: ${(res.reason as Error)?.message}`);
        }
      }
    }
    return sent;
  }
}
