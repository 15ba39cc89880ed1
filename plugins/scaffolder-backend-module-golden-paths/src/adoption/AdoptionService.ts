/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { AdoptionSources } from './PlatformSources';
import type { TemplateRun } from './ScaffolderRunReader';
import type {
  AdoptionFunnel,
  AdoptionReport,
  SelfServiceWeek,
} from './types';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const WEEK_MS = 7 * DAY_MS;

/** Annotations that mark a component as made by a golden path, in order of preference. */
const TEMPLATE_ANNOTATIONS = [
  'paved.dev/template',
  'backstage.io/source-template',
  'paved.dev/golden-path',
];

/** Monday 00:00 UTC of the week holding `ms`. @internal */
export function weekStartUtc(ms: number): number {
  const day = Math.floor(ms / DAY_MS);
  return (day - ((day + 3) % 7)) * DAY_MS;
}

function median(values: number[]): number | undefined {
  if (values.length === 0) {
    return undefined;
  }
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function ratio(a: number, b: number): number | undefined {
  return b > 0 ? Math.round((a / b) * 1000) / 1000 : undefined;
}

function lower(ref: string): string {
  return ref.toLocaleLowerCase('en-US');
}

const groupRefs = new Map<string, string | undefined>();

function groupRef(raw: unknown): string | undefined {
  if (typeof raw !== 'string' || !raw) {
    return undefined;
  }
  if (groupRefs.has(raw)) {
    return groupRefs.get(raw);
  }
  const ref = parseGroupRef(raw);
  if (groupRefs.size < 10_000) {
    groupRefs.set(raw, ref);
  }
  return ref;
}

function parseGroupRef(raw: string): string | undefined {
  try {
    return lower(
      stringifyEntityRef(
        parseEntityRef(raw, { defaultKind: 'group', defaultNamespace: 'default' }),
      ),
    );
  } catch {
    return undefined;
  }
}

function ownerOf(entity: Entity): string | undefined {
  const rel = entity.relations?.find(r => r.type === RELATION_OWNED_BY);
  return rel ? lower(rel.targetRef) : groupRef(entity.spec?.owner);
}

function templateOf(entity: Entity): string | undefined {
  const annotations = entity.metadata.annotations ?? {};
  for (const key of TEMPLATE_ANNOTATIONS) {
    if (annotations[key]) {
      return annotations[key];
    }
  }
  return undefined;
}

/** One run with everything the funnel knows about it. */
interface RunFacts {
  run: TemplateRun;
  team: string;
  completed: boolean;
  inCatalog: boolean;
  deployed: boolean;
  healthy: boolean;
  hoursToFirstDeployment?: number;
}

function funnelOf(facts: RunFacts[]): AdoptionFunnel {
  const started = facts.length;
  const completed = facts.filter(f => f.completed).length;
  const inCatalog = facts.filter(f => f.inCatalog).length;
  const deployed = facts.filter(f => f.deployed).length;
  const healthy = facts.filter(f => f.healthy).length;
  const hours = median(
    facts
      .map(f => f.hoursToFirstDeployment)
      .filter((h): h is number => h !== undefined),
  );
  const conversion: AdoptionFunnel['conversion'] = {};
  const set = (key: keyof AdoptionFunnel['conversion'], v?: number) => {
    if (v !== undefined) {
      conversion[key] = v;
    }
  };
  set('completed', ratio(completed, started));
  set('inCatalog', ratio(inCatalog, completed));
  set('deployed', ratio(deployed, inCatalog));
  set('healthy', ratio(healthy, deployed));
  set('overall', ratio(healthy, started));
  return {
    started,
    completed,
    inCatalog,
    deployed,
    healthy,
    conversion,
    ...(hours !== undefined
      ? { medianHoursToFirstDeployment: Math.round(hours * 100) / 100 }
      : {}),
  };
}

/**
 * Golden-path adoption from the scaffolder's own task records, the catalog and the deployments
 * and status the service status plugin stores: no tracker of its own.
 * @internal
 */
export class AdoptionService {
  readonly #runs: { runsSince(from: number): Promise<TemplateRun[]> };
  readonly #catalog: CatalogService;
  readonly #sources: AdoptionSources;
  readonly #logger: LoggerService;
  readonly #excludeTemplates: Set<string>;
  readonly #clock: () => number;

  static create(options: {
    runs: { runsSince(from: number): Promise<TemplateRun[]> };
    catalog: CatalogService;
    sources: AdoptionSources;
    logger: LoggerService;
    /** Template refs left out of the funnel (day-2 templates that make no component). */
    excludeTemplates?: string[];
    clock?: () => number;
  }): AdoptionService {
    return new AdoptionService(options);
  }

  private constructor(options: Parameters<typeof AdoptionService.create>[0]) {
    this.#runs = options.runs;
    this.#catalog = options.catalog;
    this.#sources = options.sources;
    this.#logger = options.logger;
    this.#excludeTemplates = new Set(
      (options.excludeTemplates ?? []).map(lower),
    );
    this.#clock = options.clock ?? Date.now;
  }

  /**
   * The report over the last `weeks` whole weeks (Monday 00:00 UTC; the current week included).
   * Only components the caller may read count as in the catalog.
   */
  async report(
    options: { weeks: number; template?: string },
    credentials: BackstageCredentials,
  ): Promise<AdoptionReport> {
    const now = this.#clock();
    const from = weekStartUtc(now) - (options.weeks - 1) * WEEK_MS;
    const warnings: string[] = [];
    const guarded = async <T>(
      source: string,
      fallback: T,
      read: () => Promise<T>,
    ): Promise<T> => {
      try {
        return await read();
      } catch (error) {
        const message = `${source}: ${(error as Error).message}`;
        this.#logger.warn(`Adoption report: could not read ${message}`);
        warnings.push(message);
        return fallback;
      }
    };

    const [allRuns, components, states, requests] = await Promise.all([
      this.#runs.runsSince(from),
      this.#catalog.getEntities(
        {
          filter: { kind: 'Component' },
          fields: [
            'kind',
            'metadata.name',
            'metadata.namespace',
            'metadata.annotations',
            'spec.owner',
            'relations',
          ],
        },
        { credentials },
      ),
      guarded('service-status', new Map<string, string>(), () =>
        this.#sources.componentStates(),
      ),
      guarded('provisioning', [] as number[], () =>
        this.#sources.resourceRequests(from),
      ),
    ]);
    const templateFilter = options.template ? lower(options.template) : undefined;
    const runs = allRuns.filter(
      r =>
        r.createdAt <= now &&
        !this.#excludeTemplates.has(r.templateRef) &&
        (!templateFilter || r.templateRef === templateFilter),
    );

    const catalog = new Map<string, Entity>();
    for (const entity of components.items) {
      const ns = entity.metadata.namespace ?? 'default';
      catalog.set(lower(`component:${ns}/${entity.metadata.name}`), entity);
    }
    // The component of a run: its output link, else the component named by its `name` parameter
    // when that component says it was made from the run's template.
    const componentOf = (run: TemplateRun): string | undefined => {
      if (run.outputEntityRef) {
        return run.outputEntityRef;
      }
      const name = run.parameters.name;
      if (typeof name !== 'string') {
        return undefined;
      }
      const ref = `component:default/${lower(name)}`;
      const entity = catalog.get(ref);
      const template = entity && templateOf(entity);
      return template &&
        (lower(template) === run.templateRef ||
          run.templateRef.endsWith(`/${lower(template)}`))
        ? ref
        : undefined;
    };

    const runRefs = new Map<string, string>();
    for (const run of runs) {
      const ref = run.status === 'completed' ? componentOf(run) : undefined;
      if (ref && catalog.has(ref)) {
        runRefs.set(run.id, ref);
      }
    }
    const summaries = await guarded(
      'service-status',
      new Map<string, { deployments: number; firstDeployedAt: number }>(),
      () => this.#sources.deploymentSummaries([...new Set(runRefs.values())]),
    );

    const facts: RunFacts[] = runs.map(run => {
      const ref = runRefs.get(run.id);
      const entity = ref ? catalog.get(ref) : undefined;
      const summary = ref ? summaries.get(ref) : undefined;
      const deployed = Boolean(summary && summary.deployments > 0);
      return {
        run,
        team:
          (entity && ownerOf(entity)) ??
          groupRef(run.parameters.owner) ??
          'unknown',
        completed: run.status === 'completed',
        inCatalog: Boolean(entity),
        deployed,
        healthy: deployed && states.get(ref!) === 'up',
        ...(deployed
          ? {
              hoursToFirstDeployment:
                Math.max(0, summary!.firstDeployedAt - run.createdAt) / HOUR_MS,
            }
          : {}),
      };
    });

    const byKey = (key: (f: RunFacts) => string) => {
      const groups = new Map<string, RunFacts[]>();
      for (const f of facts) {
        const k = key(f);
        const list = groups.get(k);
        if (list) {
          list.push(f);
        } else {
          groups.set(k, [f]);
        }
      }
      return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
    };

    let fromGoldenPath = 0;
    const byTemplate = new Map<string, number>();
    for (const entity of catalog.values()) {
      const template = templateOf(entity);
      if (template) {
        fromGoldenPath += 1;
        byTemplate.set(template, (byTemplate.get(template) ?? 0) + 1);
      }
    }

    const weeks: SelfServiceWeek[] = Array.from(
      { length: options.weeks },
      (_, i) => ({
        weekStart: new Date(from + i * WEEK_MS).toISOString(),
        requests: 0,
      }),
    );
    let total = 0;
    for (const at of requests) {
      const index = Math.floor((at - from) / WEEK_MS);
      if (index >= 0 && index < weeks.length && at <= now) {
        weeks[index].requests += 1;
        total += 1;
      }
    }

    const share = ratio(fromGoldenPath, catalog.size);
    return {
      from: new Date(from).toISOString(),
      to: new Date(now).toISOString(),
      weeks: options.weeks,
      funnel: funnelOf(facts),
      templates: byKey(f => f.run.templateRef).map(([templateRef, list]) => ({
        templateRef,
        funnel: funnelOf(list),
      })),
      teams: byKey(f => f.team).map(([team, list]) => ({
        team,
        funnel: funnelOf(list),
      })),
      goldenPathShare: {
        components: catalog.size,
        fromGoldenPath,
        ...(share !== undefined ? { share } : {}),
        byTemplate: [...byTemplate.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([template, count]) => ({ template, components: count })),
      },
      selfService: { total, weeks },
      warnings: [...new Set(warnings)],
    };
  }
}
