import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { ResourceUtilisation } from '@paved/backstage-plugin-provisioning-node';
import type { Knex } from 'knex';

const TABLE = 'provisioning_utilisation_daily';

/**
 * The daily peak of a resource's utilisation at one size (one row of `provisioning_utilisation_daily`).
 * Units: connections, bytes, keys. Absent figures were not reported by the driver.
 * @internal
 */
export interface UtilisationDay {
  resourceId: string;
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  /** The `size` parameter when sampled (`''` without one). */
  size: string;
  /** Observations merged into this row. */
  samples: number;
  peakConnections?: number;
  connectionLimit?: number;
  maxStorageBytes?: number;
  peakMemoryBytes?: number;
  memoryLimitBytes?: number;
  maxKeys?: number;
  /** Capacity per size as last reported by the driver. */
  capacity?: ResourceUtilisation['capacityBySize'];
  /** Seeded from the demo configuration, never measured. */
  demo: boolean;
}

type Row = {
  resource_id: string;
  day: string;
  size: string;
  samples: number;
  peak_connections: number | null;
  connection_limit: number | null;
  max_storage_bytes: number | string | null;
  peak_memory_bytes: number | string | null;
  memory_limit_bytes: number | string | null;
  max_keys: number | string | null;
  capacity: string | null;
  demo: boolean | number;
  updated_at: number | string;
};

const num = (v: number | string | null): number | undefined =>
  v === null || v === undefined ? undefined : Number(v);

