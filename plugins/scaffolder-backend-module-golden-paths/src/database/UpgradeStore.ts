/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { DatabaseService, resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

/** Status of a service's upgrade to one template version. @public */
export type UpgradeStatus =
  | 'queued'
  | 'open'
  | 'conflicted'
  | 'failed'
  | 'merged'
  | 'up-to-date';

/** One upgrade of one service repository. @public */
export interface UpgradeRecord {
  repo: string;
  template: string;
  toVersion: string;
  fromVersion?: string;
  branch?: string;
  status: UpgradeStatus;
  conflicts: Array<{ path: string; reason: string }>;
  commit?: string;
  taskId?: string;
  campaignId?: string;
  message?: string;
  updatedAt: string;
}

/** A campaign. @public */
export interface CampaignRecord {
  id: string;
  template: string;
  toVersion: string;
  createdBy: string;
  total: number;
  createdAt: string;
}

const UPGRADES = 'paved_template_upgrades';
const CAMPAIGNS = 'paved_template_campaigns';

type UpgradeRow = {
  repo: string;
  template: string;
  to_version: string;
  from_version: string | null;
  branch: string | null;
  status: string;
  conflicts: string | null;
  commit_sha: string | null;
  task_id: string | null;
  campaign_id: string | null;
  message: string | null;
  updated_at: Date | string;
};

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();

function toUpgrade(row: UpgradeRow): UpgradeRecord {
  return {
    repo: row.repo,
    template: row.template,
    toVersion: row.to_version,
    fromVersion: row.from_version ?? undefined,
    branch: row.branch ?? undefined,
    status: row.status as UpgradeStatus,
    conflicts: row.conflicts ? JSON.parse(row.conflicts) : [],
    commit: row.commit_sha ?? undefined,
    taskId: row.task_id ?? undefined,
    campaignId: row.campaign_id ?? undefined,
    message: row.message ?? undefined,
    updatedAt: iso(row.updated_at),
  };
}

/**
 * Upgrades and campaigns in the scaffolder plugin's database (own tables and migrations table), so
 * every replica and a restarted backend see the same state.
 * @internal
 */
export class UpgradeStore {
  readonly #db: Knex;
  readonly #now: () => Date;

  static async create(options: {
    database: DatabaseService;
    now?: () => Date;
  }): Promise<UpgradeStore> {
    const db = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await db.migrate.latest({
        directory: resolvePackagePath(
          '@paved/backstage-plugin-scaffolder-backend-module-golden-paths',
          'migrations',
        ),
        tableName: 'paved_scaffolder_golden_paths_knex_migrations',
      });
    }
    return new UpgradeStore(db, options.now ?? (() => new Date()));
  }

  private constructor(db: Knex, now: () => Date) {
    this.#db = db;
    this.#now = now;
  }

  /** Inserts or replaces the upgrade of `repo` to `toVersion`. */
  async upsert(record: Omit<UpgradeRecord, 'updatedAt'>): Promise<void> {
    const row: UpgradeRow = {
      repo: record.repo,
      template: record.template,
      to_version: record.toVersion,
      from_version: record.fromVersion ?? null,
      branch: record.branch ?? null,
      status: record.status,
      conflicts: JSON.stringify(record.conflicts ?? []),
      commit_sha: record.commit ?? null,
      task_id: record.taskId ?? null,
      campaign_id: record.campaignId ?? null,
      message: record.message ?? null,
      updated_at: this.#now(),
    };
    const { repo: _repo, to_version: _version, ...update } = row;
    // A later write that does not know the campaign or task keeps them.
    const merge: Partial<UpgradeRow> = { ...update };
    if (record.campaignId === undefined) delete merge.campaign_id;
    if (record.taskId === undefined) delete merge.task_id;
    await this.#db(UPGRADES)
      .insert(row)
      .onConflict(['repo', 'to_version'])
      .merge(merge);
  }

  async setStatus(repo: string, toVersion: string, status: UpgradeStatus): Promise<void> {
    await this.#db(UPGRADES)
      .where({ repo, to_version: toVersion })
      .update({ status, updated_at: this.#now() });
  }

  async get(repo: string, toVersion: string): Promise<UpgradeRecord | undefined> {
    const row = await this.#db<UpgradeRow>(UPGRADES).where({ repo, to_version: toVersion }).first();
    return row ? toUpgrade(row) : undefined;
  }

  /** Every upgrade of a template (or all), newest target version last. */
  async list(options: { template?: string; repo?: string; campaignId?: string } = {}): Promise<UpgradeRecord[]> {
    const q = this.#db<UpgradeRow>(UPGRADES).select('*');
    if (options.template) q.where('template', options.template);
    if (options.repo) q.where('repo', options.repo);
    if (options.campaignId) q.where('campaign_id', options.campaignId);
    return (await q.orderBy(['repo', 'to_version'])).map(toUpgrade);
  }

  async createCampaign(c: Omit<CampaignRecord, 'createdAt'>): Promise<CampaignRecord> {
    const createdAt = this.#now();
    await this.#db(CAMPAIGNS).insert({
      id: c.id,
      template: c.template,
      to_version: c.toVersion,
      created_by: c.createdBy,
      total: c.total,
      created_at: createdAt,
    });
    return { ...c, createdAt: createdAt.toISOString() };
  }

  async getCampaign(id: string): Promise<CampaignRecord | undefined> {
    const row = await this.#db(CAMPAIGNS).where({ id }).first();
    return row
      ? {
          id: row.id,
          template: row.template,
          toVersion: row.to_version,
          createdBy: row.created_by,
          total: Number(row.total),
          createdAt: iso(row.created_at),
        }
      : undefined;
  }

  /** Counts of a campaign's upgrades by status. */
  async campaignCounts(id: string): Promise<Record<string, number>> {
    const rows = await this.#db(UPGRADES)
      .where({ campaign_id: id })
      .select('status')
      .count({ n: '*' })
      .groupBy('status');
    return Object.fromEntries(rows.map((r: any) => [r.status, Number(r.n)]));
  }
}
