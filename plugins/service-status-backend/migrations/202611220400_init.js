// @ts-check

/**
 * Initial schema of the service status backend. All times are epoch milliseconds (bigint),
 * so that hourly bucketing is the same integer arithmetic on SQLite and PostgreSQL.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('status_samples', table => {
    table.comment(
      'Raw health samples (probe results and provisioned resource states)',
    );
    table.bigIncrements('id').primary();
    table.string('entity_ref', 255).notNullable();
    table.bigInteger('at').notNullable().comment('Epoch ms');
    table.string('state', 16).notNullable().comment('up | degraded | down');
    table.integer('http_status').nullable();
    table.integer('latency_ms').nullable();
    table.text('error').nullable();
    // Covering index for the uptime and latency queries (no table look-ups).
    table.index(
      ['entity_ref', 'at', 'state', 'latency_ms'],
      'status_samples_entity_at_idx',
    );
    table.index(['at'], 'status_samples_at_idx');
  });

  await knex.schema.createTable('status_hourly', table => {
    table.comment('Hourly rollups of raw samples older than the raw retention');
    table.string('entity_ref', 255).notNullable();
    table
      .bigInteger('hour')
      .notNullable()
      .comment('Epoch ms of the UTC hour start');
    table.integer('samples').notNullable();
    table
      .integer('up_samples')
      .notNullable()
      .comment('Samples that were up or degraded');
    table.integer('latency_samples').notNullable();
    table.double('p50_ms').nullable();
    table.double('p95_ms').nullable();
    table.primary(['entity_ref', 'hour'], 'status_hourly_pk');
    table.index(['hour'], 'status_hourly_hour_idx');
  });

  await knex.schema.createTable('status_current', table => {
    table.comment(
      'Newest health result per entity and since when its state holds',
    );
    table
      .string('entity_ref', 255)
      .notNullable()
      .primary('status_current_pk');
    table.string('state', 16).notNullable();
    table.string('source', 16).notNullable().comment('probe | resource');
    table
      .bigInteger('since')
      .notNullable()
      .comment('Epoch ms of the last state change');
    table.bigInteger('checked_at').notNullable().comment('Epoch ms');
    table.integer('http_status').nullable();
    table.integer('latency_ms').nullable();
    table.text('error').nullable();
  });

  await knex.schema.createTable('status_deployments', table => {
    table.comment('Deployments reported by CI pipelines');
    table
      .string('id', 36)
      .notNullable()
      .primary('status_deployments_pk');
    table.string('entity_ref', 255).notNullable();
    table.string('environment', 63).notNullable();
    table.string('version', 128).notNullable();
    table.string('commit', 64).nullable();
    table.string('status', 16).notNullable();
    table.bigInteger('started_at').notNullable();
    table.bigInteger('finished_at').nullable();
    table.text('url').nullable();
    table.string('created_by', 255).notNullable();
    table.bigInteger('created_at').notNullable();
    table.index(
      ['entity_ref', 'started_at'],
      'status_deployments_entity_started_idx',
    );
  });

  await knex.schema.createTable('status_incidents', table => {
    table.comment('Incidents on entities');
    table
      .string('id', 36)
      .notNullable()
      .primary('status_incidents_pk');
    table.string('entity_ref', 255).notNullable();
    table.string('title', 200).notNullable();
    table.string('severity', 8).notNullable();
    table.string('state', 16).notNullable();
    table.string('created_by', 255).notNullable();
    table.bigInteger('created_at').notNullable();
    table.bigInteger('updated_at').notNullable();
    table.bigInteger('resolved_at').nullable();
    table.index(['entity_ref', 'state'], 'status_incidents_entity_state_idx');
    table.index(['created_at'], 'status_incidents_created_idx');
  });

  await knex.schema.createTable('status_incident_updates', table => {
    table.comment('Timeline entries of incidents');
    table
      .string('id', 36)
      .notNullable()
      .primary('status_incident_updates_pk');
    table
      .string('incident_id', 36)
      .notNullable()
      .references('id')
      .inTable('status_incidents')
      .onDelete('CASCADE')
      .withKeyName('status_incident_updates_incident_fk');
    table.bigInteger('at').notNullable();
    table.string('author', 255).notNullable();
    table.text('message').notNullable();
    table.string('state', 16).notNullable();
    table.string('severity', 8).notNullable();
    table.index(['incident_id', 'at'], 'status_incident_updates_incident_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('status_incident_updates');
  await knex.schema.dropTable('status_incidents');
  await knex.schema.dropTable('status_deployments');
  await knex.schema.dropTable('status_current');
  await knex.schema.dropTable('status_hourly');
  await knex.schema.dropTable('status_samples');
};
