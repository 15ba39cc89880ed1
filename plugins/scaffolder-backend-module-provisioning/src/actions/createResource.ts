/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { ConflictError, InputError, ResponseError } from '@backstage/errors';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { RESOURCE_NAME_PATTERN } from '@paved/backstage-plugin-provisioning-common';
import { ScaffolderProvisioning } from '../service/provisioningClient';
import { TaskResourceStore } from '../database/TaskResourceStore';
import {
  idempotencyKeyOf,
  isConflict,
  resourceEntityRef,
  resourceLink,
  toActionError,
} from '../service/resources';
import { examples } from './createResource.examples';

/** Normalises a possibly short entity ref (`orders-team`) to a full one (`group:default/orders-team`). */
function fullRef(
  value: string | undefined,
  field: string,
  defaultKind: string,
): string | undefined {
  if (value === undefined || value.trim() === '') {
    return undefined;
  }
  try {
    return stringifyEntityRef(
      parseEntityRef(value.trim(), { defaultKind, defaultNamespace: 'default' }),
    );
  } catch (e) {
    throw new InputError(
      `Invalid ${field} '${value}': ${(e as Error).message}`,
    );
  }
}

/**
 * Creates the `provisioning:resource:create` action: requests a resource of a type for an owner and
 * an entity from the Paved provisioning backend.
 *
 * @remarks
 * Idempotent across task retries and recovery: the result is stored with `ctx.checkpoint`, and the request carries
 * an `Idempotency-Key` derived from the task id, the step id and the type and name, so a recovered run that repeats
 * the request gets the resource its earlier attempt created. A 409 (the name is taken by another resource) and a
 * 400 (e.g. a naming rule of the driver) fail the step with the API's message. What the run created is written to
 * the module's ledger (TaskResourceStore) for `provisioning:resource:release` and the sweep of failed runs. Dry
 * runs ask for the cost estimate (with the name, so naming rules are checked) and return the plan.
 *
 * @internal
 */
