/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */

// @ts-check

/**
 * Resources that scaffolder runs asked the provisioning backend to create, so that a failed run can
 * release what it created and a recovered run never creates twice.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('paved_scaffolder_task_resources', table => {
    table.comment(
      'Resources requested by scaffolder tasks (one row per task, type and name)',
    );
    table
      .string('task_id', 255)
      .notNullable()
      .comment('Scaffolder task id');
    table
      .string('resource_type', 255)
      .notNullable()
      .comment('Provisioning resource type id');
    table
      .string('resource_name', 255)
      .notNullable()
      .comment('Resource name (DNS label)');
    table
      .string('resource_id', 255)
      .nullable()
      .comment('Provisioning resource id once created');
    table
      .string('owner', 255)
      .notNullable()
      .comment('Entity ref of the owning group');
    table
      .boolean('keep_on_failure')
      .notNullable()
      .defaultTo(false)
      .comment('Whether a failed run keeps this resource');
    table
      .string('status', 32)
      .notNullable()
      .comment('creating | created | released | kept | rejected | completed');
    table
      .timestamp('created_at', { useTz: true, precision: 3 })
      .notNullable()
      .defaultTo(knex.fn.now())
      .comment('When the run first asked for the resource');
    table
      .timestamp('updated_at', { useTz: true, precision: 3 })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.primary(
      ['task_id', 'resource_type', 'resource_name'],
      'paved_scaffolder_task_resources_pk',
    );
    table.index(['status'], 'paved_scaffolder_task_resources_status_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('paved_scaffolder_task_resources');
};
