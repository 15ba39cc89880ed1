import type { ResourceState } from '@paved/backstage-plugin-provisioning-common';

/** What the reconciler is to do next for a resource. @internal */
export type PendingOperation = 'create' | 'update' | 'delete' | 'repair';

/**
 * Everything that can happen to a resource. User events come from the API (through `ResourceService`),
 * reconciler events from the work queue, the reconcile step and the drift checker.
 * @internal
 */
export type LifecycleEvent =
  // user
  | 'request'
  | 'request-with-approval'
  | 'approve'
  | 'reject'
  | 'withdraw'
  | 'update'
  | 'update-with-approval'
  | 'delete'
  | 'force-remove'
  | 'retry-create'
  | 'retry-update'
  | 'retry-delete'
  // reconciler
  | 'start'
  | 'pending'
  | 'attempt-failed'
  | 'succeeded'
  | 'gone'
  | 'failed'
  | 'drift-detected'
  | 'drift-resolved'
  | 'repair';

/** Every {@link LifecycleEvent}. @internal */
export const LIFECYCLE_EVENTS: readonly LifecycleEvent[] = [
  'request',
  'request-with-approval',
  'approve',
  'reject',
  'withdraw',
  'update',
  'update-with-approval',
  'delete',
  'force-remove',
  'retry-create',
  'retry-update',
  'retry-delete',
  'start',
  'pending',
  'attempt-failed',
  'succeeded',
  'gone',
  'failed',
  'drift-detected',
  'drift-resolved',
  'repair',
];

/**
 * Side effects of a transition, carried out by the caller (store patch, reconciler kick, notifications).
 *
 * - `schedule`: due for the reconciler now, attempts reset.
 * - `backoff`: due again later (the caller computes when), attempts counted.
 * - `unschedule`: nothing for the reconciler to do.
 * - `bill-start` / `bill-stop`: the infrastructure now exists / no longer exists (`billable`).
 * - `clear-infrastructure`: outputs, secrets and drift forgotten (it is gone).
 * - `set-pending-change` / `apply-pending-change` / `drop-pending-change`: an update awaiting approval.
 * - `set-drifted` / `clear-drifted`: the drift flag.
 * - `clear-reason`: the reason of the previous state no longer applies.
 * - `notify-approvers` / `notify-owner`: a Backstage notification.
 * @internal
 */
export type LifecycleEffect =
  | 'schedule'
  | 'backoff'
  | 'unschedule'
  | 'bill-start'
  | 'bill-stop'
  | 'clear-infrastructure'
  | 'set-pending-change'
  | 'apply-pending-change'
  | 'drop-pending-change'
  | 'set-drifted'
  | 'clear-drifted'
  | 'clear-reason'
  | 'notify-approvers'
  | 'notify-owner';

/** One cell of the table. @internal */
export interface Transition {
  to: ResourceState;
  /** The reconciler's pending operation after the transition; `null` clears it; absent keeps it. */
  operation?: PendingOperation | null;
  effects: readonly LifecycleEffect[];
}

/** The states in which the reconciler works on a resource. */
const WORKING = ['provisioning', 'updating', 'deleting'] as const;

const toDelete: Transition = {
  to: 'deleting',
  operation: 'delete',
  effects: ['schedule', 'drop-pending-change', 'clear-reason'],
};
const forceRemove: Transition = {
  to: 'deleted',
  operation: null,
  effects: ['unschedule', 'bill-stop', 'clear-infrastructure', 'drop-pending-change'],
};
const stay = (
  to: ResourceState,
  ...effects: LifecycleEffect[]
): Transition => ({ to, effects });

/**
 * THE lifecycle: state x event -> next state, pending operation and effects. A missing cell is an invalid
 * transition. `new` is the state before a resource exists.
 * @internal
 */
export const LIFECYCLE: Readonly<
  Record<ResourceState | 'new', Partial<Record<LifecycleEvent, Transition>>>
