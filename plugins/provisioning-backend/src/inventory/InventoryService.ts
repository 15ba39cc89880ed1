import type {
  AuthService,
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  type InventoryItem,
  provisioningInventoryManagePermission,
} from '@paved/backstage-plugin-provisioning-common';
import type { Request } from 'express';
import type { ResourceStore } from '../database/types';
import { driverResource, scrubSecrets } from '../reconciler/ReconcileStep';
import { withTimeout } from '../reconciler/WorkQueue';
import type { SecretsCipher } from '../secrets/SecretsCipher';
import { ParameterValidator } from '../service/parameters';
import { type ApiResource, type ResourceService, toPublicResource } from '../service/ResourceService';
import type { TransitionRunner } from '../service/TransitionRunner';
import type { TypeRegistry } from '../service/TypeRegistry';
import { listAllResources } from '../recommendations/RecommendationService';

/** The inventory's filters. @internal */
export const INVENTORY_FILTERS = ['drifted', 'failed', 'awaiting-approval', 'orphaned', 'expensive'] as const;

/** One of {@link INVENTORY_FILTERS}. @internal */
export type InventoryFilter = (typeof INVENTORY_FILTERS)[number];

/** One resource of the inventory; see the common package's `InventoryItem`. @internal */
export type { InventoryItem };

/** Config of the inventory (`provisioning.inventory`). @internal */
export interface InventoryConfig {
  /** A resource is `expensive` when its monthly cost (USD/month) is above this. Default 100. */
  expensiveMonthlyUsd: number;
}

/** Items per page of the inventory when the caller names no `limit`. @internal */
export const DEFAULT_INVENTORY_PAGE = 100;

/** The largest page of the inventory a caller may ask for. @internal */
export const MAX_INVENTORY_PAGE = 500;

/** Default of {@link InventoryConfig.expensiveMonthlyUsd} (USD/month). @internal */
export const DEFAULT_EXPENSIVE_MONTHLY_USD = 100;

/** Reads `provisioning.inventory`; throws on invalid values. @internal */
export function readInventoryConfig(config: Config): InventoryConfig {
  const value =
    config.getOptionalNumber('provisioning.inventory.expensiveMonthlyUsd') ?? DEFAULT_EXPENSIVE_MONTHLY_USD;
  if (!(value >= 0)) {
    throw new Error('Invalid config provisioning.inventory.expensiveMonthlyUsd: a number of USD/month >= 0');
  }
  return { expensiveMonthlyUsd: value };
}

/**
 * The fleet inventory: every live resource the caller may read, across all teams, with the filters drifted,
 * failed, awaiting approval, orphaned (its owner group, or the entity it belongs to, is gone from the catalog)
 * and expensive; and the platform team's actions on a drifted resource, repair and accept, both audited and
 * allowed by `provisioning.inventory.manage` only.
 * @internal
 */
export class InventoryService {
  readonly #service: ResourceService;
  readonly #store: ResourceStore;
  readonly #types: TypeRegistry;
  readonly #cipher: SecretsCipher;
  readonly #runner: TransitionRunner;
  readonly #kick: (id: string) => void;
  readonly #permissions: PermissionsService;
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #logger: LoggerService;
  readonly #config: InventoryConfig;
  readonly #operationTimeoutMs: number;

  constructor(options: {
    service: ResourceService;
    store: ResourceStore;
    types: TypeRegistry;
    cipher: SecretsCipher;
    runner: TransitionRunner;
    kick: (id: string) => void;
    permissions: PermissionsService;
    catalog: CatalogService;
    auth: AuthService;
    logger: LoggerService;
    config: InventoryConfig;
    operationTimeoutMs: number;
  }) {
    this.#service = options.service;
    this.#store = options.store;
    this.#types = options.types;
    this.#cipher = options.cipher;
    this.#runner = options.runner;
    this.#kick = options.kick;
    this.#permissions = options.permissions;
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#logger = options.logger;
    this.#config = options.config;
    this.#operationTimeoutMs = options.operationTimeoutMs;
  }

