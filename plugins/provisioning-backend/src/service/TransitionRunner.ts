import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ResourceState } from '@paved/backstage-plugin-provisioning-common';
import type { Request } from 'express';
import { randomUUID } from 'node:crypto';
import type {
  EventAnnouncement,
  ResourcePatch,
  ResourceStore,
  StoredResource,
  UpdateGuard,
} from '../database/types';
import { LifecycleEvent, patchOf, transition, Transition } from '../lifecycle';
import { type ChangeNotifier, toResourceChange } from './ChangeNotifier';

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
 *
 * Announcements go through a transactional outbox: what the announcement needs is written with the event (in the
 * same transaction), the announcement is made right after the commit as before, and then the event is marked
 * announced (one UPDATE). When the process dies in between (or the notifier throws), the event stays unannounced
 * and `AnnouncementSweeper` announces it after its grace period: announcements are at least once.
 * @internal
 */
export class TransitionRunner {
  readonly #store: ResourceStore;
  readonly #notifier: ChangeNotifier;
  readonly #now: () => number;
  readonly #logger?: LoggerService;

  constructor(options: {
    store: ResourceStore;
    notifier: ChangeNotifier;
    /** Clock (epoch ms); default `Date.now`. */
    now?: () => number;
    /** Where a failure to mark events announced is logged (it is never thrown). */
    logger?: LoggerService;
  }) {
    this.#store = options.store;
    this.#notifier = options.notifier;
    this.#now = options.now ?? Date.now;
    this.#logger = options.logger;
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
    const announcement: EventAnnouncement = {
      auditEventId: req.auditEventId ?? 'resource-transition',
      name: r.name,
      type: r.type,
      owner: r.owner,
      fromState: r.state,
      toState: t.to as ResourceState,
      notifyOwner: t.effects.includes('notify-owner'),
      notifyApprovers: t.effects.includes('notify-approvers'),
    };
    return {
      t,
      update: {
        id: r.id,
        patch,
        guard: { ...req.guard, state: r.state },
        event: {
          id: randomUUID(),
          actor: req.actor,
          type: req.eventType ?? (changesState ? 'transition' : req.event),
          ...(changesState ? { fromState: r.state, toState: t.to } : {}),
          message: req.message,
          announcement,
        },
      },
    };
  }

  async #announce(req: TransitionRequest, announcement: EventAnnouncement) {
    await this.#notifier.notify(
      toResourceChange(
        { resourceId: req.resource.id, actor: req.actor, message: req.message, announcement },
        req.request,
      ),
    );
  }

  /**
   * Announces one event that was recorded with an announcement outside a transition (a resource created, a time to
   * live extended), then marks it announced, like {@link TransitionRunner.run} does for its own events.
   */
  async announceRecorded(
    event: { id: string; resourceId: string; actor: string; message: string; announcement: EventAnnouncement },
    request?: Request,
  ): Promise<void> {
    await this.#notifier.notify(toResourceChange(event, request));
    await this.#markAnnounced([event.id]);
  }

  /** Marks events announced (the outbox); a failure is logged, the sweep then announces them again. */
  async #markAnnounced(eventIds: string[]) {
    if (eventIds.length === 0) return;
    try {
      await this.#store.markAnnounced(eventIds, this.#now());
    } catch (e) {
      this.#logger?.warn(
        `Marking ${eventIds.length} event(s) announced failed, the announcement sweep will announce them again: ${
          (e as Error).message
        }`,
      );
    }
  }

  /** Returns false when the guard did not hold (someone else changed the resource meanwhile). */
  async run(req: TransitionRequest): Promise<boolean> {
    const { update } = this.#prepare(req);
    const ok = await this.#store.updateResource(update.id, update.patch, update);
    if (!ok) return false;
    await this.#announce(req, update.event.announcement);
    await this.#markAnnounced([update.event.id]);
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
    const announced: string[] = [];
    try {
      for (let i = 0; i < reqs.length; i += 1) {
        if (!results[i]) continue;
        const { event } = prepared[i].update;
        await this.#announce(reqs[i], event.announcement);
        announced.push(event.id);
      }
    } finally {
      // one UPDATE for the batch; what was not announced (a notifier that threw) is left to the sweep
      await this.#markAnnounced(announced);
    }
    return results;
  }
}