> = {
  new: {
    request: { to: 'requested', operation: 'create', effects: ['schedule'] },
    'request-with-approval': {
      to: 'awaiting-approval',
      operation: 'create',
      effects: ['unschedule', 'notify-approvers'],
    },
  },
  'awaiting-approval': {
    approve: {
      to: 'requested',
      operation: 'create',
      effects: ['schedule', 'clear-reason', 'notify-owner'],
    },
    reject: { to: 'deleted', operation: null, effects: ['unschedule', 'notify-owner'] },
    withdraw: { to: 'deleted', operation: null, effects: ['unschedule'] },
    // nothing was created yet
    delete: { to: 'deleted', operation: null, effects: ['unschedule'] },
    'force-remove': forceRemove,
  },
  requested: {
    start: { to: 'provisioning', effects: [] },
    // the reconciler may already be creating it: delete is idempotent in the driver
    delete: toDelete,
    'force-remove': forceRemove,
  },
  provisioning: {
    start: stay('provisioning'),
    pending: stay('provisioning', 'backoff'),
    'attempt-failed': stay('provisioning', 'backoff'),
    succeeded: {
      to: 'ready',
      operation: null,
      effects: ['unschedule', 'bill-start', 'clear-reason', 'clear-drifted', 'notify-owner'],
    },
    failed: stay('failed', 'unschedule', 'notify-owner'),
    delete: toDelete,
    'force-remove': forceRemove,
  },
  ready: {
    update: {
      to: 'updating',
      operation: 'update',
      effects: ['schedule', 'drop-pending-change', 'clear-reason'],
    },
    'update-with-approval': stay('ready', 'set-pending-change', 'notify-approvers'),
    approve: {
      to: 'updating',
      operation: 'update',
      effects: ['apply-pending-change', 'schedule', 'clear-reason', 'notify-owner'],
    },
    reject: stay('ready', 'drop-pending-change', 'notify-owner'),
    withdraw: stay('ready', 'drop-pending-change'),
    'drift-detected': stay('ready', 'set-drifted', 'notify-owner'),
    'drift-resolved': stay('ready', 'clear-drifted', 'clear-reason'),
    repair: { to: 'updating', operation: 'repair', effects: ['schedule'] },
    delete: toDelete,
    'force-remove': forceRemove,
  },
  updating: {
    start: stay('updating'),
    pending: stay('updating', 'backoff'),
    'attempt-failed': stay('updating', 'backoff'),
    succeeded: {
      to: 'ready',
      operation: null,
      effects: ['unschedule', 'bill-start', 'clear-reason', 'clear-drifted'],
    },
    failed: stay('failed', 'unschedule', 'notify-owner'),
    delete: toDelete,
    'force-remove': forceRemove,
  },
  deleting: {
    start: stay('deleting'),
    pending: stay('deleting', 'backoff'),
    'attempt-failed': stay('deleting', 'backoff'),
    gone: {
      to: 'deleted',
      operation: null,
      effects: ['unschedule', 'bill-stop', 'clear-infrastructure', 'clear-reason'],
    },
    failed: stay('failed', 'unschedule', 'notify-owner'),
    // already being deleted: nothing changes
    delete: stay('deleting'),
    'force-remove': forceRemove,
  },
  failed: {
    'retry-create': { to: 'requested', effects: ['schedule', 'clear-reason'] },
    'retry-update': { to: 'updating', effects: ['schedule', 'clear-reason'] },
    'retry-delete': { to: 'deleting', effects: ['schedule', 'clear-reason'] },
    // a failed update leaves the infrastructure as it was; the owner may change it again
    update: {
      to: 'updating',
      operation: 'update',
      effects: ['schedule', 'drop-pending-change', 'clear-reason'],
    },
    delete: toDelete,
    'force-remove': forceRemove,
  },
  deleted: {},
};

/** Whether the reconciler works on resources in this state. @internal */
export function isWorkingState(state: ResourceState): boolean {
  return (WORKING as readonly string[]).includes(state);
}

/** The working state of an operation. @internal */
export const WORKING_STATE: Readonly<Record<PendingOperation, ResourceState>> = {
  create: 'provisioning',
  update: 'updating',
  repair: 'updating',
  delete: 'deleting',
};

/** The retry event of a failed operation. @internal */
export const RETRY_EVENT: Readonly<Record<PendingOperation, LifecycleEvent>> = {
  create: 'retry-create',
  update: 'retry-update',
  repair: 'retry-update',
  delete: 'retry-delete',
};
