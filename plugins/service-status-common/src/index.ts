/**
 * Types and constants shared by the Paved service status plugins.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './constants';
