import type { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { SignalsService } from '@backstage/plugin-signals-node';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { ResourceStore, StoredResource } from '../database/types';
import { PROVISIONING_NOTIFICATION_TOPIC } from '../service/ChangeNotifier';
import type { TransitionRunner } from '../service/TransitionRunner';
import { builtInVerdict, GateVerdict, RolloutGate } from './gate';
import type { RolloutItemRecord, RolloutRecord, RolloutStore } from './types';

/**
 * Signal channel (broadcast) on every step of a rollout, with message `{ id, status, currentWave, phase }`,
 * so that open rollout pages refresh.
 * @public
 */
export const ROLLOUT_SIGNAL_CHANNEL = 'provisioning:rollout';

/** The actor recorded for the changes a rollout makes. @internal */
export const rolloutActor = (id: string) => `plugin:provisioning/rollout:${id}`;

/**
 * Advances rollouts: a scheduled `tick` claims each running rollout in the database (a lease, so one replica at a
 * time works on it, and another takes over when a replica dies) and moves it on as far as it can:
 *
 * 1. `applying`: each pending resource of the current wave gets the lifecycle `update` with
 *    `targetVersion` (guarded: still ready and not already at the target, so nothing is applied twice), and the
 *    reconciler applies it; a resource that reaches `ready` at the target is `applied`; one that ends `failed` is
 *    rolled back (the previous version's settings applied again through the lifecycle) and the rollout fails with
 *    the reason. Deleted resources are skipped.
 * 2. `soaking`: once all are applied, the gate (built-in: ready and not drifted; then the injected one) is checked
 *    on every tick until the soak time has passed; a failed verdict rolls the named resource back and fails the
 *    rollout. Passing starts the next wave, or completes the rollout.
 *
 * Every step is a guarded database update; the clock is injected.
 * @internal
 */
export class RolloutRunner {
  readonly #rollouts: RolloutStore;
  readonly #store: ResourceStore;
  readonly #runner: TransitionRunner;
  readonly #kick: (id: string) => void;
  readonly #gate: RolloutGate;
  readonly #logger: LoggerService;
  readonly #auditor?: AuditorService;
  readonly #signals?: SignalsService;
  readonly #notifications?: NotificationService;
  readonly #now: () => number;
  readonly #leaseMs: number;
  /** Identifies this process in rollout claims. */
  readonly workerId: string;

  constructor(options: {
    rollouts: RolloutStore;
    store: ResourceStore;
    runner: TransitionRunner;
    kick: (id: string) => void;
    gate: RolloutGate;
    logger: LoggerService;
    auditor?: AuditorService;
    signals?: SignalsService;
    notifications?: NotificationService;
    now?: () => number;
    leaseMs: number;
    workerId?: string;
    /** Called after each gate check with its wall time in ms (metrics, benchmarks). */
    onGateChecked?: (info: { rolloutId: string; wave: number; passed: boolean; ms: number }) => void;
  }) {
    this.#rollouts = options.rollouts;
    this.#store = options.store;
    this.#runner = options.runner;
    this.#kick = options.kick;
    this.#gate = options.gate;
    this.#logger = options.logger;
    this.#auditor = options.auditor;
    this.#signals = options.signals;
    this.#notifications = options.notifications;
    this.#now = options.now ?? Date.now;
    this.#leaseMs = options.leaseMs;
    this.workerId = options.workerId ?? `${os.hostname()}:${process.pid}:${randomUUID()}`;
    this.#onGateChecked = options.onGateChecked;
  }

  readonly #onGateChecked?: (info: { rolloutId: string; wave: number; passed: boolean; ms: number }) => void;

  /** Advances every running rollout this replica can claim; returns how many it worked on. */
  async tick(limit = 20): Promise<number> {
    const ids = await this.#rollouts.findClaimable(this.#now(), limit);
    let worked = 0;
    for (const id of ids) {
      if (!(await this.#rollouts.claim(id, this.workerId, this.#leaseMs, this.#now()))) continue;
      worked += 1;
      try {
        await this.advance(id);
      } catch (e) {
        this.#logger.error(`Advancing rollout ${id} failed: ${(e as Error).message}`);
      } finally {
        await this.#rollouts.release(id, this.workerId).catch(() => undefined);
      }
    }
    return worked;
  }

  /** Moves one rollout (claimed by this worker) on as far as it can now. */
  async advance(id: string): Promise<void> {
    // a bounded number of steps per tick: one wave's apply, its gate, the next wave's start
    for (let step = 0; step < 6; step += 1) {
      const rollout = await this.#rollouts.getRollout(id);
      if (!rollout || rollout.status !== 'running') return;
      const progressed =
        rollout.phase === 'applying' ? await this.#apply(rollout) : await this.#soak(rollout);
      if (!progressed) return;
    }
  }

  async #guardedUpdate(rollout: RolloutRecord, patch: Parameters<RolloutStore['updateRollout']>[1]) {
    const ok = await this.#rollouts.updateRollout(rollout.id, patch, this.#now(), {
      status: 'running',
      claimedBy: this.workerId,
    });
    if (ok) await this.#publish({ ...rollout, ...patch } as RolloutRecord);
    return ok;
  }

  /** Returns true when the wave is fully applied and the rollout moved to `soaking`. */
  async #apply(rollout: RolloutRecord): Promise<boolean> {
    const items = await this.#rollouts.listItems(rollout.id, rollout.currentWave);
    const open = items.filter(i => i.status === 'pending' || i.status === 'applying');
    const resources = new Map(
      (await this.#store.getResources(open.map(i => i.resourceId))).map(r => [r.id, r]),
    );
    const toStart: Array<{ item: RolloutItemRecord; r: StoredResource }> = [];
    for (const item of open) {
      const r = resources.get(item.resourceId);
      const now = this.#now();
      if (!r || r.state === 'deleted' || r.state === 'deleting') {
        await this.#rollouts.updateItem(rollout.id, item.resourceId, 'skipped', 'deleted', now, [item.status]);
        continue;
      }
      if (r.state === 'ready' && r.appliedVersion === rollout.targetVersion && !r.targetVersion) {
        await this.#rollouts.updateItem(rollout.id, item.resourceId, 'applied', `at ${rollout.targetVersion}`, now, [
          item.status,
        ]);
        continue;
      }
      if (item.status === 'pending' && r.state === 'failed') {
        await this.#rollouts.updateItem(
          rollout.id,
          item.resourceId,
          'skipped',
          `was failed before the rollout: ${r.reason ?? 'see its events'}`,
          now,
          ['pending'],
        );
        continue;
      }
      if (item.status === 'applying' && r.state === 'failed' && r.targetVersion === rollout.targetVersion) {
        const reason = `${r.type}/${r.name}: applying ${rollout.targetVersion} failed: ${r.reason ?? 'see its events'}`;
        await this.#rollouts.updateItem(rollout.id, item.resourceId, 'failed', r.reason ?? 'failed', now, ['applying']);
        await this.#rollback(rollout, item, r, reason);
        await this.#fail(rollout, reason);
        return false;
      }
      if (r.state === 'ready' && !r.targetVersion) {
        // not started yet (or started by a worker that died before its transition): start it
        toStart.push({ item, r });
      }
      // otherwise: being worked on (by this rollout, or an owner's own change); look again next tick
    }
    await this.#start(rollout, toStart);
    const after = await this.#rollouts.listItems(rollout.id, rollout.currentWave);
    if (after.every(i => i.status === 'applied' || i.status === 'skipped')) {
      return this.#guardedUpdate(rollout, {
        phase: 'soaking',
        soakUntil: this.#now() + rollout.soakMs,
      });
    }
    return false;
  }

  /**
   * Starts the apply of the target version on ready resources: marks their items `applying`, then the lifecycle
   * `update` (with `targetVersion`) in transactions of 50, each guarded so that nothing is applied twice, then
   * kicks the reconciler.
   */
  async #start(rollout: RolloutRecord, toStart: Array<{ item: RolloutItemRecord; r: StoredResource }>) {
    if (toStart.length === 0) return;
    const actor = rolloutActor(rollout.id);
    for (let i = 0; i < toStart.length; i += 50) {
      const chunk = toStart.slice(i, i + 50);
      // keep the lease while issuing a large wave
      await this.#rollouts.claim(rollout.id, this.workerId, this.#leaseMs, this.#now());
      await this.#rollouts.markApplying(
        rollout.id,
        chunk.filter(c => c.item.status === 'pending').map(c => c.item.resourceId),
        this.#now(),
      );
      const results = await this.#runner.runAll(
        chunk.map(({ r }) => ({
          resource: r,
          event: 'update' as const,
          actor,
          message: `Rollout ${rollout.id}: applying ${r.type} ${rollout.targetVersion} (was ${r.appliedVersion ?? 'unknown'})`,
          patch: {
            targetVersion: rollout.targetVersion,
            // a change awaiting approval stays pending
            ...(r.pendingChange ? { pendingChange: r.pendingChange } : {}),
          },
          guard: { appliedVersionNot: rollout.targetVersion, noTargetVersion: true },
          auditEventId: 'resource-rollout',
        })),
      );
      chunk.forEach(({ r }, k) => {
        if (results[k]) this.#kick(r.id);
      });
    }
    const fresh = toStart.filter(c => c.item.status === 'pending').map(c => c.item);
    if (fresh.length > 0) await this.#notifyOwners(rollout, fresh);
  }

  /** Returns true when the wave passed its gate (next wave started, or the rollout succeeded). */
  async #soak(rollout: RolloutRecord): Promise<boolean> {
    const started = Date.now();
    const result = await this.#soakStep(rollout);
    this.#onGateChecked?.({
      rolloutId: rollout.id,
      wave: rollout.currentWave,
      passed: result !== 'failed',
      ms: Date.now() - started,
    });
    return result === true;
  }

  /** The gate step: true when the wave passed and the next started; 'failed' when the gate failed. */
  async #soakStep(rollout: RolloutRecord): Promise<boolean | 'failed'> {
    const items = (await this.#rollouts.listItems(rollout.id, rollout.currentWave)).filter(
      i => i.status === 'applied',
    );
    const resources = (
      await Promise.all(items.map(i => this.#store.getResource(i.resourceId)))
    ).filter((r): r is StoredResource => Boolean(r) && r!.state !== 'deleted' && r!.state !== 'deleting');
    let verdict: GateVerdict = builtInVerdict(resources);
    if (verdict.passed) {
      verdict = await this.#gate.check({ rollout, wave: rollout.currentWave, resources });
    }
    if (!verdict.passed) {
      const reason = `Wave ${rollout.currentWave + 1} failed its health gate: ${verdict.reason}`;
      const item = verdict.resourceId ? items.find(i => i.resourceId === verdict.resourceId) : undefined;
      const r = resources.find(x => x.id === verdict.resourceId);
      if (item && r) {
        await this.#rollback(rollout, item, r, reason);
      }
      await this.#fail(rollout, reason);
      return 'failed';
    }
    if (this.#now() < (rollout.soakUntil ?? 0)) return false;
    const last = rollout.currentWave + 1 >= rollout.waveCount;
    await this.#audit('rollout-wave-passed', rollout, {
      wave: rollout.currentWave + 1,
      resources: items.length,
    });
    if (last) {
      const ok = await this.#guardedUpdate(rollout, {
        status: 'succeeded',
        finishedAt: this.#now(),
        soakUntil: null,
      });
      if (ok) {
        this.#logger.info(`Rollout ${rollout.id} of ${rollout.type} ${rollout.targetVersion} succeeded`);
        await this.#audit('rollout-succeeded', rollout, {});
      }
      return false;
    }
    return this.#guardedUpdate(rollout, {
      currentWave: rollout.currentWave + 1,
      phase: 'applying',
      soakUntil: null,
    });
  }

  async #rollback(rollout: RolloutRecord, item: RolloutItemRecord, r: StoredResource, reason: string) {
    const now = this.#now();
    const ok =
      (r.state === 'ready' || r.state === 'failed') &&
      (await this.#runner.run({
        resource: r,
        event: 'update',
        actor: rolloutActor(rollout.id),
        message: `Rollout ${rollout.id}: rolling back to ${item.previousVersion}: ${reason}`,
        patch: {
          targetVersion: item.previousVersion,
          ...(r.pendingChange ? { pendingChange: r.pendingChange } : {}),
        },
        auditEventId: 'resource-rollback',
      }));
    if (ok) this.#kick(r.id);
    await this.#rollouts.updateItem(
      rollout.id,
      item.resourceId,
      'rolled-back',
      ok ? `rolled back to ${item.previousVersion}: ${reason}` : `rollback to ${item.previousVersion} not possible while ${r.state}: ${reason}`,
      now,
    );
    await this.#notifications
      ?.send({
        recipients: { type: 'entity', entityRef: r.owner },
        payload: {
          title: `${r.type}/${r.name}: rolled back to ${item.previousVersion}`,
          description: reason,
          link: `/provisioning/resources/${r.id}`,
          severity: 'high',
          topic: PROVISIONING_NOTIFICATION_TOPIC,
        },
      })
      .catch(e => this.#logger.warn(`Sending a notification failed: ${(e as Error).message}`));
  }

  async #fail(rollout: RolloutRecord, reason: string) {
    const ok = await this.#guardedUpdate(rollout, { status: 'failed', reason, finishedAt: this.#now() });
    if (ok) {
      this.#logger.warn(`Rollout ${rollout.id} of ${rollout.type} ${rollout.targetVersion} stopped: ${reason}`);
      await this.#audit('rollout-failed', rollout, { reason }, 'high');
    }
  }

  async #notifyOwners(rollout: RolloutRecord, items: RolloutItemRecord[]) {
    if (!this.#notifications) return;
    const byOwner = new Map<string, string[]>();
    for (const i of items) byOwner.set(i.owner, [...(byOwner.get(i.owner) ?? []), i.name]);
    await Promise.allSettled(
      [...byOwner].map(([owner, names]) =>
        this.#notifications!.send({
          recipients: { type: 'entity', entityRef: owner },
          payload: {
            title: `${rollout.type} ${rollout.targetVersion} is being rolled out to ${names.length} of your resource${names.length > 1 ? 's' : ''}`,
            description: `Wave ${rollout.currentWave + 1} of ${rollout.waveCount}: ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', …' : ''}. A resource that fails is rolled back to its previous version.`,
            link: `/provisioning/rollouts/${rollout.id}`,
            severity: 'normal',
            topic: PROVISIONING_NOTIFICATION_TOPIC,
          },
        }),
      ),
    );
  }

  async #audit(
    eventId: string,
    rollout: RolloutRecord,
    meta: Record<string, unknown>,
    severityLevel: 'low' | 'medium' | 'high' = 'medium',
  ) {
    try {
      const event = await this.#auditor?.createEvent({
        eventId,
        severityLevel,
        meta: {
          rolloutId: rollout.id,
          type: rollout.type,
          targetVersion: rollout.targetVersion,
          ...meta,
        },
      });
      await event?.success();
    } catch (e) {
      this.#logger.warn(`Auditor event failed: ${(e as Error).message}`);
    }
  }

  async #publish(rollout: RolloutRecord) {
    try {
      await this.#signals?.publish({
        recipients: { type: 'broadcast' },
        channel: ROLLOUT_SIGNAL_CHANNEL,
        message: {
          id: rollout.id,
          status: rollout.status,
          currentWave: rollout.currentWave,
          phase: rollout.phase,
        },
      });
    } catch (e) {
      this.#logger.warn(`Publishing signal failed: ${(e as Error).message}`);
    }
  }
}
