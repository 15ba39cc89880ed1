/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { ScaffolderProvisioning } from '../service/provisioningClient';
import { TaskResourceStore } from '../database/TaskResourceStore';
import { releaseTaskResources } from '../service/releaseTaskResources';
import { examples } from './releaseResources.examples';

/**
 * Creates the `provisioning:resource:release` action: deletes the resources that this run created
 * with `provisioning:resource:create`, except those created with `keepOnFailure: true`.
 *
 * @remarks
 * Meant for a last template step with `if: ${{ failure() }}`, which the scaffolder runs only when an
 * earlier step failed. Every released or kept resource is written to the task log. Safe to run twice.
 *
 * @internal
 */
export function createProvisioningResourceReleaseAction(options: {
  provisioning: ScaffolderProvisioning;
  store: TaskResourceStore;
}) {
  const { provisioning, store } = options;
  return createTemplateAction({
    id: 'provisioning:resource:release',
    description:
      'Releases (deletes) the resources this run created with provisioning:resource:create, except those marked keepOnFailure. Use it in a last step with `if: ${{ failure() }}`.',
    examples,
    supportsDryRun: true,
    schema: {
      input: z =>
        z.object({
          keep: z
            .boolean()
            .default(false)
            .describe(
              'Keep every resource of the run (the template decides to keep them); only logs what is kept',
            ),
        }),
      output: z =>
        z.object({
          released: z
            .array(z.string())
            .describe('Resources deleted, as `<type>/<name>`'),
          kept: z
            .array(z.string())
            .describe('Resources kept, as `<type>/<name>`'),
        }),
    },
    async handler(ctx) {
      if (ctx.isDryRun) {
        ctx.logger.info(
          'Would release the resources this run created (dry run: nothing was created)',
        );
        ctx.output('released', []);
        ctx.output('kept', []);
        return;
      }
      const result = await releaseTaskResources({
        taskId: ctx.task.id,
        keepAll: ctx.input.keep ?? false,
        provisioning,
        store,
        credentials: await ctx.getInitiatorCredentials(),
        logger: ctx.logger,
      });
      ctx.output('released', result.released);
      ctx.output('kept', result.kept);
    },
  });
}
