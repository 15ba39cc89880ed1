import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { EventRow, EVENTS, RESOURCE_COLUMNS, ResourceRow, RESOURCES, toResource } from './rows';
import type { ClaimedReminder, StoredResource, TtlStore } from './types';

/** States in which a resource can still expire (it is not being deleted or gone). */
const LIVE_STATES = [
  'awaiting-approval',
  'requested',
  'provisioning',
  'ready',
  'updating',
  'failed',
];

/** Actor of the sweep's events. */
const ACTOR = 'plugin:provisioning';

/**
 * The TTL sweep's queries on `provisioning_resources` (index `provisioning_resources_expires_at_idx`):
 * expired resources, and atomic reminder claims (`UPDATE … WHERE ttl_reminders_sent < level RETURNING`, so a
 * reminder is claimed by exactly one replica), each with its event in the same transaction.
 * @internal
 */
export class KnexTtlStore implements TtlStore {
  readonly #db: Knex;

  constructor(db: Knex) {
    this.#db = db;
  }

  async findExpired(now: number, limit: number): Promise<StoredResource[]> {
    const rows = await this.#db<ResourceRow>(RESOURCES)
      .whereNotNull('expires_at')
      .where('expires_at', '<=', now)
      .whereIn('state', LIVE_STATES)
      // one order for every replica: their transactions lock rows in the same order (no deadlock)
      .orderBy([{ column: 'expires_at', order: 'asc' }, { column: 'id', order: 'asc' }])
      .limit(limit)
      .select(RESOURCE_COLUMNS);
    return (rows as ResourceRow[]).map(toResource);
  }

  async claimReminders(options: {
    now: number;
    level: number;
    windowMs: number;
    limit: number;
    message: (r: ClaimedReminder) => string;
  }): Promise<ClaimedReminder[]> {
    const { now, level, windowMs, limit } = options;
    return this.#db.transaction(async tx => {
      const due = tx<ResourceRow>(RESOURCES)
        .whereNotNull('expires_at')
        .where('expires_at', '>', now)
        .where('expires_at', '<=', now + windowMs)
        .where('ttl_reminders_sent', '<', level)
        .whereIn('state', LIVE_STATES)
        .orderBy('expires_at', 'asc')
        .limit(limit)
        .select('id');
      // the conditions again in the UPDATE: a concurrent replica's claim (or an extend) makes them false
      const rows = (await tx<ResourceRow>(RESOURCES)
        .whereIn('id', due)
        .where('ttl_reminders_sent', '<', level)
        .where('expires_at', '>', now)
        .where('expires_at', '<=', now + windowMs)
        .update({ ttl_reminders_sent: level })
        .returning(['id', 'name', 'type', 'owner', 'expires_at'])) as unknown as Array<
        Pick<ResourceRow, 'id' | 'name' | 'type' | 'owner' | 'expires_at'>
      >;
      const claimed = rows.map(r => ({
        id: r.id,
        name: r.name,
        type: r.type,
        owner: r.owner,
        expiresAt: Number(r.expires_at),
      }));
      const at = Date.now(); // events are stamped by the store's clock, like every other write
      const events: EventRow[] = claimed.map(r => ({
        id: randomUUID(),
        resource_id: r.id,
        at,
        actor: ACTOR,
        type: 'ttl-reminder',
        from_state: null,
        to_state: null,
        message: options.message(r),
      }));
      for (let i = 0; i < events.length; i += 200) {
        await tx(EVENTS).insert(events.slice(i, i + 200));
      }
      return claimed;
    });
  }
}
