import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { HomePageWidgetBlueprint } from '@backstage/plugin-home-react/alpha';
import { MarkdownContent } from '@backstage/core-components';

const content = `
## Welcome to Paved 👋

Paved is Brightcart's internal developer platform: everything you need to
build and run a service, without filing a ticket.

- **Find a service**: browse the [catalog](/catalog) of components,
  systems, APIs, resources and teams, and see who owns what.
- **Start a new service**: run a golden-path [template](/create) to get a
  working repository, registered in the catalog, with the infrastructure it needs.
- **Read the docs**: every service's documentation is on its catalog page.

Questions? Ask the platform team in the #platform channel.
`;

const gettingStartedWidget = HomePageWidgetBlueprint.make({
  name: 'getting-started',
  params: {
    name: 'GettingStarted',
    title: 'Getting Started',
    description: 'Tips and links to help you get started with Backstage',
    components: async () => ({
      Content: () => <MarkdownContent content={content} />,
    }),
  },
});

export const homeModule = createFrontendModule({
  pluginId: 'home',
  extensions: [gettingStartedWidget],
});
