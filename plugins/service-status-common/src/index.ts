/**
 * Types and constants shared by the Paved service status plugins.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './constants';
export * from './delivery';
export type {
  paths as ServiceStatusApiPaths,
  operations as ServiceStatusApiOperations,
  components as ServiceStatusApiComponents,
} from './generated/openapi';
