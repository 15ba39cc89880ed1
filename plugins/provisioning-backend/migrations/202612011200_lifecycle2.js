// @ts-check

/**
 * Second-generation lifecycle:
 * - `billable`: true while the infrastructure exists (from ready until deleted); totals count only these.
 * - `pending_change`: an update awaiting approval while the resource stays ready (replaces
 *   `pending_parameters`, whose rows are migrated).
 * - `working_since`: epoch ms when the current operation started, so that a driver answering
 *   "pending" is still bounded by the operation timeout.
 * - `provisioning_idempotency_keys`: `Idempotency-Key` of `POST /resources`, per caller principal.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('provisioning_resources', table => {
    table
      .boolean('billable')
      .notNullable()
      .defaultTo(false)
      .comment('true while the infrastructure exists (ready until deleted)');
    table
      .text('pending_change')
      .nullable()
      .comment('JSON: update awaiting approval while ready');
    table
      .bigInteger('working_since')
      .nullable()
      .comment('epoch ms when the current operation started');
  });
  await knex('provisioning_resources')
    .whereIn('state', ['ready', 'updating', 'deleting'])
    .orWhere(q =>
      q
        .where('state', 'failed')
        .whereIn('pending_operation', ['update', 'repair', 'delete']),
    )
    .update({ billable: true });
  // updates awaiting approval: the resource was live; it becomes ready with a pending change
  const waiting = await knex('provisioning_resources')
    .where({ state: 'awaiting-approval', pending_operation: 'update' })
    .select('id', 'parameters', 'pending_parameters', 'created_by', 'updated_at');
  for (const row of waiting) {
    const from = JSON.parse(row.parameters);
    const to = row.pending_parameters ? JSON.parse(row.pending_parameters) : from;
    const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
    await knex('provisioning_resources')
      .where({ id: row.id })
      .update({
        state: 'ready',
        pending_operation: null,
        billable: true,
        pending_change: JSON.stringify({
          parameters: to,
          monthlyCostUsd: 0,
          requestedBy: row.created_by,
          requestedAt: new Date(Number(row.updated_at)).toISOString(),
          changes: keys
            .filter(k => JSON.stringify(from[k]) !== JSON.stringify(to[k]))
            .map(k => ({ key: k, from: from[k], to: to[k] })),
        }),
      });
  }
  await knex.schema.createTable('provisioning_idempotency_keys', table => {
    table.comment('Idempotency-Key of POST /resources, scoped per caller principal');
    table.string('principal', 255).notNullable();
    table.string('key', 200).notNullable();
    table.string('request_hash', 64).notNullable().comment('sha256 of the request body');
    table.string('resource_id', 36).notNullable();
    table.bigInteger('created_at').notNullable().comment('epoch ms');
    table.primary(['principal', 'key'], 'provisioning_idempotency_keys_pk');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('provisioning_idempotency_keys');
  await knex.schema.alterTable('provisioning_resources', table => {
    table.dropColumn('working_since');
    table.dropColumn('pending_change');
    table.dropColumn('billable');
  });
};
