/**
 * Types and permissions shared by the Paved provisioning plugins.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './permissions';
export * from './constants';
