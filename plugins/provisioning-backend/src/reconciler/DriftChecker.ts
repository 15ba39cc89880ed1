import { LoggerService } from '@backstage/backend-plugin-api';
import type { ResourceCondition } from '@paved/backstage-plugin-provisioning-common';
import type { ResourceUtilisation } from '@paved/backstage-plugin-provisioning-node';
import type { ProvisioningConfig } from '../config';
import type { ResourceStore, StoredResource } from '../database/types';
import type { SecretsCipher } from '../secrets/SecretsCipher';
import type { TransitionRunner } from '../service/TransitionRunner';
import type { TypeRegistry } from '../service/TypeRegistry';
import { driverResource, RECONCILER_ACTOR, scrubSecrets } from './ReconcileStep';
import { withTimeout } from './WorkQueue';

/** Receives what a driver measured when observing a resource. @internal */
export type UtilisationListener = (
  resource: StoredResource,
  utilisation: ResourceUtilisation,
) => Promise<void>;

/**
 * Observes ready resources whose drift check is due (claimed like work, so one replica checks each) and
 * records drift, its resolution and late secrets; schedules a repair when the type repairs its drift.
 * @internal
 */
export class DriftChecker {
  readonly #store: ResourceStore;
  readonly #types: TypeRegistry;
  readonly #cipher: SecretsCipher;
  readonly #runner: TransitionRunner;
  readonly #logger: LoggerService;
  readonly #options: ProvisioningConfig['reconciler'];
  readonly #workerId: string;
  readonly #concurrency: number;
  readonly #onUtilisation?: UtilisationListener;

  constructor(options: {
    store: ResourceStore;
    types: TypeRegistry;
    cipher: SecretsCipher;
    runner: TransitionRunner;
    logger: LoggerService;
    config: ProvisioningConfig['reconciler'];
    workerId: string;
    concurrency: number;
    /** Receives the utilisation a driver measured while observing (rightsizing); optional. */
    onUtilisation?: UtilisationListener;
  }) {
    this.#store = options.store;
    this.#types = options.types;
    this.#cipher = options.cipher;
    this.#runner = options.runner;
    this.#logger = options.logger;
    this.#options = options.config;
    this.#workerId = options.workerId;
    this.#concurrency = options.concurrency;
    this.#onUtilisation = options.onUtilisation;
  }

  /**
   * Checks due resources; returns how many were checked. `slackMs` is the period of the calling task (ms);
   * `onRepair` is called with the id of each resource whose repair was scheduled.
   */
  async check(options: {
    limit: number;
    slackMs: number;
    stopped: () => boolean;
    onRepair: (id: string) => void;
  }): Promise<number> {
    // checks run every few seconds; take off their period so that each resource is observed
    // at most one interval after its previous check
    const interval = Math.max(0, this.#options.driftCheckIntervalMs - options.slackMs);
    const ids = await this.#store.findDriftCheckDue(interval, options.limit);
    let checked = 0;
    const lanes = Array.from({ length: Math.min(this.#concurrency, ids.length) }, async () => {
      for (let id = ids.shift(); id && !options.stopped(); id = ids.shift()) {
        if (
          await this.#store.claimForDriftCheck(id, this.#workerId, this.#options.leaseDurationMs, interval)
        ) {
          checked += 1;
          let repair = false;
          try {
            repair = await this.#observe(id);
          } catch (e) {
            this.#logger.warn(`Drift check of resource ${id} failed: ${(e as Error).message}`);
          } finally {
            await this.#store.releaseClaim(id, this.#workerId).catch(() => undefined);
          }
          if (repair) options.onRepair(id);
        }
      }
    });
    await Promise.all(lanes);
    return checked;
  }

  /** Returns true when a repair was scheduled. */
  async #observe(id: string): Promise<boolean> {
    const r: StoredResource | undefined = await this.#store.getResource(id);
    if (!r || r.state !== 'ready') return false;
    const type = this.#types.get(r.type);
    const driver = type && this.#types.driverFor(type);
    if (!type || !driver) return false;
    const secrets = r.encryptedSecrets ? this.#cipher.decrypt(r.encryptedSecrets, r.id) : {};
    const observed = await withTimeout(
      signal =>
        driver.observe(driverResource(r, type), {
          logger: this.#logger.child({ resourceId: r.id }),
          signal,
          secrets,
        }),
      this.#options.operationTimeoutMs,
      `observe of ${r.type}/${r.name}`,
    );
    if (
      this.#onUtilisation &&
      (observed.status === 'ready' || observed.status === 'drifted') &&
      observed.utilisation
    ) {
      await this.#onUtilisation(r, observed.utilisation);
    }
    const guard = { state: 'ready' as const, claimedBy: this.#workerId };
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
      const conditions = mergeConditions(
        r.conditions.filter(c => c.type !== 'Drifted'),
        observed.conditions ?? [],
      );
      if (r.drifted) {
        await this.#runner.run({
          resource: r,
          event: 'drift-resolved',
          actor: RECONCILER_ACTOR,
          message: 'No longer drifted',
          patch: { outputs: observed.outputs, conditions },
          guard: { claimedBy: this.#workerId },
          auditEventId: 'resource-drift-resolved',
        });
      } else if (JSON.stringify(conditions) !== JSON.stringify(r.conditions)) {
        // a condition the driver reports changed status or reason (e.g. a cache above its memory budget)
        await this.#store.updateResource(r.id, { conditions }, { guard });
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
      const changed = await this.#runner.run({
        resource: r,
        event: 'drift-detected',
        actor: RECONCILER_ACTOR,
        message: reason,
        patch: {
          reason,
          conditions: [...r.conditions.filter(c => c.type !== 'Drifted'), condition],
        },
        guard: { claimedBy: this.#workerId },
        auditEventId: 'resource-drift-detected',
      });
      if (changed) {
        this.#logger.warn(`Resource ${r.type}/${r.name}: ${reason}`, { resourceId: r.id });
      }
    }
    if (type.repairDrift) {
      const fresh = await this.#store.getResource(r.id);
      if (!fresh || fresh.state !== 'ready') return false;
      return this.#runner.run({
        resource: fresh,
        event: 'repair',
        actor: RECONCILER_ACTOR,
        message: `Repairing drift (${reason})`,
        guard: { claimedBy: this.#workerId },
      });
    }
    return false;
  }
}

/**
 * The conditions of a resource after an observation: each condition the driver reports replaces the stored one of
 * its type when its status or reason differs (a transition; the message and time are those of the transition), and
 * is added when new; stored conditions the driver does not report stay. Returns `stored` itself when nothing changed.
 * @internal
 */
export function mergeConditions(
  stored: ResourceCondition[],
  reported: ResourceCondition[],
): ResourceCondition[] {
  let changed = false;
  const out = [...stored];
  for (const c of reported) {
    const i = out.findIndex(x => x.type === c.type);
    if (i < 0) {
      out.push(c);
      changed = true;
    } else if (out[i].status !== c.status || out[i].reason !== c.reason) {
      out[i] = c;
      changed = true;
    }
  }
  return changed ? out : stored;
}
