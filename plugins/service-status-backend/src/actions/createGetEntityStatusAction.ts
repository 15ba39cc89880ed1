import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { StatusService } from '../services/status/StatusService';

const STATES = ['up', 'degraded', 'down', 'unknown'] as const;

/**
 * Registers the read-only action `get-entity-status` (for agents and MCP clients): the rolled-up
 * status of one entity with its reasons, open incidents and dependencies. Uses the caller's
 * credentials for catalog reads; throws InputError / NotFoundError like the REST API.
 * @internal
 */
export function createGetEntityStatusAction(options: {
  actionsRegistry: ActionsRegistryService;
  status: StatusService;
}) {
  const { actionsRegistry, status } = options;
  actionsRegistry.register({
    name: 'get-entity-status',
    title: 'Get entity status',
    description:
      'Returns the health status of a catalog entity (up, degraded, down or unknown), rolled up ' +
      'over its open incidents and everything it depends on, with human-readable reasons.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .describe(
              'Full entity ref of the entity, e.g. component:default/orders-api',
            ),
        }),
      output: z =>
        z.object({
          entityRef: z.string().describe('Normalised entity ref'),
          state: z.enum(STATES).describe('Rolled-up state'),
          healthState: z
            .enum(STATES)
            .describe('The entity’s own health (probe or resource state)'),
          reasons: z
            .array(z.string())
            .describe('Why the state is not up, worst first'),
          openIncidents: z
            .array(
              z.object({
                id: z.string(),
                title: z.string(),
                severity: z.string(),
                state: z.string(),
              }),
            )
            .describe('Open incidents on the entity'),
          dependencies: z
            .array(
              z.object({
                entityRef: z.string(),
                state: z.enum(STATES),
                depth: z.number(),
              }),
            )
            .describe('Transitive dependsOn dependencies, breadth first'),
        }),
    },
    action: async ({ input, credentials }) => {
      const result = await status.getEntityStatus(input.entityRef, credentials);
      return {
        output: {
          entityRef: result.entityRef,
          state: result.state,
          healthState: result.healthState,
          reasons: result.reasons.map(r => r.message),
          openIncidents: result.openIncidents.map(i => ({
            id: i.id,
            title: i.title,
            severity: i.severity,
            state: i.state,
          })),
          dependencies: result.dependencies.map(d => ({
            entityRef: d.entityRef,
            state: d.state,
            depth: d.depth,
          })),
        },
      };
    },
  });
}
