import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_RESOURCE_DRIFTED,
  ANNOTATION_RESOURCE_STATE,
  ProbeState,
} from '@paved/backstage-plugin-service-status-common';

/** Health derived from a provisioned resource's annotations. @internal */
export interface ResourceHealth {
  state: ProbeState;
  /** Why it is not up, e.g. `resource is provisioning`. */
  error?: string;
}

/**
 * Maps the provisioning state annotations of a Resource entity to health:
 * `ready` → up (degraded when `paved.dev/resource-drifted` is `'true'`);
 * `requested`, `provisioning`, `updating`, `awaiting-approval` → degraded;
 * `failed`, `deleting`, `deleted` → down. Returns undefined when the entity carries no state.
 * @internal
 */
export function resourceHealth(entity: Entity): ResourceHealth | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const raw = annotations[ANNOTATION_RESOURCE_STATE];
  if (!raw) {
    return undefined;
  }
  const state = raw.trim().toLowerCase();
  switch (state) {
    case 'ready':
      return annotations[ANNOTATION_RESOURCE_DRIFTED]?.toLowerCase() === 'true'
        ? {
            state: 'degraded',
            error: 'resource drifted from its declared state',
          }
        : { state: 'up' };
    case 'requested':
    case 'provisioning':
    case 'updating':
    case 'awaiting-approval':
      return { state: 'degraded', error: `resource is ${state}` };
    case 'failed':
    case 'deleting':
    case 'deleted':
      return { state: 'down', error: `resource is ${state}` };
    default:
      return { state: 'down', error: `unknown resource state '${raw}'` };
  }
}
