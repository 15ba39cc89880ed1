/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

/**
 * Status of a resource a scaffolder task asked for.
 * - `creating`: the run is about to call (or called) the provisioning API; the id is not known yet.
 * - `created`: the provisioning API accepted it.
 * - `released`: a failed run deleted it.
 * - `kept`: a failed run kept it (`keepOnFailure`).
 * - `rejected`: the provisioning API refused the request; nothing was created.
 * - `completed`: the run completed; the resource is the component's to keep.
 * @internal
 */
export type TaskResourceStatus =
  | 'creating'
  | 'created'
  | 'released'
  | 'kept'
  | 'rejected'
  | 'completed';

/** One resource a scaffolder task asked for. @internal */
export interface TaskResourceRecord {
  taskId: string;
  type: string;
  name: string;
  resourceId?: string;
  owner: string;
  keepOnFailure: boolean;
  status: TaskResourceStatus;
  createdAt: Date;
}

/**
 * Which resources each scaffolder task asked the provisioning backend for. Lives in the scaffolder
 * plugin's database (own tables and migrations table), so every backend replica sees the same records.
 * @internal
 */
export interface TaskResourceStore {
  /**
   * Records that a task is about to create a resource. Idempotent: when the task already recorded the
   * same type and name (an earlier attempt of a recovered task), returns that record with `existed: true`.
   */
  recordIntent(record: {
    taskId: string;
    type: string;
    name: string;
    owner: string;
    keepOnFailure: boolean;
  }): Promise<{ record: TaskResourceRecord; existed: boolean }>;
  markCreated(options: {
    taskId: string;
    type: string;
    name: string;
    resourceId: string;
  }): Promise<void>;
  setStatus(options: {
    taskId: string;
    type: string;
    name: string;
    status: TaskResourceStatus;
  }): Promise<void>;
  listForTask(taskId: string): Promise<TaskResourceRecord[]>;
  /**
   * Ids of tasks with resources still `creating` or `created` that were first recorded before
   * `olderThan`: candidates for the cleanup sweep.
   */
  listUnsettledTaskIds(options: {
    olderThan: Date;
    limit: number;
  }): Promise<string[]>;
  /** Marks every `creating`/`created` record of a task as `completed` (the run succeeded). */
  markTaskCompleted(taskId: string): Promise<void>;
}

const TABLE = 'paved_scaffolder_task_resources';
const MIGRATIONS_TABLE = 'paved_scaffolder_provisioning_knex_migrations';

type Row = {
  task_id: string;
  resource_type: string;
  resource_name: string;
  resource_id: string | null;
  owner: string;
  keep_on_failure: boolean | number;
  status: string;
  created_at: Date | string;
  updated_at: Date | string;
};

const COLUMNS = [
  'task_id',
  'resource_type',
  'resource_name',
  'resource_id',
  'owner',
  'keep_on_failure',
  'status',
  'created_at',
] as const;

function toRecord(row: Row): TaskResourceRecord {
  return {
    taskId: row.task_id,
    type: row.resource_type,
    name: row.resource_name,
    resourceId: row.resource_id ?? undefined,
    owner: row.owner,
    keepOnFailure: Boolean(row.keep_on_failure),
    status: row.status as TaskResourceStatus,
    createdAt:
      row.created_at instanceof Date ? row.created_at : new Date(row.created_at),
  };
}

/**
 * Knex implementation of {@link TaskResourceStore}.
 * @internal
 */
export class DatabaseTaskResourceStore implements TaskResourceStore {
  readonly #db: Knex;

  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseTaskResourceStore> {
    const db = await options.database.getClient();
    if (!options.skipMigrations && !options.database.migrations?.skip) {
      await db.migrate.latest({
        directory: resolvePackagePath(
          '@paved/backstage-plugin-scaffolder-backend-module-provisioning',
          'migrations',
        ),
        tableName: MIGRATIONS_TABLE,
      });
    }
    return new DatabaseTaskResourceStore(db);
  }

  private constructor(db: Knex) {
    this.#db = db;
  }

  async recordIntent(record: {
    taskId: string;
    type: string;
    name: string;
    owner: string;
    keepOnFailure: boolean;
  }): Promise<{ record: TaskResourceRecord; existed: boolean }> {
    const now = new Date().toISOString();
    const inserted = await this.#db<Row>(TABLE)
      .insert({
        task_id: record.taskId,
        resource_type: record.type,
        resource_name: record.name,
        resource_id: null,
        owner: record.owner,
        keep_on_failure: record.keepOnFailure,
        status: 'creating',
        created_at: now,
        updated_at: now,
      })
      .onConflict(['task_id', 'resource_type', 'resource_name'])
      .ignore()
      .returning('task_id');
    const row = await this.#get(record.taskId, record.type, record.name);
    if (!row) {
      throw new Error(
        `Failed to record resource ${record.type}/${record.name} of task ${record.taskId}`,
      );
    }
    return { record: toRecord(row), existed: inserted.length === 0 };
  }

  async markCreated(options: {
    taskId: string;
    type: string;
    name: string;
    resourceId: string;
  }): Promise<void> {
    await this.#db<Row>(TABLE)
      .where({
        task_id: options.taskId,
        resource_type: options.type,
        resource_name: options.name,
      })
      .whereIn('status', ['creating', 'created', 'rejected'])
      .update({
        resource_id: options.resourceId,
        status: 'created',
        updated_at: new Date().toISOString(),
      });
  }

  async setStatus(options: {
    taskId: string;
    type: string;
    name: string;
    status: TaskResourceStatus;
  }): Promise<void> {
    await this.#db<Row>(TABLE)
      .where({
        task_id: options.taskId,
        resource_type: options.type,
        resource_name: options.name,
      })
      .update({ status: options.status, updated_at: new Date().toISOString() });
  }

  async listForTask(taskId: string): Promise<TaskResourceRecord[]> {
    const rows = await this.#db<Row>(TABLE)
      .where({ task_id: taskId })
      .select(...COLUMNS)
      .orderBy('created_at', 'asc');
    return (rows as Row[]).map(toRecord);
  }

  async listUnsettledTaskIds(options: {
    olderThan: Date;
    limit: number;
  }): Promise<string[]> {
    const rows = await this.#db<Row>(TABLE)
      .whereIn('status', ['creating', 'created'])
      .where('created_at', '<', options.olderThan.toISOString())
      .distinct('task_id')
      .orderBy('task_id')
      .limit(options.limit);
    return (rows as Pick<Row, 'task_id'>[]).map(r => r.task_id);
  }

  async markTaskCompleted(taskId: string): Promise<void> {
    await this.#db<Row>(TABLE)
      .where({ task_id: taskId })
      .whereIn('status', ['creating', 'created'])
      .update({ status: 'completed', updated_at: new Date().toISOString() });
  }

  async #get(
    taskId: string,
    type: string,
    name: string,
  ): Promise<Row | undefined> {
    return (await this.#db<Row>(TABLE)
      .where({ task_id: taskId, resource_type: type, resource_name: name })
      .first(...COLUMNS)) as Row | undefined;
  }
}
