/**
 * Node.js library for the Paved provisioning backend: the driver interface and the extension point
 * through which backend modules add drivers.
 *
 * @packageDocumentation
 */
export * from './driver';
export * from './extensions';
export * from './service';
