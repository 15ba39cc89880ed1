import { RESOURCE_STATES } from '@paved/backstage-plugin-provisioning-common';
import {
  can,
  InvalidTransitionError,
  LIFECYCLE_EVENTS,
  patchOf,
  transition,
} from '.';

/**
 * The whole table, written out independently: `state: { event: 'next-state' }`. Every pair not listed here
 * must be refused.
 */
const EXPECTED: Record<string, Record<string, string>> = {
  new: { request: 'requested', 'request-with-approval': 'awaiting-approval' },
  'awaiting-approval': {
    approve: 'requested',
    reject: 'deleted',
    withdraw: 'deleted',
    delete: 'deleted',
    'force-remove': 'deleted',
  },
  requested: { start: 'provisioning', delete: 'deleting', 'force-remove': 'deleted' },
  provisioning: {
    start: 'provisioning',
    pending: 'provisioning',
    'attempt-failed': 'provisioning',
    succeeded: 'ready',
    failed: 'failed',
    delete: 'deleting',
    'force-remove': 'deleted',
  },
  ready: {
    update: 'updating',
    'update-with-approval': 'ready',
    approve: 'updating',
    reject: 'ready',
    withdraw: 'ready',
    'drift-detected': 'ready',
    'drift-resolved': 'ready',
    repair: 'updating',
    delete: 'deleting',
    'force-remove': 'deleted',
  },
  updating: {
    start: 'updating',
    pending: 'updating',
    'attempt-failed': 'updating',
    succeeded: 'ready',
    failed: 'failed',
    delete: 'deleting',
    'force-remove': 'deleted',
  },
  deleting: {
    start: 'deleting',
    pending: 'deleting',
    'attempt-failed': 'deleting',
    gone: 'deleted',
    failed: 'failed',
    delete: 'deleting',
    'force-remove': 'deleted',
  },
  failed: {
    'retry-create': 'requested',
    'retry-update': 'updating',
    'retry-delete': 'deleting',
    update: 'updating',
    delete: 'deleting',
    'force-remove': 'deleted',
  },
  deleted: {},
};

const STATES = ['new', ...RESOURCE_STATES] as const;
const pairs = STATES.flatMap(state => LIFECYCLE_EVENTS.map(event => [state, event] as const));

const valid = pairs.filter(([s, e]) => EXPECTED[s][e]);
const invalid = pairs.filter(([s, e]) => !EXPECTED[s][e]);

describe('lifecycle table', () => {
  it('covers every state x event pair', () => {
    expect(valid.length + invalid.length).toBe(STATES.length * LIFECYCLE_EVENTS.length);
    expect(valid.length).toBe(Object.values(EXPECTED).reduce((n, m) => n + Object.keys(m).length, 0));
  });

  it.each(valid)('%s + %s is valid', (state, event) => {
    expect(can(state, event)).toBe(true);
    expect(transition(state, event).to).toBe(EXPECTED[state][event]);
  });

  it.each(invalid)('%s + %s is refused', (state, event) => {
    expect(can(state, event)).toBe(false);
    expect(() => transition(state, event)).toThrow(InvalidTransitionError);
    expect(() => transition(state, event)).toThrow(`'${event}' is not possible while ${state}`);
  });

  it('lets every state but deleted be deleted and force-removed', () => {
    for (const state of RESOURCE_STATES) {
      expect(can(state, 'delete')).toBe(state !== 'deleted');
      expect(can(state, 'force-remove')).toBe(state !== 'deleted');
    }
  });

  it('bills only from ready until deleted', () => {
    const billing = pairs
      .filter(([s, e]) => can(s, e))
      .map(([s, e]) => [s, e, patchOf(transition(s, e), 0).billable] as const)
      .filter(([, , b]) => b !== undefined)
      .map(([s, e, b]) => `${s}+${e}:${b}`);
    expect(billing.sort()).toEqual(
      [
        'provisioning+succeeded:true',
        'updating+succeeded:true',
        'deleting+gone:false',
        ...RESOURCE_STATES.filter(s => s !== 'deleted').map(s => `${s}+force-remove:false`),
      ].sort(),
    );
  });

  it('keeps an update awaiting approval on a ready resource', () => {
    const t = transition('ready', 'update-with-approval');
    expect(t).toEqual({ to: 'ready', effects: ['set-pending-change', 'notify-approvers'] });
    expect(patchOf(transition('ready', 'approve'), 5)).toMatchObject({
      state: 'updating',
      pendingOperation: 'update',
      pendingChange: null,
      nextAttemptAt: 5,
      attempts: 0,
    });
    expect(patchOf(transition('ready', 'withdraw'), 5)).toEqual({ state: 'ready', pendingChange: null });
  });

  it('notifies owners on approve, reject, ready, failed and drift, and approvers when something waits', () => {
    const notified = (effect: 'notify-owner' | 'notify-approvers') =>
      pairs
        .filter(([s, e]) => can(s, e) && transition(s, e).effects.includes(effect))
        .map(([s, e]) => `${s}+${e}`)
        .sort();
    expect(notified('notify-approvers')).toEqual(['new+request-with-approval', 'ready+update-with-approval']);
    expect(notified('notify-owner')).toEqual(
      [
        'awaiting-approval+approve',
        'awaiting-approval+reject',
        'ready+approve',
        'ready+reject',
        'provisioning+succeeded',
        'provisioning+failed',
        'updating+failed',
        'deleting+failed',
        'ready+drift-detected',
      ].sort(),
    );
  });

  it('clears what is gone on delete and force-remove', () => {
    for (const [s, e] of [['deleting', 'gone'], ['ready', 'force-remove']] as const) {
      expect(patchOf(transition(s, e), 1)).toMatchObject({
        state: 'deleted',
        pendingOperation: null,
        nextAttemptAt: null,
        outputs: {},
        encryptedSecrets: null,
        billable: false,
      });
    }
  });
});
