import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { AccrualResource, Attribution, KnexCostStore } from './KnexCostStore';
import { demoAnchor, demoHistory } from './demoHistory';
import { billedSegments, dayOf, dayStart, ledgerDays } from './ledger';

const DAY_MS = 86_400_000;

/** Bookkeeping key: the last UTC day accrued (`YYYY-MM-DD`). @internal */
export const ACCRUED_THROUGH = 'accrued_through_day';
/** Bookkeeping key: epoch ms of the last accrual. @internal */
export const ACCRUED_AT = 'accrued_at';
/** Bookkeeping key: the month the demo history is anchored on. @internal */
export const DEMO_ANCHOR = 'demo_anchor';

/** Result of one accrual run. @internal */
export interface AccrualResult {
  /** Resources recomputed. */
  resources: number;
  /** Ledger rows written. */
  rows: number;
  /** First day recomputed (`YYYY-MM-DD`), or undefined for a full backfill. */
  fromDay?: string;
}

function relationTarget(entity: Entity | undefined, kind: string): string | null {
  const rel = entity?.relations?.find(
    r => r.type === 'partOf' && parseEntityRef(r.targetRef).kind.toLocaleLowerCase('en-US') === kind,
  );
  if (rel) return rel.targetRef;
  const spec = (entity?.spec ?? {}) as Record<string, unknown>;
  const value = spec[kind];
  if (typeof value === 'string' && value) {
    try {
      return stringifyEntityRef(parseEntityRef(value, { defaultKind: kind, defaultNamespace: entity?.metadata.namespace ?? 'default' }));
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * Keeps the cost ledger current: records price points, then recomputes the daily rows of every resource
 * whose cost may have changed since the last run (from the day before it, so a run is idempotent and a
 * missed day is caught up), attributing them through the catalog: owner group (the resource's owner),
 * component (the entity that requested it), system (the resource's, else the component's `partOf`) and domain
 * (the system's `partOf`). The first run, with no bookkeeping, is the backfill from the whole event history;
 * by construction a backfill and day-by-day accrual give the same rows.
 * @internal
 */
export class CostAccrual {
  readonly #store: KnexCostStore;
  readonly #catalog?: CatalogService;
  readonly #auth?: AuthService;
  readonly #logger?: LoggerService;
  readonly #now: () => number;
  readonly #demo: boolean;

  constructor(options: {
    store: KnexCostStore;
    /** Seed and keep current the demo history (`provisioning.demo.seedCostHistory`). Default false. */
    demo?: boolean;
    catalog?: CatalogService;
    auth?: AuthService;
    logger?: LoggerService;
    /** Clock, epoch ms; default `Date.now`. */
    now?: () => number;
  }) {
    this.#store = options.store;
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
    this.#demo = options.demo ?? false;
  }

  /** DEMO DATA: writes the demo history's days (all of them the first time, else from `fromDay`). */
  async #seedDemo(now: number, fromDay: string | undefined): Promise<number> {
    let anchor = await this.#store.getState(DEMO_ANCHOR);
    const first = !anchor || !(await this.#store.hasDemo());
    if (!anchor) {
      anchor = demoAnchor(now);
      await this.#store.setState(DEMO_ANCHOR, anchor);
    }
    const since = first ? undefined : fromDay;
    const entries = demoHistory(anchor, now).map(d => ({
      resourceId: d.resourceId,
      attribution: d.attribution,
      days: ledgerDays(d.segments, since),
      demo: true,
    }));
    return this.#store.writeDays(entries, since);
  }

  /** Records the price of a resource that just became ready (from the `resource-changed` event). */
  async capturePrice(resourceId: string): Promise<void> {
    await this.#store.capturePrices([resourceId]);
  }

  async #entities(refs: string[]): Promise<Map<string, Entity>> {
    const out = new Map<string, Entity>();
    if (!this.#catalog || !this.#auth || refs.length === 0) return out;
    try {
      const credentials = await this.#auth.getOwnServiceCredentials();
      for (let i = 0; i < refs.length; i += 200) {
        const part = refs.slice(i, i + 200);
        const { items } = await this.#catalog.getEntitiesByRefs({ entityRefs: part }, { credentials });
        items.forEach((e, j) => {
          if (e) out.set(part[j], e);
        });
      }
    } catch (e) {
      this.#logger?.warn(`Cost attribution: catalog lookup failed, attributing to owners only: ${e}`);
    }
    return out;
  }

  /** Attribution of resources through the catalog (one batched lookup per level). */
  async attribute(resources: AccrualResource[]): Promise<Map<string, Attribution>> {
    const components = [...new Set(resources.map(r => r.entityRef).filter((r): r is string => Boolean(r)))];
    const componentEntities = await this.#entities(components);
    const systemOf = (r: AccrualResource) =>
      r.system ?? (r.entityRef ? relationTarget(componentEntities.get(r.entityRef), 'system') : null);
    const systems = [...new Set(resources.map(systemOf).filter((s): s is string => Boolean(s)))];
    const systemEntities = await this.#entities(systems);
    const out = new Map<string, Attribution>();
    for (const r of resources) {
      const system = systemOf(r);
      out.set(r.id, {
        resourceName: r.name,
        resourceType: r.type,
        owner: r.owner,
        component: r.entityRef,
        system,
        domain: system ? relationTarget(systemEntities.get(system), 'domain') : null,
      });
    }
    return out;
  }

  /**
   * One accrual run. `full` recomputes everything from the event history (the backfill); otherwise from the day
   * before the last accrued day (the whole history when there is none yet).
   */
  async accrue(options: { full?: boolean } = {}): Promise<AccrualResult> {
    const now = this.#now();
    const through = options.full ? undefined : await this.#store.getState(ACCRUED_THROUGH);
    const fromDay = through ? dayOf(dayStart(through) - DAY_MS) : undefined;
    // catch up on price points the resource-changed events missed (e.g. published while this replica was down)
    await this.#store.capturePrices(undefined, fromDay ? dayStart(fromDay) : undefined);
    const ids = await this.#store.accrualCandidates(fromDay ? dayStart(fromDay) : undefined);
    let rows = 0;
    for (let i = 0; i < ids.length; i += 1000) {
      const history = await this.#store.loadHistory(ids.slice(i, i + 1000));
      const attribution = await this.attribute([...history.values()].map(h => h.resource));
      const entries = [...history.values()].map(h => ({
        resourceId: h.resource.id,
        attribution: attribution.get(h.resource.id)!,
        days: ledgerDays(
          billedSegments({
            events: h.events,
            prices: h.prices,
            fallbackMonthlyCostUsd: h.resource.monthlyCostUsd,
            fallbackSize: h.resource.size,
            until: now,
          }),
          fromDay,
        ),
      }));
      rows += await this.#store.writeDays(entries, fromDay);
    }
    if (this.#demo) {
      rows += await this.#seedDemo(now, fromDay);
    }
    await this.#store.rebuildRollup(fromDay?.slice(0, 7));
    await this.#store.setState(ACCRUED_THROUGH, dayOf(now));
    await this.#store.setState(ACCRUED_AT, String(now));
    this.#logger?.debug?.(`Cost accrual: ${ids.length} resource(s), ${rows} day row(s) from ${fromDay ?? 'the beginning'}`);
    return { resources: ids.length, rows, ...(fromDay ? { fromDay } : {}) };
  }
}
