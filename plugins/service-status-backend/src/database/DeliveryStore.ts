import { Knex } from 'knex';
import type {
  DeliveryDeployment,
  DeliveryIncident,
} from '../services/delivery/computeDelivery';
import { num, optNum } from './util';

/**
 * Reads of the deployments and incidents the delivery metrics are made of. Deployments are
 * counted at their finish time (start time when none was reported); `in-progress` and
 * `cancelled` ones are not changes that reached the environment and are left out.
 * @internal
 */
export class DeliveryStore {
  readonly #db: Knex;

  static create(options: { knex: Knex }): DeliveryStore {
    return new DeliveryStore(options.knex);
  }

  private constructor(db: Knex) {
    this.#db = db;
  }

  /** Finished deployments to `environment` that started in `[from - 1 day, to]`. */
  async deployments(options: {
    from: number;
    to: number;
    environment: string;
    entityRefs?: string[];
  }): Promise<DeliveryDeployment[]> {
    const query = this.#db('status_deployments')
      .select(
        'entity_ref',
        'status',
        'started_at',
        'finished_at',
        'committed_at',
      )
      .where('environment', options.environment)
      .whereIn('status', ['succeeded', 'failed', 'rolled-back'])
      // A deployment is counted when it finished; one that started a little before the window
      // may finish inside it.
      .andWhere('started_at', '>=', options.from - 86_400_000)
      .andWhere('started_at', '<=', options.to);
    if (options.entityRefs) {
      query.whereIn('entity_ref', options.entityRefs);
    }
    const rows = (await query) as Array<{
      entity_ref: string;
      status: DeliveryDeployment['status'];
      started_at: number | string;
      finished_at: number | string | null;
      committed_at: number | string | null;
    }>;
    return rows.map(r => {
      const committedAt = optNum(r.committed_at);
      return {
        entityRef: r.entity_ref,
        status: r.status,
        at: optNum(r.finished_at) ?? num(r.started_at),
        ...(committedAt !== undefined ? { committedAt } : {}),
      };
    });
  }

  /** Incidents opened in `[from, to]`. */
  async incidents(options: {
    from: number;
    to: number;
    entityRefs?: string[];
  }): Promise<DeliveryIncident[]> {
    const query = this.#db('status_incidents')
      .select('entity_ref', 'created_at', 'resolved_at')
      .where('created_at', '>=', options.from)
      .andWhere('created_at', '<=', options.to);
    if (options.entityRefs) {
      query.whereIn('entity_ref', options.entityRefs);
    }
    const rows = (await query) as Array<{
      entity_ref: string;
      created_at: number | string;
      resolved_at: number | string | null;
    }>;
    return rows.map(r => {
      const resolvedAt = optNum(r.resolved_at);
      return {
        entityRef: r.entity_ref,
        createdAt: num(r.created_at),
        ...(resolvedAt !== undefined ? { resolvedAt } : {}),
      };
    });
  }
}
