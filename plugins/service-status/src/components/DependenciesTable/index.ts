export { DependenciesTable } from './DependenciesTable';
export type { DependenciesTableProps } from './DependenciesTable';
