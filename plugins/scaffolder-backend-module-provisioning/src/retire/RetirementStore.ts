/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { Knex } from 'knex';
import { RetirementPlan } from './planRetirement';

const TABLE = 'paved_service_retirements';

/** A retirement as recorded. @internal */
export interface RetirementRecord {
  entityRef: string;
  taskId: string;
  retiredBy: string;
  status: 'retiring' | 'retired';
  plan: RetirementPlan;
  startedAt: string;
  finishedAt?: string;
}

const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : undefined);

/**
 * Who retired which service, and how far each retirement got (table `paved_service_retirements` in
 * the scaffolder's database, migrations of this module).
 * @internal
 */
export class RetirementStore {
  readonly #db: Knex;

  static create(options: { db: Knex }) {
    return new RetirementStore(options.db);
  }

  private constructor(db: Knex) {
    this.#db = db;
  }

  /** Records the start of a retirement; idempotent per entity and task. */
  async start(options: {
    entityRef: string;
    taskId: string;
    retiredBy: string;
    plan: RetirementPlan;
    now: Date;
  }): Promise<void> {
    await this.#db(TABLE)
      .insert({
        entity_ref: options.entityRef,
        task_id: options.taskId,
        retired_by: options.retiredBy,
        status: 'retiring',
        plan: JSON.stringify(options.plan),
        started_at: options.now,
      })
      .onConflict(['entity_ref', 'task_id'])
      .ignore();
  }

  async finish(options: { entityRef: string; taskId: string; now: Date }): Promise<void> {
    await this.#db(TABLE)
      .where({ entity_ref: options.entityRef, task_id: options.taskId })
      .update({ status: 'retired', finished_at: options.now });
  }

  /** Retirements of an entity, newest first. */
  async list(entityRef: string): Promise<RetirementRecord[]> {
    const rows = await this.#db(TABLE)
      .select('entity_ref', 'task_id', 'retired_by', 'status', 'plan', 'started_at', 'finished_at')
      .where({ entity_ref: entityRef })
      .orderBy('started_at', 'desc');
    return rows.map(r => ({
      entityRef: r.entity_ref,
      taskId: r.task_id,
      retiredBy: r.retired_by,
      status: r.status,
      plan: JSON.parse(r.plan),
      startedAt: iso(r.started_at)!,
      finishedAt: iso(r.finished_at),
    }));
  }
}
