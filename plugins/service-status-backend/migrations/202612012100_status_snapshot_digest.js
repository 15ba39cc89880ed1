// @ts-check

/**
 * A digest of each snapshot row's content, so that the snapshot task writes only the rows whose
 * rolled-up status changed (instead of rewriting every row after every probe run). Rows written
 * before this migration have no digest and are rewritten once by the next run.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('status_snapshot', table => {
    table
      .string('digest', 64)
      .nullable()
      .comment(
        'SHA-256 (base64url) of the row content without probe time and latency',
      );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('status_snapshot', table => {
    table.dropColumn('digest');
  });
};
