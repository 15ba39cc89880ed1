/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { Content } from '@backstage/core-components';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { createFormField, FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import CallSplitIcon from '@material-ui/icons/CallSplit';
import VpnKeyIcon from '@material-ui/icons/VpnKey';
import { goldenPathsApiRef, GoldenPathsClient } from './api';
import { adoptionApiRef, AdoptionClient } from './adoption/AdoptionApi';
import { rootRouteRef } from './routes';

export { goldenPathsTranslationRef } from './translation';

/** The golden paths API client. */
const goldenPathsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: goldenPathsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) => new GoldenPathsClient({ discoveryApi, fetchApi }),
    }),
});

/** The golden-path adoption API client. */
const adoptionApi = ApiBlueprint.make({
  name: 'adoption',
  params: defineParams =>
    defineParams({
      api: adoptionApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) => new AdoptionClient({ discoveryApi, fetchApi }),
    }),
});

/** The "Golden paths" page at `/golden-paths` (also a sidebar item). */
const goldenPathsPage = PageBlueprint.make({
  params: {
    path: '/golden-paths',
    title: 'Golden paths',
    icon: <CallSplitIcon />,
    routeRef: convertLegacyRouteRef(rootRouteRef),
    loader: () => import('./adoption/GoldenPathsTabs').then(m => <m.GoldenPathsTabs />),
  },
});

const gitAccessTokensRouteRef = createRouteRef();

/** The "Git access tokens" page at `/git-access-tokens` (also a sidebar item). */
const gitAccessTokensPage = PageBlueprint.make({
  name: 'git-access-tokens',
  params: {
    path: '/git-access-tokens',
    title: 'Git access tokens',
    icon: <VpnKeyIcon />,
    routeRef: gitAccessTokensRouteRef,
    loader: () =>
      import('./components/GitAccessTokens').then(m => (
        <Content>
          <m.GitAccessTokensContent />
        </Content>
      )),
  },
});

/** Scaffolder form field `RetirementPlan`: what "Retire a service" will remove. */
const retirementPlanField = FormFieldBlueprint.make({
  name: 'retirement-plan',
  params: {
    field: () =>
      import('./components/RetirementPlanField').then(m =>
        createFormField({ name: 'RetirementPlan', component: m.RetirementPlanField as any }),
      ),
  },
});

/** The golden path card on the overview of components made from a versioned template. */
const entityGoldenPathCard = EntityCardBlueprint.make({
  name: 'golden-path',
  params: {
    filter: {
      kind: 'component',
      'metadata.annotations.paved.dev/template': { $exists: true },
    },
    loader: () => import('./components/EntityGoldenPathCard').then(m => <m.EntityGoldenPathCard />),
  },
});

/**
 * The golden paths plugin for the new frontend system: the API, the "Golden paths" page and the
 * entity card.
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'golden-paths',
  title: 'Golden paths',
  icon: <CallSplitIcon />,
  info: { packageJson: () => import('../package.json') },
  routes: { root: convertLegacyRouteRef(rootRouteRef) },
  extensions: [
    goldenPathsApi,
    adoptionApi,
    goldenPathsPage,
    entityGoldenPathCard,
    gitAccessTokensPage,
    retirementPlanField,
  ],
});

export { AdoptionContent } from './adoption';
