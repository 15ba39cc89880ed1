import { InputError } from '@backstage/errors';
import type {
  ResourceCondition,
  ResourceEvent,
  ResourceState,
} from '@paved/backstage-plugin-provisioning-common';
import { toIsoDuration } from '../ttl/durations';
import type { PendingOperation, StoredResource } from './types';

/* Row mapping of the provisioning tables: row types, columns and row <-> object conversion. */

/** @internal */
export const RESOURCES = 'provisioning_resources';
/** @internal */
export const EVENTS = 'provisioning_events';
/** @internal */
export const IDEMPOTENCY_KEYS = 'provisioning_idempotency_keys';

/** A row of `provisioning_resources`. @internal */
export type ResourceRow = {
  id: string;
  name: string;
  type: string;
  owner: string;
  entity_ref: string | null;
  system: string | null;
  parameters: string;
  pending_change: string | null;
  billable: boolean | number;
  working_since: number | string | null;
  state: string;
  pending_operation: string | null;
  drifted: boolean | number;
  reason: string | null;
  conditions: string;
  outputs: string;
  secrets: string | null;
  monthly_cost_usd: number | string;
  created_by: string;
  created_at: number | string;
  updated_at: number | string;
  live_name: string | null;
  next_attempt_at: number | string | null;
  attempts: number;
  claimed_by: string | null;
  claim_expires_at: number | string | null;
  drift_checked_at: number | string | null;
  ttl_ms: number | string | null;
  expires_at: number | string | null;
  ttl_reminders_sent: number;
  applied_version: string | null;
  target_version: string | null;
  deviations: string | null;
};

/** A row of `provisioning_events`. @internal */
export type EventRow = {
  id: string;
  resource_id: string;
  at: number | string;
  actor: string;
  type: string;
  from_state: string | null;
  to_state: string | null;
  message: string;
  /** JSON of an `EventAnnouncement`; null = nothing to announce. */
  announcement?: string | null;
  /** Epoch ms when announced; null = not yet. */
  announced_at?: number | string | null;
  /** The announcement sweep's claim token. */
  announce_claim?: string | null;
  /** Epoch ms when the sweep's claim lapses. */
  announce_claimed_until?: number | string | null;
};

/** Columns read into a {@link StoredResource}. @internal */
export const RESOURCE_COLUMNS: (keyof ResourceRow)[] = [
  'id',
  'name',
  'type',
  'owner',
  'entity_ref',
  'system',
  'parameters',
  'pending_change',
  'billable',
  'working_since',
  'state',
  'pending_operation',
  'drifted',
  'reason',
  'conditions',
  'outputs',
  'secrets',
  'monthly_cost_usd',
  'created_by',
  'created_at',
  'updated_at',
  'next_attempt_at',
  'attempts',
  'claimed_by',
  'claim_expires_at',
  'ttl_ms',
  'expires_at',
  'ttl_reminders_sent',
  'applied_version',
  'target_version',
  'deviations',
];

/** @internal */
export const num = (v: number | string | null): number | undefined =>
  v === null || v === undefined ? undefined : Number(v);

/** Row -> resource. @internal */
export function toResource(row: ResourceRow): StoredResource {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    owner: row.owner,
    ...(row.entity_ref ? { entityRef: row.entity_ref } : {}),
    ...(row.system ? { system: row.system } : {}),
    parameters: JSON.parse(row.parameters),
    ...(row.pending_change
      ? { pendingChange: JSON.parse(row.pending_change) }
      : {}),
    state: row.state as ResourceState,
    drifted: Boolean(row.drifted),
    ...(row.reason ? { reason: row.reason } : {}),
    conditions: JSON.parse(row.conditions) as ResourceCondition[],
    outputs: JSON.parse(row.outputs),
    monthlyCostUsd: Number(row.monthly_cost_usd),
    billable: Boolean(row.billable),
    createdBy: row.created_by,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    updatedAt: new Date(Number(row.updated_at)).toISOString(),
    ...(row.pending_operation
      ? { pendingOperation: row.pending_operation as PendingOperation }
      : {}),
    ...(row.secrets ? { encryptedSecrets: row.secrets } : {}),
    ...(row.next_attempt_at !== null && row.next_attempt_at !== undefined
      ? { nextAttemptAt: num(row.next_attempt_at) }
      : {}),
    attempts: Number(row.attempts),
    ...(row.claimed_by ? { claimedBy: row.claimed_by } : {}),
    ...(row.claim_expires_at !== null && row.claim_expires_at !== undefined
      ? { claimExpiresAt: num(row.claim_expires_at) }
      : {}),
    ...(row.working_since !== null && row.working_since !== undefined
      ? { workingSince: num(row.working_since) }
      : {}),
    ...(row.ttl_ms !== null && row.ttl_ms !== undefined
      ? { ttlMs: Number(row.ttl_ms), ttl: toIsoDuration(Number(row.ttl_ms)) }
      : {}),
    ...(row.expires_at !== null && row.expires_at !== undefined
      ? { expiresAt: new Date(Number(row.expires_at)).toISOString() }
      : {}),
    ttlRemindersSent: Number(row.ttl_reminders_sent ?? 0),
    ...(row.applied_version ? { appliedVersion: row.applied_version } : {}),
    ...(row.target_version ? { targetVersion: row.target_version } : {}),
    ...(row.deviations ? { deviations: JSON.parse(row.deviations) } : {}),
  };
}

/** Row -> event. @internal */
export function toEvent(row: EventRow): ResourceEvent {
  return {
    id: row.id,
    resourceId: row.resource_id,
    at: new Date(Number(row.at)).toISOString(),
    actor: row.actor,
    type: row.type,
    ...(row.from_state ? { fromState: row.from_state as ResourceState } : {}),
    ...(row.to_state ? { toState: row.to_state as ResourceState } : {}),
    message: row.message,
  };
}

/** @internal */
export function encodeCursor(createdAt: number, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');
}

/** @internal */
export function decodeCursor(cursor: string): [number, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      Number.isSafeInteger(value[0]) &&
      typeof value[1] === 'string'
    ) {
      return [value[0], value[1]];
    }
  } catch {
    // fall through
  }
  throw new InputError('Invalid cursor');
}

/** @internal */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return (
    err?.code === '23505' ||
    err?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    /UNIQUE constraint failed/i.test(String(err?.message))
  );
}

