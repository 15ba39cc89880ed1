/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { LocalGitRepositories } from '../git/LocalGitRepositories';
import { archiveRepository } from '../git/RepositoryState';
import { describePlan, planRetirement, RetirementPlan } from '../retire/planRetirement';
import { RetirementStore } from '../retire/RetirementStore';
import { ScaffolderProvisioning } from '../service/provisioningClient';
import { isConflict, isNotFound } from '../service/resources';
import { examples } from './retireService.examples';

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Creates the `paved:service:retire` action: retires a component with everything it owns.
 *
 * @remarks
 * Order, each step checkpointed so that a failed or recovered run resumes where it stopped and never
 * repeats a step: check the typed name and that the initiator owns the component, then plan (its
 * provisioned resources, its catalog entity and location, its repository; a resource is only in the
 * plan when its `entityRef` is the component), record who retires it, request the deletion of each
 * resource and wait until they are gone, archive the repository (read-only, pushes refused, nothing
 * deleted), unregister the entity (its location, then the entity), and record the end. Nothing is
 * changed before every check passed. A dry run outputs the plan and changes nothing.
 *
 * @internal
 */
export function createPavedServiceRetireAction(options: {
  catalog: CatalogService;
  provisioning: ScaffolderProvisioning;
  repositories: LocalGitRepositories;
  store: RetirementStore;
  /** Throws NotAllowedError when the initiator may not retire the component (not one of its owners). */
  authorize: (plan: RetirementPlan, credentials: BackstageCredentials) => Promise<void>;
  /** Poll interval while resources are deleted (ms). Default 2000. */
  pollIntervalMs?: number;
  /** Injected for tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => Date;
}) {
  const { catalog, provisioning, repositories, store } = options;
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? (() => new Date());
  return createTemplateAction({
    id: 'paved:service:retire',
    description:
      'Retires a service: deletes the provisioned resources that belong to it (never another component\'s), archives its repository (read-only, not deleted), unregisters its catalog entity and records who retired it. Needs the typed name. Checkpointed: a failed run resumes. Dry run lists what would go.',
    examples,
    supportsDryRun: true,
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .min(1)
            .describe('The component to retire, e.g. component:default/invoice-api'),
          confirmName: z
            .string()
            .describe("The component's name typed by the user, as confirmation; must match exactly"),
          dryRun: z
            .boolean()
            .optional()
            .describe('Only check and list what would go, change nothing (as a dry run of the template does)'),
          timeoutSeconds: z
            .number()
            .int()
            .min(1)
            .max(3600)
            .default(600)
            .describe('How long to wait for the resources to be deleted (default 600 s)'),
        }),
      output: z =>
        z.object({
          entityRef: z.string().describe('The retired component'),
          retiredBy: z.string().describe('User entity ref of who retired it'),
          deletedResources: z
            .array(z.object({ id: z.string(), name: z.string(), type: z.string() }))
            .describe('Resources deleted (in a dry run: that would be deleted)'),
          repository: z.string().describe('The archived repository (empty if none)'),
          plan: z
            .array(z.string())
            .describe('What the retirement removed (in a dry run: would remove), one line each'),
        }),
    },
    async handler(ctx) {
      const dryRun = ctx.isDryRun || ctx.input.dryRun === true;
      const credentials = await ctx.getInitiatorCredentials();
      let name: string;
      try {
        name = parseEntityRef(ctx.input.entityRef, { defaultKind: 'component', defaultNamespace: 'default' }).name;
      } catch {
        throw new InputError(`Invalid entity ref '${ctx.input.entityRef}'`);
      }
      if (ctx.input.confirmName.trim() !== name) {
        throw new InputError(
          `To retire ${ctx.input.entityRef}, type its name '${name}' exactly (got '${ctx.input.confirmName}')`,
        );
      }
      const retiredBy =
        (credentials.principal as { userEntityRef?: string }).userEntityRef ?? 'unknown';

      const makePlan = async () => {
        const { plan } = await planRetirement({
          entityRef: ctx.input.entityRef,
          catalog,
          provisioning,
          repositories,
          credentials,
        });
        await options.authorize(plan, credentials);
        return plan;
      };
      const plan: RetirementPlan = dryRun
        ? await makePlan()
        : ((await ctx.checkpoint({
            key: `paved.retire.plan.${ctx.input.entityRef}`,
            fn: async () => JSON.parse(JSON.stringify(await makePlan())),
          })) as unknown as RetirementPlan);
      const lines = describePlan(plan);
      for (const line of lines) ctx.logger.info(`${dryRun ? 'Would: ' : ''}${line}`);
      const output = (done: boolean) => {
        ctx.output('entityRef', plan.entityRef);
        ctx.output('retiredBy', retiredBy);
        ctx.output(
          'deletedResources',
          plan.resources.map(r => ({ id: r.id, name: r.name, type: r.type })),
        );
        ctx.output('repository', plan.repository?.name ?? '');
        ctx.output('plan', done ? describePlan(plan, { done }) : lines);
      };
      if (dryRun) {
        output(false);
        return;
      }

      await store.start({
        entityRef: plan.entityRef,
        taskId: ctx.task.id,
        retiredBy,
        plan,
        now: now(),
      });

      // 1. Resources: request each deletion once, then wait until all are gone.
      for (const r of plan.resources) {
        await ctx.checkpoint({
          key: `paved.retire.delete.${r.id}`,
          fn: async () => {
            try {
              await provisioning.deleteResource(r.id, { credentials });
              ctx.logger.info(`Deletion of ${r.type} '${r.name}' requested`);
            } catch (e) {
              if (!isNotFound(e) && !isConflict(e)) throw e;
              ctx.logger.info(`${r.type} '${r.name}' is already deleted or being deleted`);
            }
            return r.id;
          },
        });
      }
      const deadline = now().getTime() + (ctx.input.timeoutSeconds ?? 600) * 1000;
      const pending = new Set(plan.resources.map(r => r.id));
      while (pending.size) {
        for (const id of [...pending]) {
          const current = await provisioning.getResource(id, { credentials });
          if (!current || current.state === 'deleted') {
            pending.delete(id);
            ctx.logger.info(`${current?.type ?? 'Resource'} '${current?.name ?? id}' is deleted`);
          } else if (current.state === 'failed') {
            throw new Error(
              `Deleting ${current.type} '${current.name}' failed: ${current.reason ?? 'see its events'}; retry the run to resume`,
            );
          }
        }
        if (!pending.size) break;
        if (now().getTime() > deadline) {
          throw new Error(
            `Resources still being deleted after ${ctx.input.timeoutSeconds} s: ${[...pending].join(', ')}; retry the run to resume`,
          );
        }
        await sleep(options.pollIntervalMs ?? 2000, ctx.signal);
      }

      // 2. Repository: archived, never deleted.
      if (plan.repository) {
        const repoName = plan.repository.name;
        await ctx.checkpoint({
          key: `paved.retire.archive.${repoName}`,
          fn: async () => {
            const state = await archiveRepository({
              gitdir: repositories.gitdir(repoName),
              by: retiredBy,
              at: now(),
              reason: `retired ${plan.entityRef} (task ${ctx.task.id})`,
            });
            ctx.logger.info(`Repository ${repoName} archived by ${state.archivedBy}: read-only`);
            return state.archivedAt ?? '';
          },
        });
      }

      // 3. Catalog: the location (so that the entity is not read again), then the entity.
      await ctx.checkpoint({
        key: `paved.retire.unregister.${plan.entityRef}`,
        fn: async () => {
          if (plan.location) {
            const location = await catalog.getLocationByRef(plan.location, { credentials });
            if (location) {
              await catalog.removeLocationById(location.id, { credentials });
              ctx.logger.info(`Removed catalog location ${plan.location}`);
            }
          }
          const entity = await catalog.getEntityByRef(plan.entityRef, { credentials });
          if (entity?.metadata.uid) {
            await catalog.removeEntityByUid(entity.metadata.uid, { credentials });
          }
          ctx.logger.info(`Unregistered ${plan.entityRef}`);
          return plan.entityRef;
        },
      });

      await store.finish({ entityRef: plan.entityRef, taskId: ctx.task.id, now: now() });
      ctx.logger.info(`${plan.entityRef} retired by ${retiredBy}`);
      output(true);
    },
  });
}
