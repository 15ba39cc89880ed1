// @ts-check

/**
 * Cost ledger (issue 13, showback):
 * - `provisioning_cost_ledger`: one row per resource and UTC day it was billed, with the attribution
 *   (owner group, component, system, domain) resolved when the day was accrued. `demo` rows are seeded demo
 *   history (`provisioning.demo.seedCostHistory`), never real spend.
 * - `provisioning_cost_monthly`: the same per resource and month (sum of its days), kept with the ledger so
 *   that cost per team per month reads ~10^5 rows instead of ~10^6.
 * - `provisioning_cost_rollup`: the monthly cost per owner, component, system and domain (sum of the monthly rows),
 *   rebuilt for the months an accrual touched, so that cost per team per month reads ~10^4 rows.
 * - `provisioning_cost_prices`: the price of a resource from the moment it became ready at a size
 *   (recorded when it became ready, so a resize mid-month splits the day exactly).
 * - `provisioning_cost_state`: bookkeeping of the accrual (how far it has accrued).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  const attribution = (/** @type {import('knex').Knex.CreateTableBuilder} */ table) => {
    table.string('resource_name', 255).notNullable();
    table.string('resource_type', 63).notNullable();
    table.string('owner', 255).notNullable().comment('owner group ref');
    table.string('component', 255).nullable().comment('component entity ref');
    table.string('system', 255).nullable().comment('system entity ref');
    table.string('domain', 255).nullable().comment('domain entity ref');
    table.boolean('demo').notNullable().defaultTo(false).comment('seeded demo history, not real spend');
  };
  await knex.schema.createTable('provisioning_cost_ledger', table => {
    table.comment('Daily cost per resource (UTC days), prorated from the USD/month price');
    table.string('resource_id', 64).notNullable();
    table.string('day', 10).notNullable().comment('YYYY-MM-DD (UTC)');
    table.string('month', 7).notNullable().comment('YYYY-MM (UTC)');
    table.double('cost_usd').notNullable();
    table.double('billed_hours').notNullable().comment('hours of the day the resource existed');
    table.string('size', 63).nullable().comment('size at the end of the day');
    table.double('monthly_price_usd').notNullable().comment('price at the end of the day, USD/month');
    attribution(table);
    table.primary(['resource_id', 'day'], 'provisioning_cost_ledger_pk');
    table.index(['day'], 'provisioning_cost_ledger_day_idx');
  });
  await knex.schema.createTable('provisioning_cost_monthly', table => {
    table.comment('Monthly cost per resource: the sum of its ledger days');
    table.string('resource_id', 64).notNullable();
    table.string('month', 7).notNullable().comment('YYYY-MM (UTC)');
    table.double('cost_usd').notNullable();
    attribution(table);
    table.primary(['resource_id', 'month'], 'provisioning_cost_monthly_pk');
    table.index(['month', 'owner'], 'provisioning_cost_monthly_month_owner_idx');
  });
  await knex.schema.createTable('provisioning_cost_rollup', table => {
    table.comment('Monthly cost per owner, component, system and domain: the sum of the monthly rows');
    table.string('month', 7).notNullable().comment('YYYY-MM (UTC)');
    table.string('owner', 255).notNullable();
    table.string('component', 255).nullable();
    table.string('system', 255).nullable();
    table.string('domain', 255).nullable();
    table.double('cost_usd').notNullable();
    table.integer('demo_rows').notNullable().defaultTo(0).comment('resources of demo history in the sum');
    table.index(['month', 'owner'], 'provisioning_cost_rollup_month_owner_idx');
  });
  await knex.schema.createTable('provisioning_cost_prices', table => {
    table.comment('Price of a resource from when it became ready at a size');
    table.string('resource_id', 64).notNullable();
    table.bigInteger('effective_at').notNullable().comment('epoch ms of the transition to ready');
    table.double('monthly_cost_usd').notNullable();
    table.string('size', 63).nullable();
    table.primary(['resource_id', 'effective_at'], 'provisioning_cost_prices_pk');
  });
  await knex.schema.createTable('provisioning_cost_state', table => {
    table.comment('Accrual bookkeeping');
    table.string('key', 64).primary().notNullable();
    table.text('value').notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('provisioning_cost_state');
  await knex.schema.dropTable('provisioning_cost_prices');
  await knex.schema.dropTable('provisioning_cost_rollup');
  await knex.schema.dropTable('provisioning_cost_monthly');
  await knex.schema.dropTable('provisioning_cost_ledger');
};
