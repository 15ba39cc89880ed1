import { LoggerService } from '@backstage/backend-plugin-api';
import type {
  ResourceCondition,
  ResourceState,
  ResourceType,
} from '@paved/backstage-plugin-provisioning-common';
import type {
  DriverContext,
  DriverResource,
} from '@paved/backstage-plugin-provisioning-node';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { ProvisioningConfig } from '../config';
import type { ResourceStore, StoredResource, PendingOperation } from '../database/types';
import type { SecretsCipher } from '../secrets/SecretsCipher';
import type { ChangeNotifier } from '../service/ChangeNotifier';
import type { TypeRegistry } from '../service/TypeRegistry';

/** The actor recorded for the reconciler's own transitions. @internal */
export const RECONCILER_ACTOR = 'plugin:provisioning';

const WORKING_STATE: Record<PendingOperation, ResourceState> = {
  create: 'provisioning',
  update: 'updating',
  repair: 'updating',
  delete: 'deleting',
};

/** Exponential backoff in ms for the given (1-based) attempt. @internal */
export function backoffMs(
  attempt: number,
  initialMs: number,
  maxMs: number,
): number {
  return Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
}

/** Replaces any secret value that appears in a message. @internal */
export function scrubSecrets(
  message: string,
  secrets: Record<string, string>,
): string {
  let out = message;
  for (const value of Object.values(secrets)) {
    if (value && value.length >= 4) {
      out = out.split(value).join('***');
    }
  }
  return out.length > 2000 ? `${out.slice(0, 2000)}…` : out;
}

class TimeoutError extends Error {
  name = 'TimeoutError';
}

