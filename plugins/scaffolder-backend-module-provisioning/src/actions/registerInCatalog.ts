/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { stringifyEntityRef } from '@backstage/catalog-model';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  CatalogService,
  locationSpecToLocationEntity,
} from '@backstage/plugin-catalog-node';
import { isConflict } from '../service/resources';
import { examples } from './registerInCatalog.examples';

function sleep(ms: number) {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/**
 * Creates the `paved:catalog:register` action: registers a catalog descriptor URL as a `url`
 * location, triggers an immediate refresh, and waits until the entity is in the catalog.
 *
 * @remarks
 * Like the built-in `catalog:register`, but it does not leave the new entity to the catalog's
 * polling loop: it refreshes the new location entity right away and waits (default up to 10 s) until
 * the component can be read back, so it is in the catalog when the run ends. An already registered
 * location (a retried or recovered run) is not an error.
 *
 * @internal
 */
export function createPavedCatalogRegisterAction(options: {
  catalog: CatalogService;
  /** Poll interval while waiting, in ms. Default 250. */
  pollIntervalMs?: number;
}) {
  const { catalog } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 250;
  return createTemplateAction({
    id: 'paved:catalog:register',
    description:
      'Registers a catalog-info.yaml URL in the catalog, triggers an immediate refresh and waits until the entity is in the catalog.',
    examples,
    schema: {
      input: z =>
        z.object({
          catalogInfoUrl: z
            .string()
            .url()
            .describe(
              'URL of the catalog descriptor, e.g. the `catalogInfoUrl` output of `publish:paved-git`',
            ),
          waitTimeoutSeconds: z
            .number()
            .min(0)
            .max(300)
            .default(10)
            .describe(
              'How long to wait for the entity to appear in the catalog, in seconds (default 10; 0 does not wait)',
            ),
        }),
      output: z =>
        z.object({
          entityRef: z
            .string()
            .describe(
              'Entity ref of the registered entity (the Component when the file has several)',
            ),
          catalogInfoUrl: z.string().describe('The registered URL'),
        }),
    },
    async handler(ctx) {
      const { catalogInfoUrl } = ctx.input;
      const waitMs = (ctx.input.waitTimeoutSeconds ?? 10) * 1000;
      const credentials = await ctx.getInitiatorCredentials();
      const location = { type: 'url', target: catalogInfoUrl };

      // Read the descriptor through the catalog (and its URL reader) first, to know what it holds.
      const preview = await catalog.addLocation(
        { ...location, dryRun: true },
        { credentials },
      );
      const entities = preview.entities.filter(e => e.kind !== 'Location');
      const entity =
        entities.find(e => e.kind === 'Component') ?? entities[0];
      if (!entity) {
        throw new Error(`${catalogInfoUrl} holds no entities`);
      }
      const entityRef = stringifyEntityRef(entity);

      try {
        await catalog.addLocation(location, { credentials });
        ctx.logger.info(`Registered ${catalogInfoUrl} in the catalog`);
      } catch (e) {
        if (!isConflict(e)) {
          throw e;
        }
        ctx.logger.info(`${catalogInfoUrl} was already registered`);
      }
      ctx.output('entityRef', entityRef);
      ctx.output('catalogInfoUrl', catalogInfoUrl);

      const locationEntityRef = stringifyEntityRef(
        locationSpecToLocationEntity({ location }),
      );
      const deadline = Date.now() + waitMs;
      let refreshed = false;
      for (;;) {
        if (!refreshed) {
          try {
            await catalog.refreshEntity(locationEntityRef, { credentials });
            refreshed = true;
          } catch {
            // The location entity is not there yet; try again on the next round.
          }
        }
        if (await catalog.getEntityByRef(entityRef, { credentials })) {
          ctx.logger.info(`${entityRef} is in the catalog`);
          return;
        }
        if (Date.now() >= deadline || ctx.signal?.aborted) {
          ctx.logger.warn(
            `${entityRef} is not in the catalog yet after ${
              waitMs / 1000
            } s; the catalog will add it on its next processing round`,
          );
          return;
        }
        await sleep(pollIntervalMs);
      }
    },
  });
}
