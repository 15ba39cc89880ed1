/**
 * The resource lifecycle as one pure table (state x event -> next state, operation, effects) and the
 * functions that read it. No I/O: `ResourceService` and the reconciler carry the effects out.
 * @internal
 */
export * from './table';
export * from './transition';
