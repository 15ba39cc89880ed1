import { createFrontendModule } from '@backstage/frontend-plugin-api';
import {
  HomePageLayoutBlueprint,
  HomePageWidgetBlueprint,
} from '@backstage/plugin-home-react/alpha';

/**
 * The Paved home page for the signed-in person: their services with status, their teams' resources with cost,
 * requests waiting for approval, open incidents and recent deployments, the golden paths and the handbook.
 * Everything links inside the portal. The stock widgets of @backstage/plugin-home are disabled in app-config.yaml.
 */
const layout = HomePageLayoutBlueprint.make({
  params: {
    loader: () => import('./PavedHomeLayout').then(m => m.PavedHomeLayout),
  },
});

const myServices = HomePageWidgetBlueprint.make({
  name: 'my-services',
  params: {
    name: 'PavedMyServices',
    title: 'My services',
    description: 'Services owned by you or your teams, with their status',
    components: () =>
      import('./widgets/MyServicesCard').then(m => ({
        Content: m.MyServicesCard,
      })),
  },
});

const myResources = HomePageWidgetBlueprint.make({
  name: 'my-resources',
  params: {
    name: 'PavedMyResources',
    title: 'My resources',
    description: "Your teams' self-service resources with their monthly cost",
    components: () =>
      import('./widgets/MyResourcesCard').then(m => ({
        Content: m.MyResourcesCard,
      })),
  },
});

const approvals = HomePageWidgetBlueprint.make({
  name: 'approvals',
  params: {
    name: 'PavedApprovals',
    title: 'Waiting for approval',
    description:
      'Your requests awaiting approval, and requests for you to approve',
    components: () =>
      import('./widgets/ApprovalsCard').then(m => ({
        Content: m.ApprovalsCard,
      })),
  },
});

const delivery = HomePageWidgetBlueprint.make({
  name: 'delivery',
  params: {
    name: 'PavedDelivery',
    title: 'Incidents and deployments',
    description: 'Open incidents and recent deployments of your services',
    components: () =>
      import('./widgets/DeliveryCard').then(m => ({
        Content: () => <m.DeliveryCard />,
      })),
  },
});

const goldenPaths = HomePageWidgetBlueprint.make({
  name: 'golden-paths',
  params: {
    name: 'PavedGoldenPaths',
    title: 'Start from a golden path',
    description: 'Templates that create a working service with what it needs',
    components: () =>
      import('./widgets/GoldenPathsCard').then(m => ({
        Content: m.GoldenPathsCard,
      })),
  },
});

const handbook = HomePageWidgetBlueprint.make({
  name: 'handbook',
  params: {
    name: 'PavedHandbook',
    title: 'Platform handbook',
    description: "The platform's handbook and the portal's main places",
    components: () =>
      import('./widgets/HandbookCard').then(m => ({
        Content: m.HandbookCard,
      })),
  },
});

export const homeModule = createFrontendModule({
  pluginId: 'home',
  extensions: [
    layout,
    myServices,
    myResources,
    approvals,
    delivery,
    goldenPaths,
    handbook,
  ],
});
