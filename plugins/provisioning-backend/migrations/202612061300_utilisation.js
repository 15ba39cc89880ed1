// @ts-check

/**
 * Utilisation for rightsizing (issue 13, item 3): the daily peak of what the drivers measured when observing a
 * resource, one row per resource, UTC day and size (a resize mid-day starts a new row).
 * - `day`: `YYYY-MM-DD` (UTC).
 * - `size`: the resource's `size` parameter when sampled (`''` without one).
 * - `samples`: observations merged into the row.
 * - `peak_connections` / `connection_limit`: connections open (max of the samples) and the size's limit.
 * - `max_storage_bytes`: storage used (max).
 * - `peak_memory_bytes` / `memory_limit_bytes`: memory used (max) and the size's budget, in bytes.
 * - `max_keys`: keys held (max).
 * - `capacity`: JSON of the driver's capacity per size (`{ small: { connections: 10 } }`), as last reported.
 * - `demo`: true for rows seeded from the demo configuration (never measured).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('provisioning_utilisation_daily', table => {
    table.comment('Daily peak utilisation per resource and size, measured by the drivers (rightsizing)');
    table.string('resource_id', 64).notNullable();
    table.string('day', 10).notNullable().comment('UTC day, YYYY-MM-DD');
    table.string('size', 64).notNullable().defaultTo('').comment("the size parameter when sampled; '' without one");
    table.integer('samples').notNullable().defaultTo(0);
    table.integer('peak_connections').nullable();
    table.integer('connection_limit').nullable();
    table.bigInteger('max_storage_bytes').nullable();
    table.bigInteger('peak_memory_bytes').nullable();
    table.bigInteger('memory_limit_bytes').nullable();
    table.bigInteger('max_keys').nullable();
    table.text('capacity').nullable().comment('JSON: capacity per size as reported by the driver');
    table.boolean('demo').notNullable().defaultTo(false).comment('seeded demo data, never measured');
    table.bigInteger('updated_at').notNullable().comment('epoch ms of the last sample');
    table.primary(['resource_id', 'day', 'size'], 'provisioning_utilisation_daily_pk');
    table.index(['day'], 'provisioning_utilisation_daily_day_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('provisioning_utilisation_daily');
};
