/*
 * Copyright 2026 The Paved Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 */
import type { ResourceCondition } from '@paved/backstage-plugin-provisioning-common';
import type { KubeObject } from '../cluster/KubernetesCluster';

/** The control plane's verdict on one object, before outputs and secrets are read. @internal */
export type StatusVerdict =
  | { status: 'ready'; conditions: ResourceCondition[] }
  | {
      status: 'pending' | 'drifted' | 'failed';
      reason: string;
      conditions: ResourceCondition[];
    };

interface RawCondition {
  type?: unknown;
  status?: unknown;
  reason?: unknown;
  message?: unknown;
  lastTransitionTime?: unknown;
  observedGeneration?: unknown;
}

function toCondition(c: RawCondition): ResourceCondition | undefined {
  if (typeof c?.type !== 'string') {
    return undefined;
  }
  const status =
    c.status === 'True' || c.status === 'False' ? c.status : 'Unknown';
  return {
    type: c.type,
    status,
    reason: typeof c.reason === 'string' ? c.reason : undefined,
    message: typeof c.message === 'string' && c.message ? c.message : undefined,
    lastTransitionTime:
      typeof c.lastTransitionTime === 'string'
        ? c.lastTransitionTime
        : new Date(0).toISOString(),
  };
}

function describe(c: ResourceCondition): string {
  return c.message ?? c.reason ?? `${c.type} is ${c.status}`;
}

const UNHEALTHY = new Set(['unhealthy', 'degraded', 'failed']);

/**
 * Maps what the control plane reports in `status` to a verdict, using the condition message as the reason:
 * - Crossplane claims: `Ready` and `Synced` (Synced=False while not ready is a failure; while ready it is drift).
 * - Kratix requests: `ConfigureWorkflowCompleted` (and `Ready` where present), and `status.healthRecord.state`
 *   (unhealthy/degraded is reported as drift, with the health record's details).
 * - An object being deleted, or whose generation the controller has not observed yet, is pending.
 * @internal
 */
export function verdictOf(object: KubeObject): StatusVerdict {
  const status = (object.status ?? {}) as Record<string, unknown>;
  const rawConditions = Array.isArray(status.conditions)
    ? (status.conditions as RawCondition[])
    : [];
  const conditions = rawConditions
    .map(toCondition)
    .filter((c): c is ResourceCondition => !!c);
  const find = (type: string) => conditions.find(c => c.type === type);

  if (object.metadata.deletionTimestamp) {
    const finalizers = object.metadata.finalizers ?? [];
    return {
      status: 'pending',
      reason: `being deleted${
        finalizers.length
          ? `, waiting for finalizers: ${finalizers.join(', ')}`
          : ''
      }`,
      conditions,
    };
  }

  const generation = object.metadata.generation;
  const observed =
    typeof status.observedGeneration === 'number'
      ? status.observedGeneration
      : undefined;
  if (
    typeof generation === 'number' &&
    observed !== undefined &&
    observed < generation
  ) {
    return {
      status: 'pending',
      reason: `waiting for the control plane to observe generation ${generation} (observed ${observed})`,
      conditions,
    };
  }

  const ready = find('Ready');
  const synced = find('Synced');
  const workflow = find('ConfigureWorkflowCompleted');

  if (synced?.status === 'False' && ready?.status !== 'True') {
    return { status: 'failed', reason: describe(synced), conditions };
  }
  if (
    workflow?.status === 'False' &&
    /fail|error/i.test(workflow.reason ?? '')
  ) {
    return { status: 'failed', reason: describe(workflow), conditions };
  }

  let isReady: boolean;
  let notReadyReason: string;
  if (ready) {
    isReady = ready.status === 'True' && workflow?.status !== 'False';
    notReadyReason =
      ready.status !== 'True' || !workflow
        ? describe(ready)
        : describe(workflow);
  } else if (workflow) {
    isReady = workflow.status === 'True';
    notReadyReason = describe(workflow);
  } else {
    return {
      status: 'pending',
      reason: 'waiting for the control plane to report status conditions',
      conditions,
    };
  }
  if (!isReady) {
    return { status: 'pending', reason: notReadyReason, conditions };
  }

  if (synced?.status === 'False') {
    return {
      status: 'drifted',
      reason: `control plane cannot apply the declared state: ${describe(
        synced,
      )}`,
      conditions,
    };
  }
  const health = (status.healthRecord ?? status.healthStatus) as
    | { state?: unknown; details?: unknown }
    | undefined;
  if (
    health &&
    typeof health.state === 'string' &&
    UNHEALTHY.has(health.state.toLowerCase())
  ) {
    const details = Array.isArray(health.details)
      ? health.details.filter(d => typeof d === 'string').join('; ')
      : '';
    return {
      status: 'drifted',
      reason: `health record reports ${health.state}${
        details ? `: ${details}` : ''
      }`,
      conditions,
    };
  }
  return { status: 'ready', conditions };
}

/** Reads a dotted path (e.g. `status.address`) as text; `undefined` when absent or not a scalar. @internal */
export function readPath(object: unknown, path: string): string | undefined {
  let value: unknown = object;
  for (const part of path.split('.')) {
    if (!value || typeof value !== 'object' || !Object.hasOwn(value, part)) {
      return undefined;
    }
    value = (value as Record<string, unknown>)[part];
  }
  if (
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
  ) {
    return String(value);
  }
  return undefined;
}
