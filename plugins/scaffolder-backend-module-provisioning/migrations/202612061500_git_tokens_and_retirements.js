/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */

// @ts-check

/**
 * Personal access tokens for git clients of the embedded git server (stored as SHA-256 hashes only),
 * and the record of retired services (who retired what, and the progress of a retirement).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('paved_git_access_tokens', table => {
    table.comment('Personal access tokens for git clients (hashes only)');
    table.string('id', 36).notNullable().comment('Token id (uuid)');
    table
      .string('user_entity_ref', 255)
      .notNullable()
      .comment('The user the token acts for');
    table.string('name', 100).notNullable().comment('Label given by the user');
    table
      .string('token_hash', 64)
      .notNullable()
      .comment('SHA-256 (hex) of the token; the token itself is never stored');
    table
      .string('token_prefix', 16)
      .notNullable()
      .comment('First characters of the token, to recognise it in lists');
    table
      .timestamp('created_at', { useTz: true, precision: 3 })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.timestamp('last_used_at', { useTz: true, precision: 3 }).nullable();
    table
      .timestamp('revoked_at', { useTz: true, precision: 3 })
      .nullable()
      .comment('Set when revoked; revoked tokens are refused');
    table.primary(['id'], 'paved_git_access_tokens_pk');
    table.unique(['token_hash'], {
      indexName: 'paved_git_access_tokens_hash_uq',
    });
    table.index(['user_entity_ref'], 'paved_git_access_tokens_user_idx');
  });

  await knex.schema.createTable('paved_service_retirements', table => {
    table.comment('Services retired with the "Retire a service" template');
    table
      .string('entity_ref', 255)
      .notNullable()
      .comment('The retired component');
    table.string('task_id', 255).notNullable().comment('Scaffolder task id');
    table
      .string('retired_by', 255)
      .notNullable()
      .comment('User entity ref of who retired it');
    table
      .string('status', 32)
      .notNullable()
      .comment('retiring | retired');
    table
      .text('plan')
      .notNullable()
      .comment('JSON: the resources, entity and repository the retirement covers');
    table
      .timestamp('started_at', { useTz: true, precision: 3 })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.timestamp('finished_at', { useTz: true, precision: 3 }).nullable();
    table.primary(['entity_ref', 'task_id'], 'paved_service_retirements_pk');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('paved_service_retirements');
  await knex.schema.dropTable('paved_git_access_tokens');
};
