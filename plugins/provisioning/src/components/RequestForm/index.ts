export { RequestForm } from './RequestForm';
export { RequestPage } from './RequestPage';
