// @ts-check

/**
 * Versioned resource types and rollouts (issue 14):
 * - `provisioning_resources.applied_version`: the type version whose settings were last applied (existing
 *   resources: 1.0.0, the version of a type that declares none); `target_version`: the version the pending
 *   operation applies (create, rollout, rollback), null when none.
 * - `provisioning_rollouts`: a rollout of a type version in waves, its progress and the claim (lease) of the
 *   replica advancing it.
 * - `provisioning_rollout_items`: the resources of a rollout, their wave, previous version and status.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('provisioning_resources', table => {
    table.string('applied_version', 64).nullable().comment('type version last applied');
    table.string('target_version', 64).nullable().comment('type version the pending operation applies');
  });
  await knex('provisioning_resources').whereNot('state', 'awaiting-approval').update({ applied_version: '1.0.0' });
  await knex('provisioning_resources')
    .whereIn('state', ['awaiting-approval', 'requested', 'provisioning'])
    .update({ target_version: '1.0.0' });
  await knex('provisioning_resources')
    .whereIn('state', ['requested', 'provisioning'])
    .update({ applied_version: null });
  await knex.schema.createTable('provisioning_rollouts', table => {
    table.string('id').primary().comment('UUID');
    table.string('type').notNullable();
    table.string('target_version', 64).notNullable();
    table.string('status').notNullable().comment('running, paused, succeeded, failed, aborted');
    table.text('reason').nullable();
    table.string('strategy').notNullable().comment('percent or owner');
    table.text('wave_percents').notNullable().comment('JSON array of integers');
    table.text('owners').nullable().comment('JSON array of owner refs; null = all');
    table.bigInteger('soak_ms').notNullable();
    table.integer('wave_count').notNullable();
    table.integer('current_wave').notNullable().defaultTo(0);
    table.string('phase').notNullable().defaultTo('applying').comment('applying or soaking');
    table.bigInteger('soak_until').nullable().comment('epoch ms');
    table.string('created_by').notNullable();
    table.bigInteger('created_at').notNullable();
    table.bigInteger('updated_at').notNullable();
    table.bigInteger('finished_at').nullable();
    table.string('claimed_by').nullable();
    table.bigInteger('claim_expires_at').nullable();
    table.index(['status'], 'provisioning_rollouts_status_idx');
    table.index(['type', 'created_at'], 'provisioning_rollouts_type_idx');
  });
  await knex.schema.createTable('provisioning_rollout_items', table => {
    table
      .string('rollout_id')
      .notNullable()
      .references('id')
      .inTable('provisioning_rollouts')
      .onDelete('CASCADE');
    table.string('resource_id').notNullable();
    table.integer('wave').notNullable();
    table.string('name').notNullable();
    table.string('owner').notNullable();
    table.string('previous_version', 64).notNullable();
    table.string('status').notNullable().comment('pending, applying, applied, failed, rolled-back, skipped');
    table.text('message').nullable();
    table.bigInteger('updated_at').notNullable();
    table.primary(['rollout_id', 'resource_id'], 'provisioning_rollout_items_pkey');
    table.index(['rollout_id', 'wave'], 'provisioning_rollout_items_wave_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('provisioning_rollout_items');
  await knex.schema.dropTable('provisioning_rollouts');
  await knex.schema.alterTable('provisioning_resources', table => {
    table.dropColumn('target_version');
    table.dropColumn('applied_version');
  });
};
