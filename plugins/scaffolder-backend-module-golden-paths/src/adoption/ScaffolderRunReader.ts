/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { Knex } from 'knex';

/** One template run as read from the scaffolder's own task records. @internal */
export interface TemplateRun {
  id: string;
  templateRef: string;
  status: string;
  /** Epoch ms. */
  createdAt: number;
  createdBy?: string;
  parameters: Record<string, unknown>;
  /** The component the run reported in its output links (`entityRef`), if any. */
  outputEntityRef?: string;
}

function toMs(value: unknown): number {
  if (value instanceof Date) {
    return value.getTime();
  }
  if (typeof value === 'number') {
    return value;
  }
  const text = String(value);
  // SQLite stores CURRENT_TIMESTAMP as 'YYYY-MM-DD HH:MM:SS' in UTC.
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/.test(text)
    ? `${text.replace(' ', 'T')}${/[zZ]|[+-]\d{2}:?\d{2}$/.test(text) ? '' : 'Z'}`
    : text;
  return Date.parse(iso);
}

function sqlTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '');
}

/**
 * Reads template runs from the scaffolder's `tasks` table and the output of their `completion`
 * events (`task_events`), the tables `@backstage/plugin-scaffolder-backend` migrates (a scaffolder
 * module's `coreServices.database` is the scaffolder's database). Read-only.
 * @internal
 */
export class ScaffolderRunReader {
  readonly #db: Knex;
  /** Template ref and parameters per task id: a task's spec never changes once created. */
  readonly #specs = new Map<
    string,
    { templateRef?: string; parameters: Record<string, unknown> }
  >();
  /** Component output link per completed task id (null: none). Completion is final. */
  readonly #outputs = new Map<string, string | null>();
  readonly #maxCached: number;

  static create(options: {
    knex: Knex;
    /** Most task ids whose spec parts are kept in memory (default 100,000). */
    maxCached?: number;
  }): ScaffolderRunReader {
    return new ScaffolderRunReader(options.knex, options.maxCached ?? 100_000);
  }

  private constructor(db: Knex, maxCached: number) {
    this.#db = db;
    this.#maxCached = maxCached;
  }

  /** Runs created at or after `from` (epoch ms), oldest first. */
  async runsSince(from: number): Promise<TemplateRun[]> {
    const isPg = String(this.#db.client.config.client).includes('pg');
    const rows = (await this.#db('tasks')
      .select('id', 'status', 'created_at', 'created_by')
      .where('created_at', '>=', isPg ? new Date(from) : sqlTimestamp(from))
      .orderBy('created_at', 'asc')) as Array<{
      id: string;
      status: string;
      created_at: unknown;
      created_by: string | null;
    }>;

    await this.#readSpecs(
      rows.filter(r => !this.#specs.has(r.id)).map(r => r.id),
      isPg,
    );
    await this.#readOutputs(
      rows
        .filter(r => r.status === 'completed' && !this.#outputs.has(r.id))
        .map(r => r.id),
    );

    const runs: TemplateRun[] = [];
    for (const r of rows) {
      const spec = this.#specs.get(r.id);
      if (!spec?.templateRef) {
        continue;
      }
      const output =
        r.status === 'completed' ? this.#outputs.get(r.id) : undefined;
      runs.push({
        id: r.id,
        templateRef: spec.templateRef,
        status: r.status,
        createdAt: toMs(r.created_at),
        ...(r.created_by ? { createdBy: r.created_by } : {}),
        parameters: spec.parameters,
        ...(output ? { outputEntityRef: output } : {}),
      });
    }
    return runs;
  }

  /**
   * Reads the template ref and parameters of the given tasks. Only these parts leave the database,
   * not the whole spec (its steps make it several kB per run).
   */
  async #readSpecs(ids: string[], isPg: boolean) {
    this.#trim();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = (await this.#db('tasks')
        .select(
          'id',
          isPg
            ? this.#db.raw(
                `(spec::json -> 'templateInfo' ->> 'entityRef') as template_ref`,
              )
            : this.#db.raw(
                `json_extract(spec, '$.templateInfo.entityRef') as template_ref`,
              ),
          isPg
            ? this.#db.raw(`(spec::json -> 'parameters')::text as parameters`)
            : this.#db.raw(`json_extract(spec, '$.parameters') as parameters`),
        )
        .whereIn('id', ids.slice(i, i + 500))) as Array<{
        id: string;
        template_ref: string | null;
        parameters: string | null;
      }>;
      for (const r of rows) {
        let parameters: Record<string, unknown> = {};
        try {
          const parsed = r.parameters ? JSON.parse(r.parameters) : {};
          if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
            parameters = parsed;
          }
        } catch {
          // a spec without readable parameters still counts as a run
        }
        this.#specs.set(r.id, {
          ...(typeof r.template_ref === 'string' && r.template_ref
            ? { templateRef: r.template_ref.toLocaleLowerCase('en-US') }
            : {}),
          parameters,
        });
      }
    }
  }

  /** Reads the component link of the given completed tasks' `completion` events. */
  async #readOutputs(ids: string[]) {
    for (let i = 0; i < ids.length; i += 500) {
      const part = ids.slice(i, i + 500);
      const events = (await this.#db('task_events')
        .select('task_id', 'body')
        .whereIn('task_id', part)
        .andWhere('event_type', 'completion')) as Array<{
        task_id: string;
        body: string;
      }>;
      const found = new Map<string, string | null>();
      for (const e of events) {
        found.set(e.task_id, componentLink(e.body) ?? null);
      }
      for (const id of part) {
        // A completed task without a completion event yet is read again next time.
        if (found.has(id)) {
          this.#outputs.set(id, found.get(id)!);
        }
      }
    }
  }

  #trim() {
    for (const cache of [this.#specs, this.#outputs] as Map<string, unknown>[]) {
      if (cache.size > this.#maxCached) {
        cache.clear();
      }
    }
  }
}

/** The first `component:` entityRef among the output links of a completion event body. */
function componentLink(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as {
      output?: { links?: Array<{ entityRef?: unknown }> };
    };
    for (const link of parsed.output?.links ?? []) {
      if (
        typeof link.entityRef === 'string' &&
        link.entityRef.toLocaleLowerCase('en-US').startsWith('component:')
      ) {
        return link.entityRef.toLocaleLowerCase('en-US');
      }
    }
  } catch {
    return undefined;
  }
  return undefined;
}
