// @ts-check

/**
 * Transactional outbox of announcements (audit event, signal, notifications, `resource-changed` event): what
 * `ChangeNotifier.notify` needs is written with the lifecycle event, in the same transaction, and marked once
 * announced, so that a replica dying between the commit and the announcement does not lose it (the
 * announcement sweep announces it after a grace period).
 * - `announcement`: JSON of the announcement (auditEventId, name, type, owner, fromState, toState, notifyOwner,
 *   notifyApprovers); null = nothing to announce (events recorded before this migration, and events announced
 *   outside the outbox), so existing rows are never (re-)announced.
 * - `announced_at`: epoch ms when it was announced; null = not yet.
 * - `announce_claim` / `announce_claimed_until`: the sweep's claim (a random token) and when it lapses (epoch ms),
 *   so that two replicas sweeping at the same time announce each event once.
 * - a partial index over the events still to announce (few rows), so the sweep never scans the event log.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('provisioning_events', table => {
    table.text('announcement').nullable().comment('JSON of the announcement to make; null = nothing to announce');
    table.bigInteger('announced_at').nullable().comment('epoch ms when announced; null = not yet');
    table.string('announce_claim', 36).nullable().comment("the announcement sweep's claim token");
    table.bigInteger('announce_claimed_until').nullable().comment("epoch ms when the sweep's claim lapses");
  });
  await knex.schema.alterTable('provisioning_events', table => {
    table.index(['at'], 'provisioning_events_unannounced_idx', {
      predicate: knex.whereNotNull('announcement').whereNull('announced_at'),
    });
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('provisioning_events', table => {
    table.dropIndex(['at'], 'provisioning_events_unannounced_idx');
  });
  await knex.schema.alterTable('provisioning_events', table => {
    table.dropColumn('announce_claimed_until');
    table.dropColumn('announce_claim');
    table.dropColumn('announced_at');
    table.dropColumn('announcement');
  });
};