export function createProvisioningResourceCreateAction(options: {
  provisioning: ScaffolderProvisioning;
  store: TaskResourceStore;
  /** Base URL of the frontend app, for the link output. */
  appBaseUrl: string;
}) {
  const { provisioning, store, appBaseUrl } = options;
  return createTemplateAction({
    id: 'provisioning:resource:create',
    description:
      'Requests a resource (database, cache, ...) from the Paved provisioning backend for an owner and an entity. Idempotent across task retries and recovery; a dry run returns the plan and the monthly cost estimate without provisioning.',
    examples,
    supportsDryRun: true,
    schema: {
      input: z =>
        z.object({
          name: z
            .string()
            .regex(RESOURCE_NAME_PATTERN)
            .describe(
              'Name of the resource: a DNS label of at most 40 characters, unique per type, e.g. `invoice-db`',
            ),
          type: z
            .string()
            .min(1)
            .describe(
              'Resource type id as offered by the platform (GET /api/provisioning/v1/types), e.g. `postgresql`',
            ),
          owner: z
            .string()
            .min(1)
            .describe(
              'Entity ref of the owning group, e.g. `group:default/orders-team` (`orders-team` is read as a group)',
            ),
          entityRef: z
            .string()
            .optional()
            .describe(
              'Entity ref of the entity the resource belongs to, e.g. `component:default/invoice-api`',
            ),
          system: z
            .string()
            .optional()
            .describe(
              'Entity ref of the system, e.g. `system:default/orders` (`orders` is read as a system; empty means none)',
            ),
          parameters: z
            .record(z.unknown())
            .default({})
            .describe(
              "Parameters of the resource, validated against the type's JSON Schema, e.g. `{ size: small }`",
            ),
          ttl: z
            .string()
            .min(1)
            .max(40)
            .optional()
            .describe(
              "Time to live, for types that allow one: ISO 8601 (`PT2H`) or e.g. `2h`, `3d`; the resource is deleted when it ends (at most the type's maximum)",
            ),
          justification: z
            .string()
            .max(2000)
            .optional()
            .describe(
              'Why advanced parameter values outside the golden path are needed (required with such values, at least 20 characters; the platform team approves)',
            ),
          keepOnFailure: z
            .boolean()
            .default(false)
            .describe(
              'Keep the resource when the run fails; otherwise `provisioning:resource:release` deletes it',
            ),
        }),
      output: z =>
        z.object({
          resourceId: z
            .string()
            .describe(
              'Id of the resource in the provisioning backend (`dry-run` in dry runs)',
            ),
          resourceName: z.string().describe('Name of the resource'),
          entityRef: z
            .string()
            .describe(
              'Entity ref of the catalog Resource entity, e.g. `resource:default/invoice-db`',
            ),
          link: z.string().describe("URL of the resource's page in the portal"),
          state: z
            .string()
            .describe(
              'State right after the request: `requested` or `awaiting-approval` (`planned` in dry runs)',
            ),
          monthlyCostUsd: z
            .number()
            .describe('Estimated monthly cost in USD/month'),
          requiresApproval: z
            .boolean()
            .describe('Whether the platform team has to approve the request'),
        }),
    },
    async handler(ctx) {
      const { name, type, keepOnFailure } = ctx.input;
      const owner = fullRef(ctx.input.owner, 'owner', 'group')!;
      const entityRef = fullRef(ctx.input.entityRef, 'entityRef', 'component');
      const system = fullRef(ctx.input.system, 'system', 'system');
      const parameters = (ctx.input.parameters ?? {}) as Record<
        string,
        unknown
      >;
      const ttl = ctx.input.ttl?.trim() || undefined;
      const justification = ctx.input.justification?.trim() || undefined;
      const credentials = await ctx.getInitiatorCredentials();
      const link = resourceLink(appBaseUrl, name);

      if (ctx.isDryRun) {
        const estimate = await provisioning
          .estimate({ type, name, parameters }, { credentials })
          .catch(e => {
            throw toActionError(e);
          });
        const approval = estimate.requiresApproval
          ? `; needs approval${
              estimate.approvers ? ` by ${estimate.approvers}` : ''
            }`
          : '';
        ctx.logger.info(
          `Plan: create ${type} '${name}' for ${owner}${
            entityRef ? ` (belongs to ${entityRef})` : ''
          } with parameters ${JSON.stringify(parameters)}; estimated cost $${
            estimate.monthlyCostUsd
          }/month${approval}. Nothing was provisioned (dry run).`,
        );
        ctx.output('resourceId', 'dry-run');
        ctx.output('resourceName', name);
        ctx.output('entityRef', resourceEntityRef(name));
        ctx.output('link', link);
        ctx.output('state', 'planned');
        ctx.output('monthlyCostUsd', estimate.monthlyCostUsd);
        ctx.output('requiresApproval', estimate.requiresApproval);
        return;
      }

      const taskId = ctx.task.id;
      const idempotencyKey = idempotencyKeyOf({
        taskId,
        stepId: ctx.step?.id,
        type,
        name,
      });
      const result = await ctx.checkpoint({
        key: `provisioning.create.${type}.${name}`,
        fn: async () => {
          // The ledger of what this run asked for, so that a failed run can release it (release action, sweep).
          await store.recordIntent({
            taskId,
            type,
            name,
            owner,
            keepOnFailure: keepOnFailure ?? false,
          });
          let resource;
          try {
            // A retried or recovered run sends the same key and body: the API answers with the resource the
            // earlier attempt created instead of creating a second one (a 409 means the name is someone else's).
            resource = await provisioning.createResource(
              {
                name,
                type,
                owner,
                entityRef,
                system,
                parameters,
                ...(ttl ? { ttl } : {}),
                ...(justification ? { justification } : {}),
              },
              { credentials, idempotencyKey },
            );
            ctx.logger.info(
              `Requested ${type} '${name}' for ${owner} (id ${resource.id}, state ${resource.state}, $${resource.monthlyCostUsd}/month)`,
            );
          } catch (e) {
            if (e instanceof ResponseError) {
              // The backend answered with an error (a naming rule, a taken name, a quota): nothing was created.
              await store.setStatus({ taskId, type, name, status: 'rejected' });
              if (isConflict(e)) {
                throw new ConflictError(
                  `A ${type} named '${name}' already exists; choose another name (${
                    toActionError(e).message
                  })`,
                );
              }
            }
            throw toActionError(e);
          }
          await store.markCreated({
            taskId,
            type,
            name,
            resourceId: resource.id,
          });
          return {
            id: resource.id,
            state: resource.state,
            monthlyCostUsd: resource.monthlyCostUsd,
          };
        },
      });

      ctx.output('resourceId', result.id);
      ctx.output('resourceName', name);
      ctx.output('entityRef', resourceEntityRef(name));
      ctx.output('link', link);
      ctx.output('state', result.state);
      ctx.output('monthlyCostUsd', result.monthlyCostUsd);
      ctx.output('requiresApproval', result.state === 'awaiting-approval');
    },
  });
}
