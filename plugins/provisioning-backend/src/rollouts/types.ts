import type { RolloutStatus } from '@paved/backstage-plugin-provisioning-common';

/** Status of one resource in a rollout. @internal */
export type RolloutItemStatus =
  | 'pending'
  | 'applying'
  | 'applied'
  | 'failed'
  | 'rolled-back'
  | 'skipped';

/** A rollout as stored (times in epoch ms). @internal */
export interface RolloutRecord {
  id: string;
  type: string;
  targetVersion: string;
  status: RolloutStatus;
  reason?: string;
  strategy: 'percent' | 'owner';
  /** Sizes of every wave but the last, in percent (strategy percent). */
  wavePercents: number[];
  /** Only these owners' resources; undefined = all. */
  owners?: string[];
  soakMs: number;
  waveCount: number;
  /** 0-based index of the wave in progress. */
  currentWave: number;
  /** `applying`: the wave's resources are being applied; `soaking`: all applied, the gate is watched. */
  phase: 'applying' | 'soaking';
  /** Epoch ms when the current wave's soak ends. */
  soakUntil?: number;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  finishedAt?: number;
  claimedBy?: string;
  claimExpiresAt?: number;
}

/** One resource of a rollout. @internal */
export interface RolloutItemRecord {
  rolloutId: string;
  resourceId: string;
  /** 0-based wave index. */
  wave: number;
  name: string;
  owner: string;
  /** The version it was at when the rollout was planned (what a rollback applies again). */
  previousVersion: string;
  status: RolloutItemStatus;
  message?: string;
}

/** Fields of a rollout an update may change. @internal */
export type RolloutPatch = Partial<
  Pick<RolloutRecord, 'status' | 'currentWave' | 'phase'>
> & {
  reason?: string | null;
  soakUntil?: number | null;
  finishedAt?: number | null;
};

/**
 * Persistence of rollouts. Every state change is a guarded UPDATE, so that two replicas (or a replica that
 * resumed an expired claim) never both act.
 * @internal
 */
export interface RolloutStore {
  /**
   * Inserts a rollout and its items in one transaction; throws `ConflictError` when a rollout of the same type
   * is running or paused.
   */
  createRollout(rollout: RolloutRecord, items: RolloutItemRecord[]): Promise<void>;
  getRollout(id: string): Promise<RolloutRecord | undefined>;
  listRollouts(filter: { type?: string; status?: string; limit: number }): Promise<RolloutRecord[]>;
  listItems(rolloutId: string, wave?: number): Promise<RolloutItemRecord[]>;
  /** Applies the patch when the guard holds (status in `status`, claimed by `claimedBy`); whether it did. */
  updateRollout(
    id: string,
    patch: RolloutPatch,
    now: number,
    guard?: { status?: string | string[]; claimedBy?: string },
  ): Promise<boolean>;
  /** Sets an item's status (and message) when its status is one of `from`; whether it did. */
  updateItem(
    rolloutId: string,
    resourceId: string,
    status: RolloutItemStatus,
    message: string | null,
    now: number,
    from?: RolloutItemStatus[],
  ): Promise<boolean>;
  /** Sets the listed items that are `pending` to `applying` in one statement; how many. */
  markApplying(rolloutId: string, resourceIds: string[], now: number): Promise<number>;
  /** Sets every item of the rollout in status `from` to `to`; how many. */
  updateItems(
    rolloutId: string,
    from: RolloutItemStatus,
    to: RolloutItemStatus,
    message: string,
    now: number,
  ): Promise<number>;
  /** Ids of running rollouts without a valid claim at `now`, oldest first. */
  findClaimable(now: number, limit: number): Promise<string[]>;
  /** Atomically claims a running rollout whose claim is free or expired at `now`. */
  claim(id: string, worker: string, leaseMs: number, now: number): Promise<boolean>;
  release(id: string, worker: string): Promise<void>;
}
