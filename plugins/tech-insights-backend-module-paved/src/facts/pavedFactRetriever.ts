/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type {
  FactRetriever,
  TechInsightFact,
} from '@backstage-community/plugin-tech-insights-node';
import type { PavedSources } from '../sources/PavedSources';

/** Id of the Paved fact retriever (the key under `techInsights.factRetrievers`). @public */
export const PAVED_FACT_RETRIEVER_ID = 'pavedFactRetriever';

const DAY_MS = 24 * 3_600_000;

/**
 * The facts of a Paved scorecard, one set per Component:
 *
 * - `hasOwner`: `spec.owner` is set;
 * - `hasDocs`: the `backstage.io/techdocs-ref` annotation is set;
 * - `hasHealthUrl`: the `paved.dev/health-url` annotation is set;
 * - `uptime7dPercent`: share of health samples up (or degraded) over the last 7 days, 0-100, -1 without samples;
 * - `deploymentsReported`: how many deployments CI reported (service status);
 * - `onLatestTemplateVersion`: false only for a component made from a versioned golden path that is behind its
 *   template's current version (true when not made from a versioned template: nothing to upgrade);
 * - `noDriftedOrFailedResources`: none of the resources provisioned for it is `failed` or drifted;
 * - `oldestOpenIncidentDays`: age in days of its oldest open incident, 0 without one;
 *
 * A source that cannot be read leaves its facts out for every entity (and logs why), so that its
 * checks show as failing rather than as a stale pass.
 * @public
 */
export function createPavedFactRetriever(options: {
  catalog: CatalogService;
  sources: PavedSources;
  logger?: LoggerService;
  clock?: () => number;
  /** Most uptime look-ups at once (default 4). */
  concurrency?: number;
}): FactRetriever {
  const clock = options.clock ?? Date.now;
  const concurrency = options.concurrency ?? 4;
  return {
    id: PAVED_FACT_RETRIEVER_ID,
    version: '0.1.0',
    title: 'Paved',
    description:
      'Ownership, docs, health URL, uptime, deployments, golden-path version, resources and incidents of components',
    entityFilter: [{ kind: 'component' }],
    schema: {
      hasOwner: { type: 'boolean', description: 'spec.owner is set' },
      hasDocs: {
        type: 'boolean',
        description: 'The backstage.io/techdocs-ref annotation is set',
      },
      hasHealthUrl: {
        type: 'boolean',
        description: 'The paved.dev/health-url annotation is set',
      },
      uptime7dPercent: {
        type: 'float',
        description:
          'Health samples up or degraded over the last 7 days, 0-100 (-1: no samples)',
      },
      deploymentsReported: {
        type: 'integer',
        description: 'Deployments reported to the service status plugin',
      },
      onLatestTemplateVersion: {
        type: 'boolean',
        description:
          "Not behind its golden path template's current version (true when not made from a versioned template)",
      },
      noDriftedOrFailedResources: {
        type: 'boolean',
        description: 'None of its provisioned resources is failed or drifted',
      },
      oldestOpenIncidentDays: {
        type: 'float',
        description: 'Age in days of its oldest open incident (0: none)',
      },
    },
    async handler(ctx) {
      const logger = options.logger ?? ctx.logger;
      const credentials = await ctx.auth.getOwnServiceCredentials();
      const { items } = await options.catalog.getEntities(
        { filter: { kind: 'Component' } },
        { credentials },
      );
      const components = items as Entity[];
      const refs = components.map(e => stringifyEntityRef(e).toLocaleLowerCase('en-US'));

      async function guarded<T>(source: string, read: () => Promise<T>) {
        try {
          return await read();
        } catch (error) {
          logger.warn(`Paved facts: could not read ${source}: ${(error as Error).message}`);
          return undefined;
        }
      }

      const [deployments, versions, resources, incidents] = await Promise.all([
        guarded('deployments', () => options.sources.deploymentCounts(refs)),
        guarded('template versions', () => options.sources.templateVersions()),
        guarded('resources', () => options.sources.resources()),
        guarded('incidents', () => options.sources.openIncidents()),
      ]);

      const uptime = new Map<string, number | undefined>();
      const uptimeErrors: string[] = [];
      const readUptime = async (ref: string) => {
        try {
          uptime.set(ref, await options.sources.uptime7d(ref));
        } catch (error) {
          uptimeErrors.push((error as Error).message);
        }
      };
      for (let i = 0; i < refs.length; i += concurrency) {
        await Promise.all(refs.slice(i, i + concurrency).map(readUptime));
      }
      if (uptimeErrors.length > 0) {
        logger.warn(
          `Paved facts: could not read uptime of ${uptimeErrors.length} components: ${uptimeErrors[0]}`,
        );
      }

      const badResources = new Set<string>();
      for (const r of resources ?? []) {
        if (r.entityRef && (r.state === 'failed' || r.drifted)) {
          badResources.add(r.entityRef.toLocaleLowerCase('en-US'));
        }
      }
      const oldestIncident = new Map<string, number>();
      for (const i of incidents ?? []) {
        const ref = i.entityRef.toLocaleLowerCase('en-US');
        oldestIncident.set(ref, Math.min(oldestIncident.get(ref) ?? Infinity, i.createdAt));
      }
      const now = clock();

      return components.map((entity, index): TechInsightFact => {
        const ref = refs[index];
        const annotations = entity.metadata.annotations ?? {};
        const facts: TechInsightFact['facts'] = {
          hasOwner: typeof entity.spec?.owner === 'string' && entity.spec.owner !== '',
          hasDocs: Boolean(annotations['backstage.io/techdocs-ref']),
          hasHealthUrl: Boolean(annotations['paved.dev/health-url']),
        };
        if (uptime.has(ref)) {
          const ratio = uptime.get(ref);
          facts.uptime7dPercent = ratio === undefined ? -1 : Math.round(ratio * 10000) / 100;
        }
        if (deployments) facts.deploymentsReported = deployments.get(ref) ?? 0;
        if (versions) facts.onLatestTemplateVersion = !versions.get(ref)?.behind;
        if (resources) facts.noDriftedOrFailedResources = !badResources.has(ref);
        if (incidents) {
          const since = oldestIncident.get(ref);
          facts.oldestOpenIncidentDays =
            since === undefined ? 0 : Math.round(((now - since) / DAY_MS) * 100) / 100;
        }
        return {
          entity: {
            namespace: entity.metadata.namespace ?? 'default',
            kind: entity.kind,
            name: entity.metadata.name,
          },
          facts,
        };
      });
    },
  };
}
