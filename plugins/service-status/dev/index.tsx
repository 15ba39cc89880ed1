import { createDevApp } from '@backstage/frontend-dev-utils';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import serviceStatusPlugin from '../src/alpha';

// Runs the plugin against a local backend (`yarn start` in packages/backend): open
// /service-status, or an entity's Status tab from /catalog.
createDevApp({ features: [catalogPlugin, serviceStatusPlugin] });
