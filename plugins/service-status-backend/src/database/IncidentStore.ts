import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  Incident,
  IncidentSeverity,
  IncidentState,
  IncidentUpdate,
  ListResponse,
} from '@paved/backstage-plugin-service-status-common';
import { chunk, decodeCursor, encodeCursor, iso, num } from './util';

type IncidentRow = {
  id: string;
  entity_ref: string;
  title: string;
  severity: string;
  state: string;
  created_by: string;
  created_at: number | string;
  updated_at: number | string;
  resolved_at: number | string | null;
};

type UpdateRow = {
  id: string;
  incident_id: string;
  at: number | string;
  author: string;
  message: string;
  state: string;
  severity: string;
};

const INCIDENT_COLUMNS = [
  'id',
  'entity_ref',
  'title',
  'severity',
  'state',
  'created_by',
  'created_at',
  'updated_at',
  'resolved_at',
];

/**
 * Incidents and their timelines. Changes to one incident are transactions guarded by its state,
 * so concurrent updates from several replicas cannot resolve twice or update a resolved incident.
 * @internal
 */
export class IncidentStore {
  readonly #db: Knex;

  static create(options: { knex: Knex }): IncidentStore {
    return new IncidentStore(options.knex);
  }

  private constructor(db: Knex) {
    this.#db = db;
  }

  async open(input: {
    entityRef: string;
    title: string;
    severity: IncidentSeverity;
    state: IncidentState;
    message: string;
    author: string;
    now: number;
  }): Promise<Incident> {
    const id = randomUUID();
    await this.#db.transaction(async tx => {
      await tx('status_incidents').insert({
        id,
        entity_ref: input.entityRef,
        title: input.title,
        severity: input.severity,
        state: input.state,
        created_by: input.author,
        created_at: input.now,
        updated_at: input.now,
        resolved_at: null,
      });
      await tx('status_incident_updates').insert({
        id: randomUUID(),
        incident_id: id,
        at: input.now,
        author: input.author,
        message: input.message,
        state: input.state,
        severity: input.severity,
      });
    });
    return (await this.get(id))!;
  }

  async get(id: string): Promise<Incident | undefined> {
    const row = (await this.#db('status_incidents')
      .select(INCIDENT_COLUMNS)
      .where('id', id)
      .first()) as IncidentRow | undefined;
    if (!row) {
      return undefined;
    }
    const [incident] = await this.#withUpdates([row]);
    return incident;
  }

  /**
   * Adds a timeline entry and applies the changes; 404 when missing, 409 when resolved.
   * With `resolve`, sets the state to `resolved`.
   */
  async update(
    id: string,
    change: {
      message: string;
      author: string;
      now: number;
      severity?: IncidentSeverity;
      state?: IncidentState;
      title?: string;
    },
  ): Promise<Incident> {
    await this.#db.transaction(async tx => {
      const current = (await tx('status_incidents')
        .select(INCIDENT_COLUMNS)
        .where('id', id)
        .first()) as IncidentRow | undefined;
      if (!current) {
        throw new NotFoundError(`Incident '${id}' not found`);
      }
      // Timeline entries are ordered by time: keep them strictly increasing.
      const lastAt = await tx('status_incident_updates')
        .max({ at: 'at' })
        .where('incident_id', id)
        .first();
      const at = Math.max(change.now, num(lastAt?.at ?? 0) + 1);
      const severity =
        change.severity ?? (current.severity as IncidentSeverity);
      const state = change.state ?? (current.state as IncidentState);
      const resolving = state === 'resolved';
      const updated = await tx('status_incidents')
        .where('id', id)
        .andWhereNot('state', 'resolved')
        .update({
          severity,
          state,
          ...(change.title ? { title: change.title } : {}),
          updated_at: at,
          ...(resolving ? { resolved_at: at } : {}),
        });
      if (updated === 0) {
        throw new ConflictError(
          `Incident '${id}' is resolved and can no longer be changed`,
        );
      }
      await tx('status_incident_updates').insert({
        id: randomUUID(),
        incident_id: id,
        at,
        author: change.author,
        message: change.message,
        state,
        severity,
      });
    });
    return (await this.get(id))!;
  }

  /** Incidents, newest first, keyset-paged. */
  async list(options: {
    entityRef?: string;
    state: 'open' | 'resolved' | 'all';
    cursor?: string;
    limit: number;
  }): Promise<ListResponse<Incident>> {
    const query = this.#db('status_incidents')
      .select(INCIDENT_COLUMNS)
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(options.limit + 1);
    if (options.entityRef) {
      query.where('entity_ref', options.entityRef);
    }
    if (options.state === 'open') {
      query.whereNot('state', 'resolved');
    } else if (options.state === 'resolved') {
      query.where('state', 'resolved');
    }
    if (options.cursor) {
      const c = decodeCursor(options.cursor, { c: 'number', i: 'string' });
      query.andWhere(q =>
        q
          .where('created_at', '<', c.c)
          .orWhere(q2 =>
            q2.where('created_at', '=', c.c).andWhere('id', '<', c.i),
          ),
      );
    }
    const rows = (await query) as IncidentRow[];
    const page = rows.slice(0, options.limit);
    const last = page[page.length - 1];
    return {
      items: await this.#withUpdates(page),
      ...(rows.length > options.limit && last
        ? { nextCursor: encodeCursor({ c: num(last.created_at), i: last.id }) }
        : {}),
    };
  }

  /** Open incidents of the given entities, newest first per entity. */
  async listOpenByEntity(
    entityRefs: string[],
  ): Promise<Map<string, Incident[]>> {
    const result = new Map<string, Incident[]>();
    for (const part of chunk([...new Set(entityRefs)], 500)) {
      const rows = (await this.#db('status_incidents')
        .select(INCIDENT_COLUMNS)
        .whereIn('entity_ref', part)
        .whereNot('state', 'resolved')
        .orderBy([
          { column: 'created_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])) as IncidentRow[];
      for (const incident of await this.#withUpdates(rows)) {
        const list = result.get(incident.entityRef) ?? [];
        list.push(incident);
        result.set(incident.entityRef, list);
      }
    }
    return result;
  }

  async #withUpdates(rows: IncidentRow[]): Promise<Incident[]> {
    if (rows.length === 0) {
      return [];
    }
    const updates = new Map<string, IncidentUpdate[]>();
    for (const part of chunk(
      rows.map(r => r.id),
      500,
    )) {
      const updateRows = await this.#db<UpdateRow>('status_incident_updates')
        .select(
          'id',
          'incident_id',
          'at',
          'author',
          'message',
          'state',
          'severity',
        )
        .whereIn('incident_id', part)
        .orderBy([
          { column: 'at', order: 'asc' },
          { column: 'id', order: 'asc' },
        ]);
      for (const u of updateRows) {
        const list = updates.get(u.incident_id) ?? [];
        list.push({
          id: u.id,
          incidentId: u.incident_id,
          at: iso(num(u.at)),
          author: u.author,
          message: u.message,
          state: u.state as IncidentState,
          severity: u.severity as IncidentSeverity,
        });
        updates.set(u.incident_id, list);
      }
    }
    return rows.map(r => ({
      id: r.id,
      entityRef: r.entity_ref,
      title: r.title,
      severity: r.severity as IncidentSeverity,
      state: r.state as IncidentState,
      createdBy: r.created_by,
      createdAt: iso(num(r.created_at)),
      updatedAt: iso(num(r.updated_at)),
      ...(r.resolved_at !== null
        ? { resolvedAt: iso(num(r.resolved_at)) }
        : {}),
      updates: updates.get(r.id) ?? [],
    }));
  }
}
