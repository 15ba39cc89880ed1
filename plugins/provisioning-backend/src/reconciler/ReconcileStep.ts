import { LoggerService } from '@backstage/backend-plugin-api';
import type { ResourceCondition, ResourceTypeDefinition } from '@paved/backstage-plugin-provisioning-common';
import type {
  DriverContext,
  DriverPending,
  DriverResource,
  DriverResult,
} from '@paved/backstage-plugin-provisioning-node';
import type { ProvisioningConfig } from '../config';
import type { ResourceStore, StoredResource } from '../database/types';
import { can, isWorkingState } from '../lifecycle';
import type { SecretsCipher } from '../secrets/SecretsCipher';
import type { TransitionRunner } from '../service/TransitionRunner';
import type { TypeRegistry } from '../service/TypeRegistry';
import { createVersionOf, settingsOf } from '../versions/semver';
import { withTimeout } from './WorkQueue';

/** The actor recorded for the reconciler's own transitions. @internal */
export const RECONCILER_ACTOR = 'plugin:provisioning';

/** Exponential backoff in ms for the given (1-based) attempt. @internal */
export function backoffMs(attempt: number, initialMs: number, maxMs: number): number {
  return Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
}

/** Replaces any secret value that appears in a message. @internal */
export function scrubSecrets(message: string, secrets: Record<string, string>): string {
  let out = message;
  for (const value of Object.values(secrets)) {
    if (value && value.length >= 4) {
      out = out.split(value).join('***');
    }
  }
  return out.length > 2000 ? `${out.slice(0, 2000)}…` : out;
}

/** What the step asks of the queue afterwards. @internal */
export type StepOutcome =
  | { next: 'done' }
  | { next: 'again' }
  | { next: 'later'; delayMs: number };

/**
 * What the driver is asked to act on: the resource with the settings of the type version being applied
 * (`targetVersion`: a create, rollout or rollback), else of the version last applied, else of the type's
 * create version.
 * @internal
 */
export function driverResource(r: StoredResource, type: ResourceTypeDefinition): DriverResource {
  const typeVersion = r.targetVersion ?? r.appliedVersion ?? createVersionOf(type);
  return {
    id: r.id,
    name: r.name,
    type,
    owner: r.owner,
    parameters: r.parameters,
    typeVersion,
    settings: settingsOf(type, typeVersion),
  };
}

function isPending(result: DriverResult | DriverPending): result is DriverPending {
  return (result as DriverPending).status === 'pending';
}

/**
 * One reconcile step of one claimed resource: calls the driver for its pending operation and records the
 * outcome through the lifecycle (`start`, `pending`, `attempt-failed`, `succeeded`, `gone`, `failed`).
 * @internal
 */
export class ReconcileStep {
  readonly #store: ResourceStore;
  readonly #types: TypeRegistry;
  readonly #cipher: SecretsCipher;
  readonly #runner: TransitionRunner;
  readonly #logger: LoggerService;
  readonly #options: ProvisioningConfig['reconciler'];
  readonly #workerId: string;

  constructor(options: {
    store: ResourceStore;
    types: TypeRegistry;
    cipher: SecretsCipher;
    runner: TransitionRunner;
    logger: LoggerService;
    config: ProvisioningConfig['reconciler'];
    workerId: string;
  }) {
    this.#store = options.store;
    this.#types = options.types;
    this.#cipher = options.cipher;
    this.#runner = options.runner;
    this.#logger = options.logger;
    this.#options = options.config;
    this.#workerId = options.workerId;
  }

