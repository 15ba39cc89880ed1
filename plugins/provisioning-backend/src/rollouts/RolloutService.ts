import type {
  AuditorService,
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  provisioningRolloutManagePermission,
  Rollout,
  RolloutWave,
} from '@paved/backstage-plugin-provisioning-common';
import type { Request } from 'express';
import { randomUUID } from 'node:crypto';
import type { ResourceStore, StoredResource } from '../database/types';
import type { TypeRegistry } from '../service/TypeRegistry';
import { createVersionOf, currentVersion, findVersion } from '../versions/semver';
import { percentWaveName, planWaves } from './planner';
import type { RolloutRunner } from './RolloutRunner';
import type { RolloutItemRecord, RolloutRecord, RolloutStore } from './types';

type Caller = { credentials: BackstageCredentials; request?: Request };

/** The body of `POST /rollouts`. @internal */
export interface CreateRolloutInput {
  type: string;
  targetVersion?: string;
  strategy?: 'percent' | 'owner';
  waves?: number[];
  owners?: string[];
  soakSeconds?: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The rollouts API: plans and starts rollouts, answers their progress, pauses, resumes and aborts them.
 * Starting and steering need `provisioning.rollout.manage` (the platform team in the default policy); reading
 * needs a signed-in caller only. Every change is audited.
 * @internal
 */
export class RolloutService {
  readonly #rollouts: RolloutStore;
  readonly #store: ResourceStore;
  readonly #types: TypeRegistry;
  readonly #permissions: PermissionsService;
  readonly #auditor: AuditorService;
  readonly #logger: LoggerService;
  readonly #defaultSoakMs: number;
  readonly #now: () => number;
  readonly #runner?: Pick<RolloutRunner, 'tick'>;

  constructor(options: {
    rollouts: RolloutStore;
    store: ResourceStore;
    types: TypeRegistry;
    permissions: PermissionsService;
    auditor: AuditorService;
    logger: LoggerService;
    defaultSoakMs: number;
    now?: () => number;
    /** Ticked right after a start or resume so the first wave begins without waiting for the schedule. */
    runner?: Pick<RolloutRunner, 'tick'>;
  }) {
    this.#rollouts = options.rollouts;
    this.#store = options.store;
    this.#types = options.types;
    this.#permissions = options.permissions;
    this.#auditor = options.auditor;
    this.#logger = options.logger;
    this.#defaultSoakMs = options.defaultSoakMs;
    this.#now = options.now ?? Date.now;
    this.#runner = options.runner;
  }

  #actor(credentials: BackstageCredentials): string {
    const p = credentials.principal as { type: string; userEntityRef?: string; subject?: string };
    if (p.type === 'user' && p.userEntityRef) return p.userEntityRef;
    if (p.type === 'service' && p.subject) return p.subject;
    return p.type;
  }

  async #authorize(credentials: BackstageCredentials) {
    const [decision] = await this.#permissions.authorize(
      [{ permission: provisioningRolloutManagePermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError('Only the platform team may start, pause, resume or abort rollouts');
    }
  }

