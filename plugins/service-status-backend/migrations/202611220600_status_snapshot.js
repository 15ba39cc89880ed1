// @ts-check

/**
 * Snapshot of each entity's rolled-up status, written by the snapshot task after each probe run
 * (and refreshed on incident changes), so that the overview filters and pages in SQL.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('status_snapshot', table => {
    table.comment(
      'Rolled-up status per entity (overview), refreshed every probe run',
    );
    table.string('entity_ref', 255).notNullable().primary('status_snapshot_pk');
    table.string('kind', 63).notNullable().comment('Lower case');
    table.string('owner', 255).nullable().comment('Normalised owner ref');
    table.string('system', 255).nullable().comment('Normalised system ref');
    table.string('state', 16).notNullable();
    table
      .text('summary')
      .notNullable()
      .comment('EntityStatusSummary JSON (reasons, last probe, ...)');
    table.bigInteger('since').nullable().comment('Epoch ms');
    table.bigInteger('updated_at').notNullable().comment('Epoch ms');
    table.index(['state', 'entity_ref'], 'status_snapshot_state_idx');
    table.index(['owner', 'entity_ref'], 'status_snapshot_owner_idx');
    table.index(['system', 'entity_ref'], 'status_snapshot_system_idx');
    table.index(['updated_at'], 'status_snapshot_updated_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('status_snapshot');
};
