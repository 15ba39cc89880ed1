import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import {
  RESOURCE_STATES,
  ResourceState,
} from '@paved/backstage-plugin-provisioning-common';
import type { ResourceService } from '../service/ResourceService';

/**
 * Registers the read-only action `list-resources` (for MCP clients and agents): provisioned resources
 * with their state, drift and monthly cost, filtered like `GET /resources`, with totals per owner.
 * Permissions apply as for the REST API (the caller's credentials).
 * @internal
 */
export function createListResourcesAction(options: {
  actionsRegistry: ActionsRegistryService;
  service: Pick<ResourceService, 'list'>;
}) {
  options.actionsRegistry.register({
    name: 'list-resources',
    title: 'List provisioned resources',
    description:
      'Lists infrastructure resources provisioned through the Paved portal (databases, caches, …) with their lifecycle state, drift, owner and monthly cost in USD, newest first. Filter by owner group, resource type, state or the entity they belong to.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          owner: z
            .string()
            .optional()
            .describe('Entity ref of the owning group, e.g. group:default/orders-team'),
          type: z.string().optional().describe('Resource type id, e.g. postgresql'),
          state: z
            .enum(RESOURCE_STATES as [ResourceState, ...ResourceState[]])
            .optional()
            .describe('Lifecycle state'),
          entityRef: z
            .string()
            .optional()
            .describe('Entity ref of the entity the resources belong to, e.g. component:default/orders-api'),
          limit: z.number().int().min(1).max(200).optional().describe('Most items to return (default 50)'),
        }),
      output: z =>
        z.object({
          items: z.array(
            z.object({
              id: z.string(),
              name: z.string(),
              type: z.string(),
              owner: z.string(),
              entityRef: z.string().optional(),
              state: z.string(),
              drifted: z.boolean(),
              reason: z.string().optional(),
              monthlyCostUsd: z.number().describe('USD/month'),
              outputs: z.record(z.string()).describe('Non-secret connection information'),
              expiresAt: z
                .string()
                .optional()
                .describe('ISO 8601 time when its time to live ends and it is deleted; absent when it does not expire'),
            }),
          ),
          totals: z.array(
            z.object({ owner: z.string(), monthlyCostUsd: z.number(), count: z.number() }),
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      const page = await options.service.list(
        {
          owners: input.owner ? [input.owner] : undefined,
          type: input.type,
          states: input.state ? [input.state] : undefined,
          entityRef: input.entityRef,
          limit: input.limit ?? 50,
        },
        credentials,
      );
      return {
        output: {
          items: page.items.map(r => ({
            id: r.id,
            name: r.name,
            type: r.type,
            owner: r.owner,
            ...(r.entityRef ? { entityRef: r.entityRef } : {}),
            state: r.state,
            drifted: r.drifted,
            ...(r.reason ? { reason: r.reason } : {}),
            monthlyCostUsd: r.monthlyCostUsd,
            outputs: r.outputs,
            ...(r.expiresAt ? { expiresAt: r.expiresAt } : {}),
          })),
          totals: page.totals,
        },
      };
    },
  });
}