  async #audited<T>(
    eventId: string,
    caller: Caller,
    meta: Record<string, unknown>,
    fn: () => Promise<T>,
  ): Promise<T> {
    const event = await this.#auditor.createEvent({
      eventId,
      severityLevel: 'medium',
      request: caller.request,
      meta: { actor: this.#actor(caller.credentials), ...meta },
    });
    try {
      const result = await fn();
      await event.success();
      return result;
    } catch (e) {
      await event.fail({ error: e as Error });
      throw e;
    }
  }

  async #liveResources(type: string): Promise<StoredResource[]> {
    const out: StoredResource[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.#store.listResources({ filter: { type }, cursor, limit: 500 });
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  /** Plans and starts a rollout; see `POST /rollouts` in the OpenAPI spec. */
  async create(input: CreateRolloutInput, caller: Caller): Promise<Rollout> {
    await this.#authorize(caller.credentials);
    const type = this.#types.get(input.type);
    if (!type) {
      throw new InputError(
        `Unknown resource type '${input.type}'; available: ${this.#types.list().map(t => t.id).join(', ') || 'none'}`,
      );
    }
    const targetVersion = input.targetVersion ?? currentVersion(type);
    if (!findVersion(type, targetVersion)) {
      throw new InputError(
        `Resource type '${type.id}' has no version '${targetVersion}'; declared: ${(type.versions ?? [])
          .map(v => v.version)
          .join(', ') || currentVersion(type)}`,
      );
    }
    const strategy = input.strategy ?? 'percent';
    const soakMs = input.soakSeconds !== undefined ? input.soakSeconds * 1000 : this.#defaultSoakMs;
    const owners = input.owners?.length ? [...new Set(input.owners)] : undefined;
    return this.#audited(
      'rollout-create',
      caller,
      { type: type.id, targetVersion, strategy, owners, soakMs },
      async () => {
        const candidates = (await this.#liveResources(type.id)).filter(
          r =>
            r.state !== 'awaiting-approval' &&
            r.state !== 'deleting' &&
            (r.appliedVersion ?? r.targetVersion ?? createVersionOf(type)) !== targetVersion &&
            (!owners || owners.includes(r.owner)),
        );
        if (candidates.length === 0) {
          throw new ConflictError(
            `No ${type.id} resource${owners ? ` of ${owners.join(', ')}` : ''} is behind version ${targetVersion}`,
          );
        }
        const plan = planWaves(candidates, { strategy, percents: input.waves });
        const now = this.#now();
        const id = randomUUID();
        const rollout: RolloutRecord = {
          id,
          type: type.id,
          targetVersion,
          status: 'running',
          strategy,
          wavePercents: strategy === 'percent' ? input.waves ?? [5, 25] : [],
          ...(owners ? { owners } : {}),
          soakMs,
          waveCount: plan.waves.length,
          currentWave: 0,
          phase: 'applying',
          createdBy: this.#actor(caller.credentials),
          createdAt: now,
          updatedAt: now,
        };
        const items: RolloutItemRecord[] = plan.waves.flatMap((w, wave) =>
          w.resources.map(r => ({
            rolloutId: id,
            resourceId: r.id,
            wave,
            name: r.name,
            owner: r.owner,
            previousVersion: r.appliedVersion ?? r.targetVersion ?? createVersionOf(type),
            status: 'pending' as const,
          })),
        );
        await this.#rollouts.createRollout(rollout, items);
        this.#logger.info(
          `Rollout ${id} of ${type.id} ${targetVersion} started by ${rollout.createdBy}: ${items.length} resource(s) in ${plan.waves.length} wave(s)`,
        );
        this.#runner?.tick().catch(() => undefined);
        return this.get(id);
      },
    );
  }

  async list(filter: { type?: string; status?: string }): Promise<Rollout[]> {
    const records = await this.#rollouts.listRollouts({ ...filter, limit: 100 });
    return Promise.all(records.map(async r => toRollout(r, await this.#rollouts.listItems(r.id), false)));
  }

  async get(id: string): Promise<Rollout> {
    const r = UUID.test(id) ? await this.#rollouts.getRollout(id) : undefined;
    if (!r) throw new NotFoundError(`No rollout ${id}`);
    return toRollout(r, await this.#rollouts.listItems(id), true);
  }

  async #steer(
    id: string,
    caller: Caller,
    action: 'pause' | 'resume' | 'abort',
  ): Promise<Rollout> {
    await this.#authorize(caller.credentials);
    const from = { pause: ['running'], resume: ['paused'], abort: ['running', 'paused'] }[action];
    const to = ({ pause: 'paused', resume: 'running', abort: 'aborted' } as const)[action];
    return this.#audited(`rollout-${action}`, caller, { rolloutId: id }, async () => {
      const current = await this.get(id);
      const now = this.#now();
      const actor = this.#actor(caller.credentials);
      const ok = await this.#rollouts.updateRollout(
        id,
        {
          status: to,
          ...(action === 'abort' ? { reason: `Aborted by ${actor}`, finishedAt: now } : {}),
          ...(action === 'pause' ? { reason: `Paused by ${actor}` } : {}),
          ...(action === 'resume' ? { reason: null } : {}),
        },
        now,
        { status: from },
      );
      if (!ok) {
        throw new ConflictError(`Cannot ${action} the rollout while it is ${current.status}`);
      }
      if (action === 'abort') {
        await this.#rollouts.updateItems(id, 'pending', 'skipped', `rollout aborted by ${actor}`, now);
      }
      if (action === 'resume') this.#runner?.tick().catch(() => undefined);
      return this.get(id);
    });
  }

  pause(id: string, caller: Caller) {
    return this.#steer(id, caller, 'pause');
  }

  resume(id: string, caller: Caller) {
    return this.#steer(id, caller, 'resume');
  }

  abort(id: string, caller: Caller) {
    return this.#steer(id, caller, 'abort');
  }
}

/** Stored rollout + items -> the API's Rollout (waves with counts; items only when `withItems`). @internal */
export function toRollout(r: RolloutRecord, items: RolloutItemRecord[], withItems: boolean): Rollout {
  const waves: RolloutWave[] = [];
  for (let index = 0; index < r.waveCount; index += 1) {
    const mine = items.filter(i => i.wave === index);
    const count = (s: string) => mine.filter(i => i.status === s).length;
    let status: RolloutWave['status'];
    if (index < r.currentWave || (r.status === 'succeeded' && index === r.currentWave)) status = 'passed';
    else if (index > r.currentWave) status = r.status === 'aborted' || r.status === 'failed' ? 'aborted' : 'pending';
    else if (r.status === 'failed') status = 'failed';
    else if (r.status === 'aborted') status = 'aborted';
    else status = r.phase === 'soaking' ? 'soaking' : 'applying';
    const name =
      r.strategy === 'owner'
        ? mine[0]?.owner ?? `wave ${index + 1}`
        : percentWaveName(index, r.waveCount);
    waves.push({
      index,
      name,
      status,
      total: mine.length,
      applied: count('applied'),
      failed: count('failed'),
      rolledBack: count('rolled-back'),
      skipped: count('skipped'),
      ...(index === r.currentWave && r.phase === 'soaking' && r.soakUntil !== undefined && r.status === 'running'
        ? { soakUntil: new Date(r.soakUntil).toISOString() }
        : {}),
      items: withItems
        ? mine.map(i => ({
            resourceId: i.resourceId,
            name: i.name,
            owner: i.owner,
            previousVersion: i.previousVersion,
            status: i.status,
            ...(i.message ? { message: i.message } : {}),
          }))
        : [],
    });
  }
  return {
    id: r.id,
    type: r.type,
    targetVersion: r.targetVersion,
    status: r.status,
    ...(r.reason ? { reason: r.reason } : {}),
    strategy: r.strategy,
    wavePercents: r.wavePercents,
    ...(r.owners ? { owners: r.owners } : {}),
    soakSeconds: Math.round(r.soakMs / 1000),
    currentWave: r.currentWave,
    waves,
    total: items.length,
    applied: items.filter(i => i.status === 'applied').length,
    createdBy: r.createdBy,
    createdAt: new Date(r.createdAt).toISOString(),
    updatedAt: new Date(r.updatedAt).toISOString(),
    ...(r.finishedAt !== undefined ? { finishedAt: new Date(r.finishedAt).toISOString() } : {}),
  };
}
