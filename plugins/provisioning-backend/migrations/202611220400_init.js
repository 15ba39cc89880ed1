// @ts-check

/**
 * Resources, their lifecycle events and reconciler bookkeeping.
 * Timestamps are epoch milliseconds (bigint) so that SQLite and PostgreSQL behave alike.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('provisioning_resources', table => {
    table.comment('Provisioned resources and their reconciler state');
    table.string('id', 36).primary().notNullable().comment('UUID');
    table.string('name', 40).notNullable().comment('DNS label');
    table.string('type', 63).notNullable().comment('Resource type id');
    table.string('owner', 255).notNullable().comment('Owning group ref');
    table.string('entity_ref', 255).nullable();
    table.string('system', 255).nullable();
    table.text('parameters').notNullable().comment('JSON');
    table.text('pending_parameters').nullable().comment('JSON, awaiting approval');
    table.string('state', 32).notNullable();
    table
      .string('pending_operation', 16)
      .nullable()
      .comment('create, update, delete or repair: what the reconciler is to do');
    table.boolean('drifted').notNullable().defaultTo(false);
    table.text('reason').nullable();
    table.text('conditions').notNullable().comment('JSON array');
    table.text('outputs').notNullable().comment('JSON object');
    table.text('secrets').nullable().comment('AES-256-GCM encrypted JSON');
    table.double('monthly_cost_usd').notNullable().defaultTo(0);
    table.string('created_by', 255).notNullable();
    table.bigInteger('created_at').notNullable().comment('epoch ms');
    table.bigInteger('updated_at').notNullable().comment('epoch ms');
    table
      .string('live_name', 40)
      .nullable()
      .comment('name while not deleted, null after: unique per type');
    table.bigInteger('next_attempt_at').nullable().comment('epoch ms; null = nothing to do');
    table.integer('attempts').notNullable().defaultTo(0);
    table.string('claimed_by', 255).nullable();
    table.bigInteger('claim_expires_at').nullable().comment('epoch ms');
    table.bigInteger('drift_checked_at').nullable().comment('epoch ms');
    table.unique(['type', 'live_name'], {
      indexName: 'provisioning_resources_type_live_name_uniq',
    });
    table.index(['owner'], 'provisioning_resources_owner_idx');
    table.index(['type'], 'provisioning_resources_type_idx');
    table.index(['state'], 'provisioning_resources_state_idx');
    table.index(['entity_ref'], 'provisioning_resources_entity_ref_idx');
    table.index(['created_at', 'id'], 'provisioning_resources_created_idx');
    table.index(['next_attempt_at'], 'provisioning_resources_next_attempt_idx');
  });

  await knex.schema.createTable('provisioning_events', table => {
    table.comment('Lifecycle events of resources (never secrets)');
    table.string('id', 36).primary().notNullable();
    table
      .string('resource_id', 36)
      .notNullable()
      .references('id')
      .inTable('provisioning_resources')
      .onDelete('CASCADE');
    table.bigInteger('at').notNullable().comment('epoch ms');
    table.string('actor', 255).notNullable();
    table.string('type', 63).notNullable();
    table.string('from_state', 32).nullable();
    table.string('to_state', 32).nullable();
    table.text('message').notNullable();
    table.index(['resource_id', 'at'], 'provisioning_events_resource_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('provisioning_events');
  await knex.schema.dropTable('provisioning_resources');
};