async function withTimeout<T>(
  work: (signal: AbortSignal) => Promise<T>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(
        new TimeoutError(`${what} timed out after ${Math.round(timeoutMs / 1000)} s`),
      );
    }, timeoutMs);
  });
  try {
    return await Promise.race([work(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Drives resources through their lifecycle. Work is claimed atomically in the database with a
 * renewed lease, so any number of replicas (and restarts after a crash) can share it: a claim
 * whose lease expired is picked up again, and drivers are idempotent.
 * @internal
 */
export class Reconciler {
  readonly #store: ResourceStore;
  readonly #types: TypeRegistry;
  readonly #cipher: SecretsCipher;
  readonly #notifier: ChangeNotifier;
  readonly #logger: LoggerService;
  readonly #options: ProvisioningConfig['reconciler'];
  readonly #concurrency: number;
  /** Identifies this process in claims. */
  readonly workerId: string;
  readonly #queue: string[] = [];
  readonly #queued = new Set<string>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #running = 0;
  #stopped = false;
  #idleWaiters: (() => void)[] = [];
  readonly #inflight = new Set<Promise<unknown>>();

  constructor(options: {
    store: ResourceStore;
    types: TypeRegistry;
    cipher: SecretsCipher;
    notifier: ChangeNotifier;
    logger: LoggerService;
    config: ProvisioningConfig['reconciler'];
    concurrency?: number;
  }) {
    this.#store = options.store;
    this.#types = options.types;
    this.#cipher = options.cipher;
    this.#notifier = options.notifier;
    this.#logger = options.logger;
    this.#options = options.config;
    this.#concurrency = options.concurrency ?? 8;
    this.workerId = `${os.hostname()}:${process.pid}:${randomUUID()}`;
  }

  /** Queues processing of a resource in this process (fire and forget). */
  kick(id: string): void {
    if (this.#stopped || this.#queued.has(id)) {
      return;
    }
    this.#queued.add(id);
    this.#queue.push(id);
    this.#pump();
  }

  #pump() {
    while (this.#running < this.#concurrency && this.#queue.length > 0) {
      const id = this.#queue.shift()!;
      this.#queued.delete(id);
      this.#running += 1;
      this.#track(this.processOne(id))
        .catch(e =>
          this.#logger.error(`Reconciling resource ${id} failed: ${(e as Error).message}`),
        )
        .finally(() => {
          this.#running -= 1;
          this.#pump();
          if (this.#running === 0 && this.#queue.length === 0) {
            this.#idleWaiters.splice(0).forEach(w => w());
          }
        });
    }
  }

  /** Resolves when nothing is queued or running in this process (tests). */
  async idle(): Promise<void> {
    if (this.#running === 0 && this.#queue.length === 0) return;
    await new Promise<void>(resolve => this.#idleWaiters.push(resolve));
  }

  /** Stops taking work and waits (at most `waitMs`) for in-flight work to finish. */
  async stop(waitMs = 15_000): Promise<void> {
    this.#stopped = true;
    this.#queue.length = 0;
    this.#queued.clear();
    this.#timers.forEach(t => clearTimeout(t));
    this.#timers.clear();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.#inflight]),
      new Promise(resolve => {
        timer = setTimeout(resolve, waitMs);
      }),
    ]);
    clearTimeout(timer);
  }

  #track<T>(work: Promise<T>): Promise<T> {
    this.#inflight.add(work);
    const done = () => this.#inflight.delete(work);
    work.then(done, done);
    return work;
  }

  /** Picks up every due resource, including those whose claim expired (a crashed replica). */
  async sweep(limit = 100): Promise<number> {
    if (this.#stopped) {
      return 0;
    }
    const ids = await this.#store.findDue(limit);
    ids.forEach(id => this.kick(id));
    return ids.length;
  }

  #later(id: string, delayMs: number) {
    if (this.#stopped) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.kick(id);
    }, delayMs + 20);
    timer.unref?.();
    this.#timers.add(timer);
  }

  #heartbeat(id: string): () => void {
    const every = Math.max(200, Math.floor(this.#options.leaseDurationMs / 3));
    const timer = setInterval(() => {
      this.#store
        .renewClaim(id, this.workerId, this.#options.leaseDurationMs)
        .catch(() => undefined);
    }, every);
    timer.unref?.();
    return () => clearInterval(timer);
  }

  #driverResource(r: StoredResource, type: ResourceType): DriverResource {
    return {
      id: r.id,
      name: r.name,
      type,
      owner: r.owner,
      parameters: r.parameters,
    };
  }

  #secrets(r: StoredResource): Record<string, string> {
    return r.encryptedSecrets
      ? this.#cipher.decrypt(r.encryptedSecrets, r.id)
      : {};
  }

  async #transition(
    r: StoredResource,
    to: ResourceState,
    message: string,
    patch: Parameters<ResourceStore['updateResource']>[1],
    eventType = 'transition',
  ): Promise<boolean> {
    const ok = await this.#store.updateResource(
      r.id,
      { ...patch, state: to },
      {
        guard: { state: r.state, claimedBy: this.workerId },
        event: {
          actor: RECONCILER_ACTOR,
          type: eventType,
          fromState: r.state,
          toState: to,
          message,
        },
      },
    );
    if (ok) {
      this.#logger.info(`Resource ${r.type}/${r.name} ${r.state} -> ${to}`, {
        resourceId: r.id,
      });
      await this.#notifier.notify({
        id: r.id,
        name: r.name,
        type: r.type,
        owner: r.owner,
        eventId: 'resource-transition',
        actor: RECONCILER_ACTOR,
        fromState: r.state,
        toState: to,
        message,
      });
    }
    return ok;
  }

  /** Claims and works on one resource if it has due work; returns whether it did. */
  async processOne(id: string): Promise<boolean> {
    if (this.#stopped) {
      return false;
    }
    if (!(await this.#store.claimDue(id, this.workerId, this.#options.leaseDurationMs))) {
      return false;
    }
    const stopHeartbeat = this.#heartbeat(id);
    let again = false;
    try {
      again = await this.#work(id);
    } finally {
      stopHeartbeat();
      await this.#store.releaseClaim(id, this.workerId).catch(() => undefined);
    }
    if (again) {
      this.kick(id);
    }
    return true;
  }

  /** Returns true when the resource should be looked at again right away. */
  async #work(id: string): Promise<boolean> {
    let r = await this.#store.getResource(id);
    if (!r) return false;
    const op = r.pendingOperation;
    if (!op || r.state === 'awaiting-approval' || r.state === 'failed' || r.state === 'deleted') {
      await this.#store.updateResource(id, { nextAttemptAt: null }, {
        guard: { claimedBy: this.workerId },
      });
      return false;
    }
    const type = this.#types.get(r.type);
    const driver = type && this.#types.driverFor(type);
    const working = WORKING_STATE[op];
    if (r.state !== working) {
      const verb = { create: 'Creating', update: 'Updating', repair: 'Repairing', delete: 'Deleting' }[op];
      if (!(await this.#transition(r, working, `${verb} (attempt ${r.attempts + 1})`, {}))) {
        return true;
      }
      r = { ...r, state: working };
    }
    let secrets: Record<string, string> = {};
    try {
      if (!type || !driver) {
        throw new Error(
          `Resource type '${r.type}' is not offered (its driver is not installed or not configured)`,
        );
      }
      secrets = this.#secrets(r);
      const ctx = (signal: AbortSignal): DriverContext => ({
        logger: this.#logger.child({ resourceId: r!.id }),
        signal,
        secrets,
      });
      const target = this.#driverResource(r, type);
      const timeoutMs = this.#options.operationTimeoutMs;
      const what = `${op} of ${r.type}/${r.name}`;
      if (op === 'delete') {
        await withTimeout(s => driver.delete(target, ctx(s)), timeoutMs, what);
        const done = await this.#transition(r, 'deleted', 'Deleted', {
          pendingOperation: null,
          pendingParameters: null,
          nextAttemptAt: null,
          attempts: 0,
          reason: null,
          drifted: false,
          outputs: {},
          encryptedSecrets: null,
          monthlyCostUsd: 0,
        });
        return !done;
      }
      const result = await withTimeout(
        s => (op === 'update' ? driver.update(target, ctx(s)) : driver.create(target, ctx(s))),
        timeoutMs,
        what,
      );
      const now = new Date().toISOString();
      const conditions: ResourceCondition[] = result.conditions ?? [
        { type: 'Ready', status: 'True', reason: 'Reconciled', lastTransitionTime: now },
      ];
      const done = await this.#transition(
        r,
        'ready',
        { create: 'Ready', update: 'Updated', repair: 'Drift repaired' }[op],
        {
          pendingOperation: null,
          nextAttemptAt: null,
          attempts: 0,
          reason: null,
          drifted: false,
          outputs: result.outputs ?? {},
          conditions,
          ...(result.secrets
            ? { encryptedSecrets: this.#cipher.encrypt(result.secrets, r.id) }
            : {}),
        },
        op === 'repair' ? 'drift-repaired' : 'transition',
      );
      return !done;
    } catch (e) {
      const error = e as Error;
      const message = scrubSecrets(error?.message ?? String(e), secrets);
      const attempts = r.attempts + 1;
      const permanent = error?.name === 'InputError';
      if (permanent || attempts >= this.#options.maxAttempts) {
        const reason = `${op} failed after ${attempts} attempt${attempts > 1 ? 's' : ''}: ${message}`;
        const done = await this.#transition(r, 'failed', reason, {
          attempts,
          nextAttemptAt: null,
          reason,
          conditions: [
            {
              type: 'Ready',
              status: 'False',
              reason: 'Failed',
              message: reason,
              lastTransitionTime: new Date().toISOString(),
            },
          ],
        });
        return !done;
      }
      const delay = backoffMs(attempts, this.#options.backoffInitialMs, this.#options.backoffMaxMs);
      const reason = `Attempt ${attempts} of ${this.#options.maxAttempts} failed: ${message}; retrying in ${Math.ceil(delay / 1000)} s`;
      const ok = await this.#store.updateResource(
        r.id,
        { attempts, nextAttemptAt: Date.now() + delay, reason },
        {
          guard: { state: r.state, claimedBy: this.workerId },
          event: { actor: RECONCILER_ACTOR, type: 'attempt-failed', message: reason },
        },
      );
      this.#logger.warn(`Resource ${r.type}/${r.name}: ${reason}`, { resourceId: r.id });
      if (ok) {
        this.#later(r.id, delay);
        return false;
      }
      return true;
    }
  }

  /**
   * Observes ready resources whose drift check is due; returns how many were checked.
   * `slackMs` is the period of the calling task.
   */
  async checkDrift(limit = 200, slackMs = 0): Promise<number> {
    if (this.#stopped) {
      return 0;
    }
    // checks run every few seconds; take off their period so that each resource is observed
    // at most one interval after its previous check
    const interval = Math.max(0, this.#options.driftCheckIntervalMs - slackMs);
    const ids = await this.#store.findDriftCheckDue(interval, limit);
    let checked = 0;
    const lanes = Array.from({ length: Math.min(this.#concurrency, ids.length) }, async () => {
      for (let id = ids.shift(); id && !this.#stopped; id = ids.shift()) {
        if (await this.#store.claimForDriftCheck(id, this.workerId, this.#options.leaseDurationMs, interval)) {
          checked += 1;
          let repair = false;
          try {
            repair = await this.#observe(id);
          } catch (e) {
            this.#logger.warn(`Drift check of resource ${id} failed: ${(e as Error).message}`);
          } finally {
            await this.#store.releaseClaim(id, this.workerId).catch(() => undefined);
          }
          if (repair) this.kick(id);
        }
      }
    });
    await this.#track(Promise.all(lanes));
    return checked;
  }

  /** Returns true when a repair was scheduled. */
  async #observe(id: string): Promise<boolean> {
    const r = await this.#store.getResource(id);
    if (!r || r.state !== 'ready') return false;
    const type = this.#types.get(r.type);
    const driver = type && this.#types.driverFor(type);
    if (!type || !driver) return false;
    const secrets = this.#secrets(r);
    const observed = await withTimeout(
      signal =>
        driver.observe(this.#driverResource(r, type), {
          logger: this.#logger.child({ resourceId: r.id }),
          signal,
          secrets,
        }),
      this.#options.operationTimeoutMs,
      `observe of ${r.type}/${r.name}`,
    );
    const guard = { state: 'ready' as const, claimedBy: this.workerId };
    if (observed.status === 'ready') {
      if (observed.secrets && Object.keys(observed.secrets).length > 0) {
        // secrets that appeared after creation (e.g. a control plane's connection Secret)
        const known = JSON.stringify(secrets);
        if (JSON.stringify({ ...secrets, ...observed.secrets }) !== known) {
          await this.#store.updateResource(
            r.id,
            {
              encryptedSecrets: this.#cipher.encrypt({ ...secrets, ...observed.secrets }, r.id),
              outputs: observed.outputs,
            },
            { guard },
          );
        }
      }
      if (r.drifted) {
        await this.#store.updateResource(
          r.id,
          { drifted: false, reason: null, outputs: observed.outputs },
          { guard, event: { actor: RECONCILER_ACTOR, type: 'drift-resolved', message: 'No longer drifted' } },
        );
        await this.#notify(r, 'resource-drift-resolved', 'No longer drifted');
      }
      return false;
    }
    if (observed.status === 'pending') return false;
    const prefix = {
      missing: 'Missing from the infrastructure',
      failed: 'Infrastructure reports a failure',
      drifted: 'Drifted',
    }[observed.status];
    const reason = scrubSecrets(`${prefix}: ${observed.reason}`, secrets);
    const condition: ResourceCondition = {
      type: 'Drifted',
      status: 'True',
      reason: observed.status === 'missing' ? 'Missing' : 'Drifted',
      message: reason,
      lastTransitionTime: new Date().toISOString(),
    };
    if (!r.drifted || r.reason !== reason) {
      const changed = await this.#store.updateResource(
        r.id,
        {
          drifted: true,
          reason,
          conditions: [...r.conditions.filter(c => c.type !== 'Drifted'), condition],
        },
        { guard, event: { actor: RECONCILER_ACTOR, type: 'drift-detected', message: reason } },
      );
      if (changed) {
        this.#logger.warn(`Resource ${r.type}/${r.name}: ${reason}`, { resourceId: r.id });
        await this.#notify(r, 'resource-drift-detected', reason);
      }
    }
    if (type.repairDrift) {
      const ok = await this.#store.updateResource(
        r.id,
        {
          state: 'updating',
          pendingOperation: 'repair',
          nextAttemptAt: Date.now(),
          attempts: 0,
        },
        {
          guard,
          event: {
            actor: RECONCILER_ACTOR,
            type: 'transition',
            fromState: 'ready',
            toState: 'updating',
            message: `Repairing drift (${reason})`,
          },
        },
      );
      return ok;
    }
    return false;
  }

  async #notify(r: StoredResource, eventId: string, message: string) {
    await this.#notifier.notify({
      id: r.id,
      name: r.name,
      type: r.type,
      owner: r.owner,
      eventId,
      actor: RECONCILER_ACTOR,
      message,
    });
  }
}
