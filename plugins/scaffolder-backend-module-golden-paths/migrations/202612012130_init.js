/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */

// @ts-check

/**
 * Template upgrades of services (one row per repository and target version) and upgrade campaigns.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('paved_template_campaigns', table => {
    table.comment('Campaigns: upgrades opened for every service behind a template version');
    table.string('id', 64).primary().comment('Campaign id (uuid)');
    table.string('template', 255).notNullable().comment('Template entity ref');
    table.string('to_version', 32).notNullable().comment('Target template version');
    table.string('created_by', 255).notNullable().comment('User entity ref of who started it');
    table.integer('total').notNullable().comment('Number of services in the campaign');
    table.timestamp('created_at', { useTz: true }).notNullable();
  });
  await knex.schema.createTable('paved_template_upgrades', table => {
    table.comment('Upgrades of one service repository to one template version');
    table.string('repo', 63).notNullable().comment('Repository (and component) name');
    table.string('to_version', 32).notNullable().comment('Target template version');
    table.string('template', 255).notNullable().comment('Template entity ref');
    table.string('from_version', 32).nullable().comment('Version the service was on');
    table.string('branch', 255).nullable().comment('Upgrade branch');
    table
      .string('status', 16)
      .notNullable()
      .comment('queued | open | conflicted | failed | merged | up-to-date');
    table.text('conflicts').nullable().comment('JSON list of { path, reason }');
    table.string('commit_sha', 64).nullable().comment('Commit of the branch');
    table.string('task_id', 255).nullable().comment('Scaffolder task id');
    table.string('campaign_id', 64).nullable().comment('Campaign id, if any');
    table.text('message').nullable().comment('Error of a failed upgrade');
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.primary(['repo', 'to_version'], 'paved_template_upgrades_pk');
    table.index(['campaign_id'], 'paved_template_upgrades_campaign_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('paved_template_upgrades');
  await knex.schema.dropTable('paved_template_campaigns');
};