  #secrets(r: StoredResource): Record<string, string> {
    return r.encryptedSecrets ? this.#cipher.decrypt(r.encryptedSecrets, r.id) : {};
  }

  async #step(
    r: StoredResource,
    event: Parameters<TransitionRunner['run']>[0]['event'],
    message: string,
    patch: Parameters<TransitionRunner['run']>[0]['patch'] = {},
    eventType?: string,
  ): Promise<boolean> {
    const ok = await this.#runner.run({
      resource: r,
      event,
      actor: RECONCILER_ACTOR,
      message,
      patch,
      guard: { claimedBy: this.#workerId },
      ...(eventType ? { eventType } : {}),
    });
    if (ok && r.state !== this.#runner.plan(r, event).to) {
      this.#logger.info(`Resource ${r.type}/${r.name} ${r.state} -> ${this.#runner.plan(r, event).to}`, {
        resourceId: r.id,
      });
    }
    return ok;
  }

  /** Works on a resource this worker has claimed. */
  async run(id: string): Promise<StepOutcome> {
    let r = await this.#store.getResource(id);
    if (!r) return { next: 'done' };
    const op = r.pendingOperation;
    if (!op || !(isWorkingState(r.state) || r.state === 'requested')) {
      await this.#store.updateResource(id, { nextAttemptAt: null }, { guard: { claimedBy: this.#workerId } });
      return { next: 'done' };
    }
    if (r.state === 'requested' || r.workingSince === undefined) {
      const verb = { create: 'Creating', update: 'Updating', repair: 'Repairing', delete: 'Deleting' }[op];
      const started = r.workingSince ?? Date.now();
      if (!(await this.#step(r, 'start', `${verb} (attempt ${r.attempts + 1})`, { workingSince: started }))) {
        return { next: 'again' };
      }
      r = { ...r, state: this.#runner.plan(r, 'start').to, workingSince: started };
    }
    const type = this.#types.get(r.type);
    const driver = type && this.#types.driverFor(type);
    let secrets: Record<string, string> = {};
    try {
      if (!type || !driver) {
        throw new Error(
          `Resource type '${r.type}' is not offered (its driver is not installed or not configured)`,
        );
      }
      secrets = this.#secrets(r);
      const logger = this.#logger.child({ resourceId: r.id });
      const ctx = (signal: AbortSignal): DriverContext => ({ logger, signal, secrets });
      const target = driverResource(r, type);
      const timeoutMs = this.#options.operationTimeoutMs;
      const what = `${op} of ${r.type}/${r.name}`;
      if (op === 'delete') {
        await withTimeout(s => driver.delete(target, ctx(s)), timeoutMs, what);
        const done = await this.#step(r, 'gone', 'Deleted');
        return done ? { next: 'done' } : { next: 'again' };
      }
      const result = await withTimeout(s => driver.apply(target, ctx(s)), timeoutMs, what);
      if (isPending(result)) {
        // the lifecycle's `pending` stays in the working state; only the schedule and progress change, so it is
        // written without an event (a driver may answer pending many times)
        if (!can(r.state, 'pending')) return { next: 'done' };
        const waited = Date.now() - (r.workingSince ?? Date.now());
        if (waited >= timeoutMs) {
          throw new Error(
            `${what} still pending after ${Math.round(waited / 1000)} s: ${result.reason}`,
          );
        }
        const delayMs = Math.max(0, Math.min(result.retryAfterMs, timeoutMs));
        const ok = await this.#store.updateResource(
          r.id,
          {
            nextAttemptAt: Date.now() + delayMs,
            reason: scrubSecrets(result.reason, secrets),
            ...(result.conditions ? { conditions: result.conditions } : {}),
          },
          { guard: { state: r.state, claimedBy: this.#workerId } },
        );
        return ok ? { next: 'later', delayMs } : { next: 'again' };
      }
      const now = new Date().toISOString();
      const conditions: ResourceCondition[] = result.conditions ?? [
        { type: 'Ready', status: 'True', reason: 'Reconciled', lastTransitionTime: now },
      ];
      const done = await this.#step(
        r,
        'succeeded',
        { create: 'Ready', update: 'Updated', repair: 'Drift repaired' }[op],
        {
          outputs: result.outputs ?? {},
          conditions,
          ...(result.secrets ? { encryptedSecrets: this.#cipher.encrypt(result.secrets, r.id) } : {}),
          // the version whose settings were just applied
          appliedVersion: target.typeVersion,
          targetVersion: null,
        },
        op === 'repair' ? 'drift-repaired' : undefined,
      );
      return done ? { next: 'done' } : { next: 'again' };
    } catch (e) {
      const error = e as Error;
      const message = scrubSecrets(error?.message ?? String(e), secrets);
      const attempts = r.attempts + 1;
      const permanent = error?.name === 'InputError';
      if (permanent || attempts >= this.#options.maxAttempts) {
        const reason = `${op} failed after ${attempts} attempt${attempts > 1 ? 's' : ''}: ${message}`;
        const done = await this.#step(r, 'failed', reason, {
          attempts,
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
        return done ? { next: 'done' } : { next: 'again' };
      }
      const delay = backoffMs(attempts, this.#options.backoffInitialMs, this.#options.backoffMaxMs);
      const reason = `Attempt ${attempts} of ${this.#options.maxAttempts} failed: ${message}; retrying in ${Math.ceil(delay / 1000)} s`;
      if (!can(r.state, 'attempt-failed')) return { next: 'done' };
      const ok = await this.#step(
        r,
        'attempt-failed',
        reason,
        { attempts, nextAttemptAt: Date.now() + delay, reason },
        'attempt-failed',
      );
      this.#logger.warn(`Resource ${r.type}/${r.name}: ${reason}`, { resourceId: r.id });
      return ok ? { next: 'later', delayMs: delay } : { next: 'again' };
    }
  }
}
