// @ts-check

/**
 * Escape hatches (issue 14): `deviations` holds the resource's advanced parameter values outside the golden
 * path (JSON array of { parameter, value, goldenPathDefault, justification, requestedBy, requestedAt,
 * approvedBy, approvedAt }); null = none (so "has deviations" is `deviations IS NOT NULL`).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('provisioning_resources', table => {
    table.text('deviations').nullable().comment('JSON array of deviations from the golden path; null = none');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('provisioning_resources', table => {
    table.dropColumn('deviations');
  });
};
