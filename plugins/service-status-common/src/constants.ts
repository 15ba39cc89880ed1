/**
 * Annotation on Component and Resource entities: the URL the status backend probes
 * (HTTP GET; only hosts in `serviceStatus.probes.allow` are probed).
 * @public
 */
export const ANNOTATION_HEALTH_URL = 'paved.dev/health-url';

/**
 * Annotation on Resource entities made by the provisioning catalog provider: the resource's
 * lifecycle state (`ready`, `provisioning`, `failed`, ...). The status backend derives health from it.
 * @public
 */
export const ANNOTATION_RESOURCE_STATE = 'paved.dev/resource-state';

/**
 * Optional annotation on provisioned Resource entities: `'true'` when the reconciler found drift.
 * A drifted ready resource counts as degraded.
 * @public
 */
export const ANNOTATION_RESOURCE_DRIFTED = 'paved.dev/resource-drifted';

/** The base path of the versioned REST API, relative to the plugin's base URL. @public */
export const SERVICE_STATUS_API_VERSION_PATH = '/v1';