  /** Entity refs (of the given ones) that the catalog does not know; undefined when the catalog cannot answer. */
  async #missingRefs(refs: string[]): Promise<Set<string> | undefined> {
    if (refs.length === 0) return new Set();
    try {
      const credentials = await this.#auth.getOwnServiceCredentials();
      const missing = new Set<string>();
      for (let i = 0; i < refs.length; i += 200) {
        const chunk = refs.slice(i, i + 200);
        const { items } = await this.#catalog.getEntitiesByRefs(
          { entityRefs: chunk, fields: ['kind', 'metadata.name'] },
          { credentials },
        );
        chunk.forEach((ref, j) => {
          if (!items[j]) missing.add(ref);
        });
      }
      return missing;
    } catch (e) {
      this.#logger.warn(`Inventory: the catalog could not be asked for orphans: ${(e as Error).message}`);
      return undefined;
    }
  }

  /**
   * One page of the inventory, optionally only one filter and some owners; `counts` are per filter before
   * filtering, `totalItems` is how many items match the filter. Items are ordered by owner, type and name;
   * `offset` (default 0) and `limit` (default {@link DEFAULT_INVENTORY_PAGE}, at most {@link MAX_INVENTORY_PAGE})
   * select the page. Throws InputError for a limit outside 1 to 500.
   */
  async list(
    query: { filter?: InventoryFilter; owners?: string[]; offset?: number; limit?: number },
    credentials: BackstageCredentials,
  ): Promise<{
    items: InventoryItem[];
    totalItems: number;
    offset: number;
    limit: number;
    counts: Record<'all' | InventoryFilter, number>;
    expensiveMonthlyUsd: number;
    catalogChecked: boolean;
  }> {
    const offset = query.offset ?? 0;
    const limit = query.limit ?? DEFAULT_INVENTORY_PAGE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_INVENTORY_PAGE) {
      throw new InputError(`limit must be an integer from 1 to ${MAX_INVENTORY_PAGE}`);
    }
    if (!Number.isInteger(offset) || offset < 0) {
      throw new InputError('offset must be an integer >= 0');
    }
    const resources = await listAllResources(this.#service, credentials, { owners: query.owners });
    const refs = [
      ...new Set(resources.flatMap(r => [r.owner, ...(r.entityRef ? [r.entityRef] : [])])),
    ];
    const missing = await this.#missingRefs(refs);
    const all: InventoryItem[] = resources.map(r => {
      const resource = r as ApiResource;
      const flags: InventoryFilter[] = [];
      const orphanReasons: string[] = [];
      if (r.drifted) flags.push('drifted');
      if (r.state === 'failed') flags.push('failed');
      if (r.state === 'awaiting-approval' || r.pendingChange) flags.push('awaiting-approval');
      if (missing?.has(r.owner)) orphanReasons.push(`owner ${r.owner} is not in the catalog`);
      if (r.entityRef && missing?.has(r.entityRef)) {
        orphanReasons.push(`${r.entityRef}, which it belongs to, is not in the catalog`);
      }
      if (orphanReasons.length > 0) flags.push('orphaned');
      if (r.monthlyCostUsd > this.#config.expensiveMonthlyUsd) flags.push('expensive');
      const size = r.parameters?.size;
      return {
        resource,
        ...(typeof size === 'string' ? { size } : {}),
        monthlyCostUsd: r.monthlyCostUsd,
        flags,
        ...(orphanReasons.length > 0 ? { orphanReasons } : {}),
      };
    });
    const counts = { all: all.length } as Record<'all' | InventoryFilter, number>;
    for (const f of INVENTORY_FILTERS) counts[f] = all.filter(i => i.flags.includes(f)).length;
    const items = query.filter ? all.filter(i => i.flags.includes(query.filter!)) : all;
    items.sort(
      (a, b) =>
        a.resource.owner.localeCompare(b.resource.owner) ||
        a.resource.type.localeCompare(b.resource.type) ||
        a.resource.name.localeCompare(b.resource.name),
    );
    return {
      items: items.slice(offset, offset + limit),
      totalItems: items.length,
      offset,
      limit,
      counts,
      expensiveMonthlyUsd: this.#config.expensiveMonthlyUsd,
      catalogChecked: missing !== undefined,
    };
  }

  async #authorizeManage(credentials: BackstageCredentials, what: string) {
    const [decision] = await this.#permissions.authorize(
      [{ permission: provisioningInventoryManagePermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Only the platform team may ${what} (permission ${provisioningInventoryManagePermission.name})`);
    }
  }

  #actorOf(credentials: BackstageCredentials): string {
    const p = credentials.principal as { type: string; userEntityRef?: string; subject?: string };
    if (p.type === 'user' && p.userEntityRef) return p.userEntityRef;
    if (p.type === 'service' && p.subject) return p.subject;
    return p.type;
  }

  async #drifted(id: string, action: string) {
    const r = await this.#store.getResource(id);
    if (!r || r.state === 'deleted') throw new NotFoundError(`Resource ${id} not found`);
    if (r.state !== 'ready' || !r.drifted) {
      throw new ConflictError(
        `Resource ${r.type}/${r.name} is ${r.state}${r.drifted ? ', drifted' : ', not drifted'}; only a ready, drifted resource can be ${action}`,
      );
    }
    return r;
  }

  /**
   * Repair: re-applies the declared state through the driver (the reconciler's `repair` operation). 202-style:
   * the resource is `updating` when this returns; it is `ready` and no longer drifted when the driver succeeded.
   */
  async repair(id: string, caller: { credentials: BackstageCredentials; request?: Request }): Promise<ApiResource> {
    await this.#authorizeManage(caller.credentials, 'repair drifted resources');
    const r = await this.#drifted(id, 'repaired');
    const actor = this.#actorOf(caller.credentials);
    const ok = await this.#runner.run({
      resource: r,
      event: 'repair',
      actor,
      message: `Repair requested from the inventory: re-applying the declared state (${r.reason ?? 'drifted'})`,
      eventType: 'repair-requested',
      auditEventId: 'resource-repair',
      request: caller.request,
    });
    if (!ok) throw new ConflictError(`Resource ${r.type}/${r.name} changed meanwhile; reload and try again`);
    this.#logger.info(`Resource ${r.type}/${r.name}: repair requested by ${actor}`, { resourceId: r.id });
    this.#kick(r.id);
    return toPublicResource((await this.#store.getResource(r.id))!);
  }

  /**
   * Accept: observes the resource now and adopts what the driver reports as the new declared state (its
   * `observedParameters`, priced at the type's price). Refused (409) when nothing exists or the driver cannot
   * describe what exists as parameters: such a drift can only be repaired.
   */
  async accept(id: string, caller: { credentials: BackstageCredentials; request?: Request }): Promise<ApiResource> {
    await this.#authorizeManage(caller.credentials, 'accept drift');
    const r = await this.#drifted(id, 'accepted');
    const type = this.#types.get(r.type);
    const driver = type && this.#types.driverFor(type);
    if (!type || !driver) {
      throw new ConflictError(`The type ${r.type} of ${r.name} or its driver is not installed`);
    }
    const secrets = r.encryptedSecrets ? this.#cipher.decrypt(r.encryptedSecrets, r.id) : {};
    const observed = await withTimeout(
      signal =>
        driver.observe(driverResource(r, type), {
          logger: this.#logger.child({ resourceId: r.id }),
          signal,
          secrets,
        }),
      this.#operationTimeoutMs,
      `observe of ${r.type}/${r.name}`,
    );
    const actor = this.#actorOf(caller.credentials);
    let parameters = r.parameters;
    let message: string;
    if (observed.status === 'ready') {
      message = 'Drift accepted from the inventory: the infrastructure matches the declared state again';
    } else if (observed.status === 'drifted' && observed.observedParameters) {
      parameters = observed.observedParameters;
      message = `Drift accepted from the inventory: declared parameters are now ${JSON.stringify(parameters)} (${scrubSecrets(observed.reason, secrets)})`;
    } else if (observed.status === 'missing') {
      throw new ConflictError(
        `Nothing exists to adopt: ${scrubSecrets(observed.reason, secrets)}. Repair it to re-create it, or delete it`,
      );
    } else {
      const reason = scrubSecrets(observed.reason, secrets);
      throw new ConflictError(
        `The driver cannot describe what exists as parameters (${reason}); this drift can only be repaired`,
      );
    }
    const ok = await this.#runner.run({
      resource: r,
      event: 'drift-resolved',
      actor,
      message,
      patch: {
        parameters,
        monthlyCostUsd: ParameterValidator.monthlyCost(type, parameters),
        conditions: r.conditions.filter(c => c.type !== 'Drifted'),
        ...('outputs' in observed && observed.outputs ? { outputs: observed.outputs } : {}),
      },
      guard: { drifted: true },
      eventType: 'drift-accepted',
      auditEventId: 'resource-drift-accept',
      request: caller.request,
    });
    if (!ok) throw new ConflictError(`Resource ${r.type}/${r.name} changed meanwhile; reload and try again`);
    this.#logger.info(`Resource ${r.type}/${r.name}: drift accepted by ${actor}`, { resourceId: r.id });
    return toPublicResource((await this.#store.getResource(r.id))!);
  }
}
