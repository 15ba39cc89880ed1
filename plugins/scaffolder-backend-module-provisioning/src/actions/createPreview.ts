/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { ConflictError, InputError, ResponseError } from '@backstage/errors';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { createHash } from 'node:crypto';
import { ScaffolderProvisioning } from '../service/provisioningClient';
import { TaskResourceStore } from '../database/TaskResourceStore';
import {
  findLiveResource,
  idempotencyKeyOf,
  isConflict,
  resourceEntityRef,
  resourceLink,
  toActionError,
} from '../service/resources';
import { examples } from './createPreview.examples';

/** Longest resource name (the API's DNS-label rule). */
const MAX_NAME = 40;

/**
 * The name of a branch's preview resource: `<component>-<branch>` made a DNS label (lowercase letters, digits and
 * `-`), e.g. `orders-api` + `feature/Faster_checkout` → `orders-api-feature-faster-checkout`. Longer than 40
 * characters: cut, with a 6-character hash of the full name so that two long branches do not collide.
 * @internal
 */
export function previewName(component: string, branch: string): string {
  const slug = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '');
  const base = slug(component);
  const branchSlug = slug(branch);
  if (!base || !/^[a-z]/.test(base)) {
    throw new InputError(`Cannot name a preview after '${component}': it must start with a letter`);
  }
  if (!branchSlug) {
    throw new InputError(`Invalid branch '${branch}': it has no letters or digits`);
  }
  const full = `${base}-${branchSlug}`;
  if (full.length <= MAX_NAME) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 6);
  return `${full.slice(0, MAX_NAME - 7).replace(/-+$/, '')}-${hash}`;
}

/**
 * Creates the `provisioning:resource:preview` action: a preview resource (e.g. a database) for one branch of a
 * service, with a time to live, so that it cleans itself up.
 *
 * @remarks
 * The name is derived from the component and the branch ({@link previewName}) unless given. Idempotent like
 * `provisioning:resource:create`: the result is checkpointed and the request carries an `Idempotency-Key` derived
 * from the task, the step, the type and the name. Running it again for a branch whose preview is alive (a new push)
 * extends that preview's time to live instead (output `extended: true`); a live resource of that name that belongs
 * to another entity is a conflict. Dry runs return the plan and the estimate.
 *
 * @internal
 */
