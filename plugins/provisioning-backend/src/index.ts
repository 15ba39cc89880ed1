export { provisioningPlugin as default } from './plugin';
