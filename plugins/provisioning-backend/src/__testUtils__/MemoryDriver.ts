import { InputError } from '@backstage/errors';
import type { ResourceCondition } from '@paved/backstage-plugin-provisioning-common';
import type {
  DriverContext,
  DriverNamingRules,
  DriverPending,
  DriverResource,
  DriverResult,
  ObservedState,
  ProvisioningDriver,
  ResourceUtilisation,
} from '@paved/backstage-plugin-provisioning-node';

/**
 * Test double of the driver interface: keeps "infrastructure" in a map.
 * Only for tests of the provisioning backend itself; real drivers are tested against real servers.
 */
export class MemoryDriver implements ProvisioningDriver {
  readonly id: string;
  /** name -> declared parameters as applied */
  readonly existing = new Map<string, Record<string, unknown>>();
  readonly calls: { op: string; name: string }[] = [];
  /** Failures to throw before succeeding, per resource name. */
  readonly failures = new Map<string, { times: number; message: string; permanent?: boolean }>();
  delayMs = 0;
  /** Secrets that observe reports once they "appear", per resource name. */
  readonly lateSecrets = new Map<string, Record<string, string>>();
  /** The type version and settings last applied, per resource name. */
  readonly applied = new Map<string, { version?: string; settings: Record<string, unknown> }>();
  /** Utilisation that observe reports, per resource name. */
  readonly utilisation = new Map<string, ResourceUtilisation>();
  /** Conditions `observe` reports for a ready resource, by name. */
  readonly conditions = new Map<string, ResourceCondition[]>();
  /** Delay per resource name, in ms (overrides delayMs). */
  readonly delays = new Map<string, number>();

  constructor(id = 'memory') {
    this.id = id;
  }

  async #step(op: string, r: DriverResource, ctx: DriverContext) {
    this.calls.push({ op, name: r.name });
    const delay = this.delays.get(r.name) ?? this.delayMs;
    if (delay) {
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(resolve, delay);
        ctx.signal.addEventListener('abort', () => {
          clearTimeout(t);
          reject(new Error('aborted'));
        });
      });
    }
    const failure = this.failures.get(r.name);
    if (failure && failure.times > 0) {
      failure.times -= 1;
      throw failure.permanent
        ? new InputError(failure.message)
        : new Error(failure.message);
    }
  }

  /** Naming rules, e.g. `{ label: 'Memory', reserved: ['reserved'] }`. */
  naming?: DriverNamingRules;
  /** How many more `apply` calls answer `pending`, per resource name. */
  readonly pendingApplies = new Map<string, number>();
  /** Names `apply` refuses permanently (like a reserved name at the infrastructure). */
  readonly refused = new Set<string>();

  async apply(
    r: DriverResource,
    ctx: DriverContext,
  ): Promise<DriverResult | DriverPending> {
    const existed = this.existing.has(r.name);
    await this.#step(existed ? 'update' : 'create', r, ctx);
    if (this.refused.has(r.name)) {
      throw new InputError(`The name '${r.name}' is reserved by the memory driver`);
    }
    this.existing.set(r.name, { ...r.parameters });
    this.applied.set(r.name, { version: r.typeVersion, settings: r.settings ?? {} });
    const pending = this.pendingApplies.get(r.name) ?? 0;
    if (pending > 0) {
      this.pendingApplies.set(r.name, pending - 1);
      return { status: 'pending', retryAfterMs: 20, reason: 'still converging' };
    }
    return {
      outputs: { host: 'memory.local', name: r.name },
      secrets: ctx.secrets.password
        ? undefined
        : { password: `pw-${r.name}-s3cret`, url: `memory://${r.name}:pw-${r.name}-s3cret@memory.local` },
    };
  }

  /** Idempotent: deleting what is gone or never existed succeeds (unless a failure is scripted). */
  async delete(r: DriverResource, ctx: DriverContext): Promise<void> {
    await this.#step('delete', r, ctx);
    this.existing.delete(r.name);
  }

  async observe(r: DriverResource): Promise<ObservedState> {
    const found = this.existing.get(r.name);
    if (!found) {
      return { status: 'missing', reason: `${r.name} does not exist` };
    }
    if (found.size !== r.parameters.size) {
      return {
        status: 'drifted',
        reason: `size is ${found.size}, declared ${r.parameters.size}`,
        observedParameters: { ...r.parameters, size: found.size },
      };
    }
    const late = this.lateSecrets.get(r.name);
    const utilisation = this.utilisation.get(r.name);
    const conditions = this.conditions.get(r.name);
    return {
      status: 'ready',
      outputs: { host: 'memory.local', name: r.name },
      ...(late ? { secrets: late } : {}),
      ...(utilisation ? { utilisation } : {}),
      ...(conditions ? { conditions } : {}),
    };
  }
}