/** The UTC day (`YYYY-MM-DD`) of an epoch ms. @internal */
export function utcDay(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/** The UTC day `days` before `day` (`YYYY-MM-DD`). @internal */
export function dayBefore(day: string, days: number): string {
  return utcDay(Date.parse(`${day}T00:00:00.000Z`) - days * 86_400_000);
}

/**
 * Stores daily utilisation peaks (SQLite and PostgreSQL). A sample is merged into its row with one atomic
 * upsert that keeps the larger of each figure, so replicas observing at the same time never lose a peak.
 * @internal
 */
export class KnexUtilisationStore {
  readonly #db: Knex;

  private constructor(db: Knex) {
    this.#db = db;
  }

  /** Uses the plugin's database; the table is created by the plugin's migrations (`KnexResourceStore.create`). */
  static async create(options: { database: DatabaseService }): Promise<KnexUtilisationStore> {
    return new KnexUtilisationStore(await options.database.getClient());
  }

  /** On a raw client (tests). */
  static fromKnex(db: Knex): KnexUtilisationStore {
    return new KnexUtilisationStore(db);
  }

  /** Merges one sample into the row of its resource, day and size (keeping each figure's maximum). */
  async record(sample: {
    resourceId: string;
    day: string;
    size: string;
    at: number;
    utilisation: ResourceUtilisation;
    demo?: boolean;
  }): Promise<void> {
    const u = sample.utilisation;
    const row = {
      resource_id: sample.resourceId,
      day: sample.day,
      size: sample.size,
      samples: 1,
      peak_connections: u.connections?.used ?? null,
      connection_limit: u.connections?.limit ?? null,
      max_storage_bytes: u.storageBytes ?? null,
      peak_memory_bytes: u.memory?.usedBytes ?? null,
      memory_limit_bytes: u.memory?.limitBytes ?? null,
      max_keys: u.keys ?? null,
      capacity: u.capacityBySize ? JSON.stringify(u.capacityBySize) : null,
      demo: sample.demo ?? false,
      updated_at: sample.at,
    };
    const greatest = (column: string) =>
      this.#db.raw(
        `CASE WHEN excluded.?? IS NULL THEN ??.?? WHEN ??.?? IS NULL OR excluded.?? > ??.?? THEN excluded.?? ELSE ??.?? END`,
        [column, TABLE, column, TABLE, column, column, TABLE, column, column, TABLE, column],
      );
    await this.#db(TABLE)
      .insert(row)
      .onConflict(['resource_id', 'day', 'size'])
      .merge({
        samples: this.#db.raw('??.?? + 1', [TABLE, 'samples']),
        peak_connections: greatest('peak_connections'),
        connection_limit: this.#db.raw('COALESCE(excluded.??, ??.??)', ['connection_limit', TABLE, 'connection_limit']),
        max_storage_bytes: greatest('max_storage_bytes'),
        peak_memory_bytes: greatest('peak_memory_bytes'),
        memory_limit_bytes: this.#db.raw('COALESCE(excluded.??, ??.??)', ['memory_limit_bytes', TABLE, 'memory_limit_bytes']),
        max_keys: greatest('max_keys'),
        capacity: this.#db.raw('COALESCE(excluded.??, ??.??)', ['capacity', TABLE, 'capacity']),
        updated_at: sample.at,
      });
  }

  /** Inserts rows that do not exist yet (demo seeding); existing rows are left alone. */
  async insertMissing(rows: Array<Omit<UtilisationDay, 'samples'> & { at: number }>): Promise<void> {
    if (rows.length === 0) return;
    await this.#db(TABLE)
      .insert(
        rows.map(r => ({
          resource_id: r.resourceId,
          day: r.day,
          size: r.size,
          samples: 1,
          peak_connections: r.peakConnections ?? null,
          connection_limit: r.connectionLimit ?? null,
          max_storage_bytes: r.maxStorageBytes ?? null,
          peak_memory_bytes: r.peakMemoryBytes ?? null,
          memory_limit_bytes: r.memoryLimitBytes ?? null,
          max_keys: r.maxKeys ?? null,
          capacity: r.capacity ? JSON.stringify(r.capacity) : null,
          demo: r.demo,
          updated_at: r.at,
        })),
      )
      .onConflict(['resource_id', 'day', 'size'])
      .ignore();
  }

  /** Rows from `fromDay` (inclusive) on, of the given resources (all when omitted), by resource and day. */
  async list(options: { fromDay: string; resourceIds?: string[] }): Promise<UtilisationDay[]> {
    const query = this.#db<Row>(TABLE)
      .where('day', '>=', options.fromDay)
      .orderBy([{ column: 'resource_id' }, { column: 'day' }, { column: 'size' }])
      .select(
        'resource_id',
        'day',
        'size',
        'samples',
        'peak_connections',
        'connection_limit',
        'max_storage_bytes',
        'peak_memory_bytes',
        'memory_limit_bytes',
        'max_keys',
        'capacity',
        'demo',
        'updated_at',
      );
    const rows: Row[] = [];
    if (options.resourceIds) {
      // bounded IN lists (SQLite allows 999 bound variables)
      for (let i = 0; i < options.resourceIds.length; i += 500) {
        rows.push(...(await query.clone().whereIn('resource_id', options.resourceIds.slice(i, i + 500))));
      }
    } else {
      rows.push(...(await query));
    }
    return rows.map(r => ({
      resourceId: r.resource_id,
      day: r.day,
      size: r.size,
      samples: Number(r.samples),
      ...(r.peak_connections !== null ? { peakConnections: Number(r.peak_connections) } : {}),
      ...(r.connection_limit !== null ? { connectionLimit: Number(r.connection_limit) } : {}),
      ...(r.max_storage_bytes !== null ? { maxStorageBytes: num(r.max_storage_bytes) } : {}),
      ...(r.peak_memory_bytes !== null ? { peakMemoryBytes: num(r.peak_memory_bytes) } : {}),
      ...(r.memory_limit_bytes !== null ? { memoryLimitBytes: num(r.memory_limit_bytes) } : {}),
      ...(r.max_keys !== null ? { maxKeys: num(r.max_keys) } : {}),
      ...(r.capacity ? { capacity: JSON.parse(r.capacity) } : {}),
      demo: Boolean(r.demo),
    }));
  }
}
