export { serviceStatusApiRef } from './ServiceStatusApi';
export type { ServiceStatusApi } from './ServiceStatusApi';
export { ServiceStatusClient } from './ServiceStatusClient';
