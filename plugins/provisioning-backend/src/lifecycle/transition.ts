import type { ResourceState } from '@paved/backstage-plugin-provisioning-common';
import { LIFECYCLE, LifecycleEffect, LifecycleEvent, Transition } from './table';

/**
 * Thrown for an event that is not allowed in a state (a missing cell of the table).
 * The service turns it into a `ConflictError` (409).
 * @internal
 */
export class InvalidTransitionError extends Error {
  name = 'InvalidTransitionError';
  readonly from: ResourceState | 'new';
  readonly event: LifecycleEvent;

  constructor(from: ResourceState | 'new', event: LifecycleEvent) {
    super(`'${event}' is not possible while ${from}`);
    this.from = from;
    this.event = event;
  }
}

/**
 * Looks up the transition of `event` in state `from`; throws {@link InvalidTransitionError} when there is none.
 * @internal
 */
export function transition(
  from: ResourceState | 'new',
  event: LifecycleEvent,
): Transition {
  const cell = LIFECYCLE[from]?.[event];
  if (!cell) {
    throw new InvalidTransitionError(from, event);
  }
  return cell;
}

/** Whether `event` is possible in state `from`. @internal */
export function can(from: ResourceState | 'new', event: LifecycleEvent): boolean {
  return Boolean(LIFECYCLE[from]?.[event]);
}

/** The store fields a transition sets by itself (before the caller adds its own, e.g. outputs). @internal */
export interface TransitionPatch {
  state: ResourceState;
  pendingOperation?: Transition['operation'];
  nextAttemptAt?: number | null;
  attempts?: number;
  billable?: boolean;
  drifted?: boolean;
  reason?: null;
  outputs?: Record<string, string>;
  encryptedSecrets?: null;
  pendingChange?: null;
}

/**
 * The patch of a transition's effects at time `now` (epoch ms). `backoff` and `set-*` effects need values
 * only the caller has, so they are left to it; `has(effect)` tells.
 * @internal
 */
export function patchOf(t: Transition, now: number): TransitionPatch {
  const has = (e: LifecycleEffect) => t.effects.includes(e);
  const patch: TransitionPatch = { state: t.to };
  if (t.operation !== undefined) patch.pendingOperation = t.operation;
  if (has('schedule')) {
    patch.nextAttemptAt = now;
    patch.attempts = 0;
  }
  if (has('unschedule')) {
    patch.nextAttemptAt = null;
    patch.attempts = 0;
  }
  if (has('bill-start')) patch.billable = true;
  if (has('bill-stop')) patch.billable = false;
  if (has('clear-drifted') || has('clear-infrastructure')) patch.drifted = false;
  if (has('set-drifted')) patch.drifted = true;
  if (has('clear-reason')) patch.reason = null;
  if (has('clear-infrastructure')) {
    patch.outputs = {};
    patch.encryptedSecrets = null;
  }
  if (has('drop-pending-change') || has('apply-pending-change')) {
    patch.pendingChange = null;
  }
  return patch;
}
