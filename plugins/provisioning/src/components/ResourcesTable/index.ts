export { ResourcesTable } from './ResourcesTable';
export { ResourceList } from './ResourceList';
