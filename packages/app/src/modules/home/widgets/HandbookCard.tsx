import { MarkdownContent } from '@backstage/core-components';

/** Path of the platform's handbook: the TechDocs of the portal's own catalog component. */
export const HANDBOOK_PATH = '/docs/default/component/paved-portal';

const content = `
Paved is Brightcart's internal developer platform: build and run a service without filing a ticket.

- **[The handbook](${HANDBOOK_PATH})**: getting started, how to request a database, how golden paths work,
  how status is computed, FAQ and how to get help.
- **[Catalog](/catalog)**: every component, system, API, resource and team, and who owns what.
- **[Self-service](/provisioning)**: databases and caches with their prices, and your requests.
- **[Service status](/service-status)**: the health of every service, rolled up through its dependencies.

Questions? Ask the platform team in the #platform channel.
`;

/** The platform's handbook and the portal's main places, all inside the portal. */
export function HandbookCard() {
  return <MarkdownContent content={content} />;
}
