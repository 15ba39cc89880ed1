import { Knex } from 'knex';
import { ResourceRow, RESOURCES } from './rows';
import type { WorkClaimStore } from './types';

/**
 * Work claims on `provisioning_resources`: atomic claim of due work with a lease, renewal and release,
 * so that any number of replicas (and restarts after a crash) share the reconciler's work.
 * @internal
 */
export class KnexWorkClaims implements WorkClaimStore {
  readonly #db: Knex;

  constructor(db: Knex) {
    this.#db = db;
  }

  #claimable(query: Knex.QueryBuilder, now: number) {
    return query.where(q =>
      q.whereNull('claimed_by').orWhere('claim_expires_at', '<', now),
    );
  }

  async claimDue(id: string, worker: string, leaseMs: number): Promise<boolean> {
    const now = Date.now();
    const query = this.#db<ResourceRow>(RESOURCES)
      .where({ id })
      .where('next_attempt_at', '<=', now);
    const count = await this.#claimable(query, now).update({
      claimed_by: worker,
      claim_expires_at: now + leaseMs,
    });
    return count === 1;
  }

  async claimForDriftCheck(
    id: string,
    worker: string,
    leaseMs: number,
    intervalMs: number,
  ): Promise<boolean> {
    const now = Date.now();
    const query = this.#db<ResourceRow>(RESOURCES)
      .where({ id, state: 'ready' })
      .whereNull('next_attempt_at')
      .where(q =>
        q
          .whereNull('drift_checked_at')
          .orWhere('drift_checked_at', '<=', now - intervalMs),
      );
    const count = await this.#claimable(query, now).update({
      claimed_by: worker,
      claim_expires_at: now + leaseMs,
      drift_checked_at: now,
    });
    return count === 1;
  }

  async renewClaim(id: string, worker: string, leaseMs: number) {
    const count = await this.#db<ResourceRow>(RESOURCES)
      .where({ id, claimed_by: worker })
      .update({ claim_expires_at: Date.now() + leaseMs });
    return count === 1;
  }

  async releaseClaim(id: string, worker: string): Promise<void> {
    await this.#db<ResourceRow>(RESOURCES)
      .where({ id, claimed_by: worker })
      .update({ claimed_by: null, claim_expires_at: null });
  }

  async findDue(limit: number): Promise<string[]> {
    const now = Date.now();
    const query = this.#db<ResourceRow>(RESOURCES)
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at', 'asc')
      .limit(limit)
      .select('id');
    const rows = await this.#claimable(query, now);
    return (rows as { id: string }[]).map(r => r.id);
  }

  async findDriftCheckDue(intervalMs: number, limit: number) {
    const now = Date.now();
    const query = this.#db<ResourceRow>(RESOURCES)
      .where('state', 'ready')
      .whereNull('next_attempt_at')
      .where(q =>
        q
          .whereNull('drift_checked_at')
          .orWhere('drift_checked_at', '<=', now - intervalMs),
      )
      .orderBy('drift_checked_at', 'asc')
      .limit(limit)
      .select('id');
    const rows = await this.#claimable(query, now);
    return (rows as { id: string }[]).map(r => r.id);
  }
}
