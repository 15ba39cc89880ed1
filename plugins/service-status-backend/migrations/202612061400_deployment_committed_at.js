// @ts-check

/**
 * The commit time a CI pipeline may report with a deployment (`committedAt`), for the DORA lead
 * time for changes (commit -> running in the environment). Epoch ms, nullable: older deployments
 * and pipelines that do not report it have none and are left out of lead time.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('status_deployments', table => {
    table
      .bigInteger('committed_at')
      .nullable()
      .comment('Epoch ms of the deployed commit, when CI reports it');
  });
  await knex.schema.alterTable('status_incidents', table => {
    table.index(
      ['entity_ref', 'created_at'],
      'status_incidents_entity_created_idx',
    );
  });
  await knex.schema.alterTable('status_deployments', table => {
    table.index(['started_at'], 'status_deployments_started_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('status_deployments', table => {
    table.dropIndex([], 'status_deployments_started_idx');
  });
  await knex.schema.alterTable('status_incidents', table => {
    table.dropIndex([], 'status_incidents_entity_created_idx');
  });
  await knex.schema.alterTable('status_deployments', table => {
    table.dropColumn('committed_at');
  });
};