export function createProvisioningResourcePreviewAction(options: {
  provisioning: ScaffolderProvisioning;
  store: TaskResourceStore;
  /** Base URL of the frontend app, for the link output. */
  appBaseUrl: string;
}) {
  const { provisioning, store, appBaseUrl } = options;
  return createTemplateAction({
    id: 'provisioning:resource:preview',
    description:
      "Creates a preview resource (e.g. a database) for one branch of a service, with a time to live: it is deleted when the time to live ends (owners are reminded and may extend it). Running it again for the same branch extends the live preview. Idempotent across task retries and recovery.",
    examples,
    supportsDryRun: true,
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .min(1)
            .describe('Entity ref of the service the preview is for, e.g. `component:default/orders-api`'),
          branch: z
            .string()
            .min(1)
            .max(255)
            .describe('The git branch the preview is for, e.g. `feature/faster-checkout`'),
          owner: z
            .string()
            .min(1)
            .describe('Entity ref of the owning group, e.g. `group:default/orders-team` (`orders-team` is read as a group)'),
          type: z
            .string()
            .min(1)
            .default('postgresql')
            .describe('Resource type id; its type must allow a time to live (`ttl` in GET /api/provisioning/v1/types). Default `postgresql`'),
          ttl: z
            .string()
            .min(1)
            .max(40)
            .default('1d')
            .describe("Time to live from now: ISO 8601 (`PT2H`) or e.g. `2h`, `3d`; at most the type's maximum. Default `1d`"),
          name: z
            .string()
            .optional()
            .describe('Name of the resource; default `<component>-<branch>` as a DNS label of at most 40 characters'),
          parameters: z
            .record(z.unknown())
            .default({})
            .describe("Parameters of the resource, validated against the type's JSON Schema, e.g. `{ size: small }`"),
          justification: z
            .string()
            .optional()
            .describe('Why advanced parameter values outside the golden path are needed (required with such values; the platform team approves)'),
        }),
      output: z =>
        z.object({
          resourceId: z.string().describe('Id of the preview resource (`dry-run` in dry runs)'),
          resourceName: z.string().describe('Name of the preview resource'),
          entityRef: z.string().describe('Entity ref of its catalog Resource entity, e.g. `resource:default/orders-api-feature-x`'),
          link: z.string().describe("URL of the resource's page in the portal"),
          state: z.string().describe('State: `requested`, `awaiting-approval`, `ready`, … (`planned` in dry runs)'),
          expiresAt: z.string().describe('ISO 8601 time when it expires and is deleted (empty in dry runs)'),
          extended: z.boolean().describe('True when a live preview of the branch existed and its time to live was extended'),
        }),
    },
    async handler(ctx) {
      // the schema's defaults, also when the handler is called without the scaffolder applying them
      const type = ctx.input.type ?? 'postgresql';
      const ttl = ctx.input.ttl ?? '1d';
      const branch = ctx.input.branch;
      let component: string;
      let entityRef: string;
      let owner: string;
      try {
        const parsed = parseEntityRef(ctx.input.entityRef, { defaultKind: 'component', defaultNamespace: 'default' });
        component = parsed.name;
        entityRef = stringifyEntityRef(parsed);
        owner = stringifyEntityRef(
          parseEntityRef(ctx.input.owner, { defaultKind: 'group', defaultNamespace: 'default' }),
        );
      } catch (e) {
        throw new InputError(`Invalid entity ref: ${(e as Error).message}`);
      }
      const name = ctx.input.name || previewName(component, branch);
      const parameters = (ctx.input.parameters ?? {}) as Record<string, unknown>;
      const justification = ctx.input.justification?.trim() || undefined;
      const credentials = await ctx.getInitiatorCredentials();
      const link = resourceLink(appBaseUrl, name);

      if (ctx.isDryRun) {
        const estimate = await provisioning
          .estimate({ type, name, parameters }, { credentials })
          .catch(e => {
            throw toActionError(e);
          });
        ctx.logger.info(
          `Plan: preview ${type} '${name}' of ${entityRef} for branch ${branch}, time to live ${ttl}, owned by ${owner}; estimated $${estimate.monthlyCostUsd}/month${
            estimate.requiresApproval ? '; needs approval' : ''
          }. Nothing was provisioned (dry run).`,
        );
        ctx.output('resourceId', 'dry-run');
        ctx.output('resourceName', name);
        ctx.output('entityRef', resourceEntityRef(name));
        ctx.output('link', link);
        ctx.output('state', 'planned');
        ctx.output('expiresAt', '');
        ctx.output('extended', false);
        return;
      }

      const taskId = ctx.task.id;
      const idempotencyKey = idempotencyKeyOf({ taskId, stepId: ctx.step?.id, type, name });
      const result = await ctx.checkpoint({
        key: `provisioning.preview.${type}.${name}`,
        fn: async () => {
          // a live preview of this branch (an earlier run): extend it
          const existing = await findLiveResource(provisioning, { type, name }, credentials).catch(e => {
            throw toActionError(e);
          });
          if (existing) {
            if (existing.entityRef !== entityRef) {
              throw new ConflictError(
                `A ${type} named '${name}' already exists and belongs to ${existing.entityRef ?? 'no entity'}; give the preview another name`,
              );
            }
            const extended = await provisioning
              .extendResource(existing.id, { ttl }, { credentials })
              .catch(e => {
                throw toActionError(e);
              });
            ctx.logger.info(
              `The preview ${type} '${name}' of branch ${branch} exists; time to live extended to ${ttl} (expires at ${extended.expiresAt})`,
            );
            return { id: extended.id, state: extended.state, expiresAt: extended.expiresAt ?? '', extended: true };
          }
          // the ledger of what this run asked for: a failed run releases it (release action, sweep)
          await store.recordIntent({ taskId, type, name, owner, keepOnFailure: false });
          let resource;
          try {
            resource = await provisioning.createResource(
              { name, type, owner, entityRef, parameters, ttl, ...(justification ? { justification } : {}) },
              { credentials, idempotencyKey },
            );
          } catch (e) {
            if (e instanceof ResponseError) {
              await store.setStatus({ taskId, type, name, status: 'rejected' });
              if (isConflict(e)) {
                throw new ConflictError(`A ${type} named '${name}' already exists (${toActionError(e).message})`);
              }
            }
            throw toActionError(e);
          }
          await store.markCreated({ taskId, type, name, resourceId: resource.id });
          ctx.logger.info(
            `Requested preview ${type} '${name}' of ${entityRef} for branch ${branch} (id ${resource.id}, state ${resource.state}, expires at ${resource.expiresAt ?? 'never'})`,
          );
          return { id: resource.id, state: resource.state, expiresAt: resource.expiresAt ?? '', extended: false };
        },
      });

      ctx.output('resourceId', result.id);
      ctx.output('resourceName', name);
      ctx.output('entityRef', resourceEntityRef(name));
      ctx.output('link', link);
      ctx.output('state', result.state);
      ctx.output('expiresAt', result.expiresAt);
      ctx.output('extended', result.extended);
    },
  });
}
