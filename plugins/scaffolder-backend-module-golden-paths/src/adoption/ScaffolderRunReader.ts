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

  static create(options: { knex: Knex }): ScaffolderRunReader {
    return new ScaffolderRunReader(options.knex);
  }

  private constructor(db: Knex) {
    this.#db = db;
  }

  /** Runs created at or after `from` (epoch ms), oldest first. */
  async runsSince(from: number): Promise<TemplateRun[]> {
    const isPg = String(this.#db.client.config.client).includes('pg');
    const rows = (await this.#db('tasks')
      .select('id', 'spec', 'status', 'created_at', 'created_by')
      .where('created_at', '>=', isPg ? new Date(from) : sqlTimestamp(from))
      .orderBy('created_at', 'asc')) as Array<{
      id: string;
      spec: string;
      status: string;
      created_at: unknown;
      created_by: string | null;
    }>;

    const outputs = new Map<string, string>();
    const completed = rows.filter(r => r.status === 'completed').map(r => r.id);
    for (let i = 0; i < completed.length; i += 500) {
      const events = (await this.#db('task_events')
        .select('task_id', 'body')
        .whereIn('task_id', completed.slice(i, i + 500))
        .andWhere('event_type', 'completion')) as Array<{
        task_id: string;
        body: string;
      }>;
      for (const e of events) {
        const ref = componentLink(e.body);
        if (ref) {
          outputs.set(e.task_id, ref);
        }
      }
    }

    const runs: TemplateRun[] = [];
    for (const r of rows) {
      let spec: {
        templateInfo?: { entityRef?: string };
        parameters?: Record<string, unknown>;
      };
      try {
        spec = JSON.parse(r.spec);
      } catch {
        continue;
      }
      const templateRef = spec.templateInfo?.entityRef;
      if (!templateRef) {
        continue;
      }
      runs.push({
        id: r.id,
        templateRef: templateRef.toLocaleLowerCase('en-US'),
        status: r.status,
        createdAt: toMs(r.created_at),
        ...(r.created_by ? { createdBy: r.created_by } : {}),
        parameters: spec.parameters ?? {},
        ...(outputs.has(r.id) ? { outputEntityRef: outputs.get(r.id) } : {}),
      });
    }
    return runs;
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
