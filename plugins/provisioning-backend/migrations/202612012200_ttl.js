// @ts-check

/**
 * Time-to-live resources (issue 14):
 * - `ttl_ms`: the time to live last requested or extended to, in ms; null = the resource does not expire.
 * - `expires_at`: epoch ms when the TTL sweep deletes it; null = never.
 * - `ttl_reminders_sent`: how many of the configured reminders (longest first: 2 days, 2 hours, 30 minutes)
 *   were sent (or skipped as already past) for the current `expires_at`; an extension resets it.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('provisioning_resources', table => {
    table.bigInteger('ttl_ms').nullable().comment('time to live in ms; null = does not expire');
    table.bigInteger('expires_at').nullable().comment('epoch ms when it expires; null = never');
    table
      .integer('ttl_reminders_sent')
      .notNullable()
      .defaultTo(0)
      .comment('reminders sent (or skipped) for the current expires_at, longest first');
    table.index(['expires_at'], 'provisioning_resources_expires_at_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('provisioning_resources', table => {
    table.dropIndex(['expires_at'], 'provisioning_resources_expires_at_idx');
  });
  await knex.schema.alterTable('provisioning_resources', table => {
    table.dropColumn('ttl_reminders_sent');
    table.dropColumn('expires_at');
    table.dropColumn('ttl_ms');
  });
};
