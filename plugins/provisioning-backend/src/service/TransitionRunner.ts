import type { ResourceState } from '@paved/backstage-plugin-provisioning-common';
import type { Request } from 'express';
import type { ResourcePatch, ResourceStore, StoredResource, UpdateGuard } from '../database/types';
import { LifecycleEvent, patchOf, transition, Transition } from '../lifecycle';
import type { ChangeNotifier } from './ChangeNotifier';

/** One lifecycle step to carry out. @internal */
export interface TransitionRequest {
  resource: StoredResource;
  event: LifecycleEvent;
  /** User or service ref that caused it. */
  actor: string;
  message: string;
  /** Fields beyond the transition's own effects (outputs, reason, pending change, …). */
  patch?: ResourcePatch;
  /** Extra preconditions; the current state is always part of the guard. */
  guard?: Omit<UpdateGuard, 'state'>;
  /** Event type recorded; default `transition` when the state changes, otherwise the lifecycle event. */
  eventType?: string;
  /** Auditor event id, e.g. `resource-approve`; default `resource-transition`. */
  auditEventId?: string;
  request?: Request;
}

/**
 * Carries out lifecycle transitions: looks the step up in the lifecycle table (throws
 * `InvalidTransitionError` for an invalid one), writes the state and the effects' fields guarded by the
 * current state in one transaction with the event, and announces it (audit, signal, events, notifications).
 * The one way `ResourceService` and the reconciler change a resource's state.
 * @internal
 */
export class TransitionRunner {
  readonly #store: ResourceStore;
  readonly #notifier: ChangeNotifier;
  readonly #now: () => number;

  constructor(options: { store: ResourceStore; notifier: ChangeNotifier; now?: () => number }) {
    this.#store = options.store;
    this.#notifier = options.notifier;
    this.#now = options.now ?? Date.now;
  }

  /** The transition `run` would carry out (throws when invalid). */
  plan(resource: StoredResource, event: LifecycleEvent): Transition {
    return transition(resource.state, event);
  }

  #prepare(req: TransitionRequest) {
    const r = req.resource;
    const t = transition(r.state, req.event);
    const now = this.#now();
    const own = patchOf(t, now);
    const patch: ResourcePatch = {
      ...own,
      ...(t.effects.includes('schedule') ? { workingSince: now } : {}),
      ...(t.effects.includes('unschedule') ? { workingSince: null } : {}),
      ...req.patch,
    };
    const changesState = t.to !== r.state;
    return {
      t,
      update: {
        id: r.id,
        patch,
        guard: { ...req.guard, state: r.state },
        event: {
          actor: req.actor,
          type: req.eventType ?? (changesState ? 'transition' : req.event),
          ...(changesState ? { fromState: r.state, toState: t.to } : {}),
          message: req.message,
        },
      },
    };
  }

  async #announce(req: TransitionRequest, t: Transition) {
    const r = req.resource;
    await this.#notifier.notify({
      id: r.id,
      name: r.name,
      type: r.type,
      owner: r.owner,
      eventId: req.auditEventId ?? 'resource-transition',
      actor: req.actor,
      fromState: r.state,
      toState: t.to as ResourceState,
      message: req.message,
      request: req.request,
      notifyOwner: t.effects.includes('notify-owner'),
      notifyApprovers: t.effects.includes('notify-approvers'),
    });
  }

  /** Returns false when the guard did not hold (someone else changed the resource meanwhile). */
  async run(req: TransitionRequest): Promise<boolean> {
    const { t, update } = this.#prepare(req);
    const ok = await this.#store.updateResource(update.id, update.patch, update);
    if (!ok) return false;
    await this.#announce(req, t);
    return true;
  }

  /**
   * Several transitions written in one transaction (each guarded, each with its event), then announced; for
   * sweeps over many resources. Returns, per request, whether its guard held.
   */
  async runAll(reqs: TransitionRequest[]): Promise<boolean[]> {
    if (reqs.length === 0) return [];
    const prepared = reqs.map(req => this.#prepare(req));
    const results = await this.#store.updateResources(prepared.map(p => p.update));
    for (let i = 0; i < reqs.length; i += 1) {
      if (results[i]) await this.#announce(reqs[i], prepared[i].t);
    }
    return results;
  }
}
