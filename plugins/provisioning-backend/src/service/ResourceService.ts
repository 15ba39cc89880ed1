import {
  BackstageCredentials,
  LoggerService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  BasicPermission,
  PolicyDecision,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer, PermissionRuleset } from '@backstage/plugin-permission-node';
import {
  Deviation,
  PendingChange,
  provisioningResourceApprovePermission,
  provisioningResourceCreatePermission,
  provisioningResourceCredentialsReadPermission,
  provisioningResourceDeletePermission,
  provisioningResourceReadPermission,
  provisioningResourceUpdatePermission,
  Resource,
  RESOURCE_NAME_PATTERN,
  RESOURCE_STATES,
  ResourceCredentials,
  ResourceEvent,
  type ResourceState,
  ResourceType,
} from '@paved/backstage-plugin-provisioning-common';
import type { Request } from 'express';
import { createHash, randomUUID } from 'node:crypto';
import type {
  ResourceFilter,
  ResourcePatch,
  ResourceStore,
  StoredResource,
} from '../database/types';
import {
  can,
  LifecycleEvent,
  patchOf,
  RETRY_EVENT,
  transition,
} from '../lifecycle';
import type { ProvisioningResourceQuery } from '../permissions/rules';
import type { Reconciler } from '../reconciler/Reconciler';
import type { SecretsCipher } from '../secrets/SecretsCipher';
import type { ChangeNotifier } from './ChangeNotifier';
import { assertValidName, mergeNaming } from './naming';
import { ParameterValidator } from './parameters';
import type { TransitionRunner } from './TransitionRunner';
import { parseDurationMs } from '../config';
import { formatDuration, ttlFields } from '../ttl/durations';
import type { OfferedType, TypeRegistry } from './TypeRegistry';
import { createVersionOf, currentVersion } from '../versions/semver';
import {
  assertJustified,
  compareDeviations,
  describeDeviations,
  findDeviations,
} from '../escapeHatches/deviations';

/** A resource as the API answers it (`billable` always set). @internal */
export type ApiResource = Resource & { billable: boolean };

/** Strips the reconciler's bookkeeping; the cost is 0 while not billable. @internal */
export function toPublicResource(r: StoredResource): ApiResource {
  const {
    pendingOperation: _op,
    encryptedSecrets: _s,
    nextAttemptAt: _n,
    attempts: _a,
    claimedBy: _c,
    claimExpiresAt: _e,
    workingSince: _w,
    ttlMs: _t,
    ttlRemindersSent: _rs,
    ...rest
  } = r;
  return { ...rest, monthlyCostUsd: r.billable ? r.monthlyCostUsd : 0 };
}

/** The parameters that differ between two parameter objects, by key. @internal */
export function diffParameters(
  from: Record<string, unknown>,
  to: Record<string, unknown>,
): Array<{ key: string; from?: unknown; to?: unknown }> {
  const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
  return keys
    .filter(k => JSON.stringify(from[k]) !== JSON.stringify(to[k]))
    .map(k => ({
      key: k,
      ...(from[k] !== undefined ? { from: from[k] } : {}),
      ...(to[k] !== undefined ? { to: to[k] } : {}),
    }));
}

/** JSON with object keys sorted, so that equal bodies hash alike. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map(k => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

function requestHash(body: unknown): string {
  return createHash('sha256').update(JSON.stringify(canonical(body))).digest('hex');
}

function normalizeRef(
  value: string,
  field: string,
  defaultKind?: string,
): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(value, { defaultKind, defaultNamespace: 'default' }),
    );
  } catch {
    throw new InputError(`${field} '${value}' is not a valid entity ref`);
  }
}

type Caller = { credentials: BackstageCredentials; request?: Request };

/** The owner's budget against its run rate with a change; see `CostService.budgetCheck`. @internal */
export type BudgetCheckFn = (options: {
  owner: string;
  monthlyCostUsd: number;
  resourceId?: string;
}) => Promise<
  | { owner: string; budgetUsd: number; currentUsd: number; projectedUsd: number; exceeded: boolean }
  | undefined
>;

const overBudgetReason = (b: { owner: string; budgetUsd: number; projectedUsd: number }, approvers: string) =>
  `it would take ${b.owner} to $${b.projectedUsd.toFixed(2)}/month, over its budget of $${b.budgetUsd.toFixed(2)}/month; needs approval by ${approvers}`;

/**
 * The provisioning model: validation, policy and permission checks, and lifecycle transitions (through the
 * lifecycle table, see `../lifecycle`) that the reconciler then carries out. Used by the router.
 * @internal
 */
export class ResourceService {
  readonly #store: ResourceStore;
  readonly #types: TypeRegistry;
  readonly #reconciler: Pick<Reconciler, 'kick'>;
  readonly #cipher: SecretsCipher;
  readonly #notifier: ChangeNotifier;
  readonly #runner: TransitionRunner;
  readonly #permissions: PermissionsService;
  readonly #catalog: CatalogService;
  readonly #logger: LoggerService;
  readonly #approvers: string;
  readonly #validator = new ParameterValidator();
  readonly #remindersMs: readonly number[];
  readonly #now: () => number;
  readonly #budgetCheck?: BudgetCheckFn;
  readonly #authorizeConditions: (decision: PolicyDecision, resource: Resource | undefined) => boolean;

  constructor(options: {
    store: ResourceStore;
    types: TypeRegistry;
    reconciler: Pick<Reconciler, 'kick'>;
    cipher: SecretsCipher;
    notifier: ChangeNotifier;
    runner: TransitionRunner;
    permissions: PermissionsService;
    /** Unused since the policy decides ownership; kept for callers. */
    userInfo?: UserInfoService;
    catalog: CatalogService;
    logger: LoggerService;
    approvers: string;
    ruleset: PermissionRuleset<Resource, ProvisioningResourceQuery>;
    /** TTL reminders in ms before expiry, longest first (to skip those already past). Default none. */
    ttlRemindersMs?: readonly number[];
    /** Clock in epoch ms (TTL expiry); default `Date.now`. */
    now?: () => number;
    /** Budget check of a request or resize (`provisioning.budgets`); absent: no budgets. */
    budgetCheck?: BudgetCheckFn;
  }) {
    this.#budgetCheck = options.budgetCheck;
    this.#remindersMs = options.ttlRemindersMs ?? [];
    this.#now = options.now ?? Date.now;
    this.#store = options.store;
    this.#types = options.types;
    this.#reconciler = options.reconciler;
    this.#cipher = options.cipher;
    this.#notifier = options.notifier;
    this.#runner = options.runner;
    this.#permissions = options.permissions;
    this.#catalog = options.catalog;
    this.#logger = options.logger;
    this.#approvers = options.approvers;
    this.#authorizeConditions = createConditionAuthorizer(options.ruleset);
  }

  listTypes(): OfferedType[] {
    return this.#types.list();
  }

  /**
   * The offered types with their current version and how many live resources were last applied at another
   * version (`resourcesBehind`).
   */
  async listTypesWithVersions(): Promise<OfferedType[]> {
    const counts = await this.#store.countAppliedVersions();
    return this.#types.list().map(t => {
      const version = currentVersion(t);
      const resourcesBehind = counts
        .filter(c => c.type === t.id && c.version !== version)
        .reduce((n, c) => n + c.count, 0);
      return {
        ...t,
        version,
        createVersion: createVersionOf(t),
        versions: t.versions?.length ? t.versions : [{ version, settings: {} }],
        resourcesBehind,
      };
    });
  }

  #type(id: string): ResourceType {
    const type = this.#types.get(id);
    if (!type) {
      const available = this.#types.list().map(t => t.id);
      throw new InputError(
        `Unknown resource type '${id}'; available: ${available.join(', ') || 'none'}`,
      );
    }
    return type;
  }

  #assertName(name: string, type: ResourceType) {
    const driver = this.#types.driverFor(type);
    assertValidName(name, type.naming ?? mergeNaming(driver?.naming), driver?.naming);
  }

  /**
   * The time to live of a request or extension in ms: `ttl` (ISO 8601 or `2h`-style) checked against the type's
   * maximum; the type's default when absent; undefined when the resource does not expire.
   */
  #ttlMs(type: ResourceType, ttl: string | undefined, extending = false): number | undefined {
    const rules = type.ttl;
    if (ttl === undefined) {
      if (!rules || extending) return undefined;
      if (rules.defaultMs !== undefined) return rules.defaultMs;
      if (rules.required) {
        throw new InputError(
          `Resources of type ${type.id} need a time to live (ttl, e.g. '2h'; at most ${formatDuration(rules.maxMs)})`,
        );
      }
      return undefined;
    }
    if (!rules) {
      throw new InputError(`Resources of type ${type.id} do not take a time to live (ttl)`);
    }
    let ms: number;
    try {
      ms = parseDurationMs(ttl);
    } catch {
      throw new InputError(
        `Invalid ttl '${String(ttl).slice(0, 40)}': use an ISO 8601 duration (PT2H) or e.g. '2h', '3 days'`,
      );
    }
    if (!(ms > 0) || !Number.isFinite(ms)) {
      throw new InputError(`Invalid ttl '${ttl}': must be a positive duration`);
    }
    if (ms > rules.maxMs) {
      throw new InputError(
        `ttl ${formatDuration(ms)} is longer than the maximum of ${formatDuration(rules.maxMs)} for ${type.id}${
          extending ? ' (counted from now)' : ''
        }`,
      );
    }
    return ms;
  }

  #ttlFields(ttlMs: number, now: number) {
    return ttlFields(ttlMs, now, this.#remindersMs);
  }

  /**
   * The price and approval of a request before it is made. Advanced values outside the golden path are listed in
   * `deviations` and make it need approval (reason `needs approval: advanced parameter connectionLimit`); a
   * missing justification is not an error here (the form asks for it), a given one that is too short is a 400.
   * With an `owner`, the owner's budget check is part of the answer (a change over budget needs approval).
   */
  async estimate(request: {
    type: string;
    name?: string;
    parameters?: Record<string, unknown>;
    justification?: string;
    /** With it, the owner's budget check is part of the answer. */
    owner?: string;
    /** A resize of this resource (its current price is replaced). */
    resourceId?: string;
  }): Promise<
    ReturnType<ParameterValidator['estimate']> & {
      deviations?: Array<Pick<Deviation, 'parameter' | 'value' | 'goldenPathDefault'>>;
      justificationRequired?: boolean;
    }
  > {
    const type = this.#type(request.type);
    if (request.name !== undefined) {
      this.#assertName(request.name, type);
    }
    const estimate = this.#validator.estimate(type, request.parameters, this.#approvers);
    const withDeviations = this.#withDeviations(type, request, estimate);
    if (!request.owner || !this.#budgetCheck) return withDeviations;
    const owner = normalizeRef(request.owner, 'owner', 'group');
    const budget = await this.#budgetCheck({
      owner,
      monthlyCostUsd: withDeviations.monthlyCostUsd,
      ...(request.resourceId ? { resourceId: request.resourceId } : {}),
    });
    if (!budget) return withDeviations;
    if (!budget.exceeded || withDeviations.approval.required) return { ...withDeviations, budget };
    return {
      ...withDeviations,
      budget,
      requiresApproval: true,
      approvers: this.#approvers,
      approval: { required: true, reason: `Over budget: ${overBudgetReason(budget, this.#approvers)}` },
    };
  }

  /** The estimate with the advanced values outside the golden path (escape hatches) and their approval. */
  #withDeviations(
    type: OfferedType,
    request: { parameters?: Record<string, unknown>; justification?: string },
    estimate: ReturnType<ParameterValidator['estimate']>,
  ): ReturnType<ParameterValidator['estimate']> & {
    deviations?: Array<Pick<Deviation, 'parameter' | 'value' | 'goldenPathDefault'>>;
    justificationRequired?: boolean;
  } {
    if (!type.advancedParameters?.length) return estimate;
    const deviations = findDeviations(type, this.#validator.validate(type, request.parameters));
    if (deviations.length === 0) {
      return { ...estimate, deviations: [], justificationRequired: false };
    }
    if (request.justification !== undefined && request.justification.trim() !== '') {
      assertJustified(deviations, request.justification);
    }
    const reasons = [
      ...(estimate.approval.reason ? [estimate.approval.reason] : []),
      `needs approval: ${describeDeviations(deviations)} (outside the golden path; with a written justification) by ${this.#approvers}`,
    ];
    return {
      ...estimate,
      requiresApproval: true,
      approvers: this.#approvers,
      approval: { required: true, reason: reasons.join('; ') },
      deviations,
      justificationRequired: true,
    };
  }

  /**
   * Why a request or update needs approval: its size, advanced values outside the golden path, and the owner's
   * budget; '' when it does not.
   */
  #approvalReason(options: {
    size: unknown;
    sizeNeedsApproval: boolean;
    deviations: Array<Pick<Deviation, 'parameter' | 'value'>>;
    overBudget?: { owner: string; budgetUsd: number; projectedUsd: number; exceeded: boolean };
  }): string {
    const waits = [
      ...(options.sizeNeedsApproval ? [`size '${options.size}'`] : []),
      ...(options.deviations.length ? [`${describeDeviations(options.deviations)} (outside the golden path)`] : []),
    ].join(' and ');
    return [
      ...(waits ? [`${waits} needs approval by ${this.#approvers}`] : []),
      ...(options.overBudget?.exceeded
        ? [`over budget: ${overBudgetReason(options.overBudget, this.#approvers)}`]
        : []),
    ].join('; ');
  }

  #actor(credentials: BackstageCredentials): string {
    const p = credentials.principal as { type: string; userEntityRef?: string; subject?: string };
    if (p.type === 'user' && p.userEntityRef) return p.userEntityRef;
    if (p.type === 'service' && p.subject) return p.subject;
    return p.type;
  }

  async #decision(
    permission: BasicPermission | ResourcePermission,
    credentials: BackstageCredentials,
  ): Promise<PolicyDecision> {
    if (permission.type === 'resource') {
      const [decision] = await this.#permissions.authorizeConditional(
        [{ permission }],
        { credentials },
      );
      return decision;
    }
    const [decision] = await this.#permissions.authorize([{ permission }], { credentials });
    return decision;
  }

  async #allowed(
    permission: ResourcePermission,
    resource: StoredResource,
    credentials: BackstageCredentials,
  ): Promise<boolean> {
    const decision = await this.#decision(permission, credentials);
    return this.#authorizeConditions(decision, toPublicResource(resource));
  }

  async #authorize(
    permission: ResourcePermission,
    resource: StoredResource,
    credentials: BackstageCredentials,
    what: string,
  ) {
    if (!(await this.#allowed(permission, resource, credentials))) {
      let who = `members of ${resource.owner} (or ${this.#approvers})`;
      if (permission.name === provisioningResourceApprovePermission.name) {
        who = `members of ${this.#approvers}`;
      } else if (permission.name === provisioningResourceCredentialsReadPermission.name) {
        who = `members of ${resource.owner}`;
      }
      throw new NotAllowedError(
        `You may not ${what} ${resource.type}/${resource.name}: only ${who} may`,
      );
    }
  }

  async #load(id: string, credentials: BackstageCredentials): Promise<StoredResource> {
    const r = await this.#store.getResource(id);
    if (!r) {
      throw new NotFoundError(`Resource ${id} not found`);
    }
    const decision = await this.#decision(provisioningResourceReadPermission, credentials);
    if (!this.#authorizeConditions(decision, toPublicResource(r))) {
      throw new NotFoundError(`Resource ${id} not found`);
    }
    return r;
  }

  async list(
    query: ResourceFilter & { cursor?: string; limit?: number },
    credentials: BackstageCredentials,
  ) {
    const decision = await this.#decision(provisioningResourceReadPermission, credentials);
    if (decision.result === AuthorizeResult.DENY) {
      return { items: [], totals: [] };
    }
    const limit = query.limit ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
      throw new InputError('limit must be between 1 and 500');
    }
    const { cursor, limit: _l, ...filter } = query;
    const page = await this.#store.listResources({ filter, cursor, limit });
    const items = page.items.map(toPublicResource);
    return {
      items:
        decision.result === AuthorizeResult.CONDITIONAL
          ? items.filter(r => this.#authorizeConditions(decision, r))
          : items,
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      totals: page.totals,
    };
  }

  /**
   * Everything waiting for approval: creates awaiting approval and updates with a pending change, oldest
   * first. Only for callers allowed to approve (403 otherwise).
   */
  async listApprovals(credentials: BackstageCredentials): Promise<{ items: ApiResource[] }> {
    const decision = await this.#decision(provisioningResourceApprovePermission, credentials);
    if (decision.result === AuthorizeResult.DENY) {
      throw new NotAllowedError(`Only members of ${this.#approvers} may see approvals`);
    }
    const collect = async (filter: ResourceFilter) => {
      const out: StoredResource[] = [];
      let cursor: string | undefined;
      do {
        const page = await this.#store.listResources({ filter, cursor, limit: 500 });
        out.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return out;
    };
    const [creates, changes] = await Promise.all([
      collect({ states: ['awaiting-approval'] }),
      collect({ states: ['ready'], withPendingChange: true }),
    ]);
    const items = [...creates, ...changes]
      .map(toPublicResource)
      .filter(r => this.#authorizeConditions(decision, r))
      .sort((a, b) =>
        (a.pendingChange?.requestedAt ?? a.updatedAt).localeCompare(
          b.pendingChange?.requestedAt ?? b.updatedAt,
        ),
      );
    return { items };
  }

  async get(id: string, caller: Caller): Promise<ApiResource> {
    return toPublicResource(await this.#load(id, caller.credentials));
  }

  async events(id: string, caller: Caller): Promise<ResourceEvent[]> {
    await this.#load(id, caller.credentials);
    return this.#store.listEvents(id);
  }

  /**
   * Catalog entities whose `dependsOn` names this resource's entity (`resource:default/<name>`, or the
   * `<name>-<type>` form used when names collide across types), as visible to the caller.
   */
  async dependents(
    id: string,
    caller: Caller,
  ): Promise<Array<{ entityRef: string; kind: string; title?: string }>> {
    const r = await this.#load(id, caller.credentials);
    const refs = [`resource:default/${r.name}`, `resource:default/${r.name}-${r.type}`];
    const { items } = await this.#catalog.getEntities(
      {
        filter: refs.map(ref => ({ 'relations.dependsOn': ref })),
        fields: ['kind', 'metadata.name', 'metadata.namespace', 'metadata.title'],
      },
      { credentials: caller.credentials },
    );
    return items
      .map(e => ({
        entityRef: stringifyEntityRef(e),
        kind: e.kind,
        ...(e.metadata.title ? { title: e.metadata.title } : {}),
      }))
      .sort((a, b) => a.entityRef.localeCompare(b.entityRef));
  }

  /**
   * Requests a resource. With `idempotencyKey`, the same key and body answer the resource created first
   * (`created: false`); the same key with another body is a `ConflictError`.
   */
  async create(
    input: {
      name: string;
      type: string;
      owner: string;
      entityRef?: string;
      system?: string;
      parameters?: Record<string, unknown>;
      /** ISO 8601 duration or e.g. `2h`. */
      ttl?: string;
      /** Why advanced values outside the golden path are needed (required with such values). */
      justification?: string;
    },
    caller: Caller & { idempotencyKey?: string },
  ): Promise<{ resource: ApiResource; created: boolean }> {
    const { credentials } = caller;
    const idempotency = caller.idempotencyKey
      ? {
          principal: this.#actor(credentials),
          key: caller.idempotencyKey,
          requestHash: requestHash(input),
        }
      : undefined;
    if (idempotency) {
      const known = await this.#store.getIdempotencyKey(idempotency.principal, idempotency.key);
      if (known) {
        if (known.requestHash !== idempotency.requestHash) {
          throw new ConflictError(
            'This Idempotency-Key was already used with a different request body',
          );
        }
        return { resource: await this.get(known.resourceId, caller), created: false };
      }
    }
    if (!RESOURCE_NAME_PATTERN.test(input.name)) {
      throw new InputError(
        `Invalid name '${input.name.slice(0, 60)}': use a DNS label of at most 40 characters (lowercase letters, digits and '-', starting with a letter)`,
      );
    }
    const type = this.#type(input.type);
    this.#assertName(input.name, type);
    const parameters = this.#validator.validate(type, input.parameters);
    const found = findDeviations(type, parameters);
    const justification = assertJustified(found, input.justification);
    const ttlMs = this.#ttlMs(type, input.ttl);
    const owner = normalizeRef(input.owner, 'owner', 'group');
    if (parseEntityRef(owner).kind.toLocaleLowerCase('en-US') !== 'group') {
      throw new InputError(`owner '${input.owner}' must be a group`);
    }
    const entityRef = input.entityRef
      ? normalizeRef(input.entityRef, 'entityRef')
      : undefined;
    const system = input.system
      ? normalizeRef(input.system, 'system', 'system')
      : undefined;

    const ownerEntity = await this.#catalog.getEntityByRef(owner, { credentials });
    if (!ownerEntity) {
      throw new InputError(`Owner group '${owner}' does not exist in the catalog`);
    }
    // the policy decides, on the requested resource, for which owners the caller may request
    const actor = this.#actor(credentials);
    const now = new Date().toISOString();
    const candidate: Resource = {
      id: '00000000-0000-0000-0000-000000000000',
      name: input.name,
      type: type.id,
      owner,
      ...(entityRef ? { entityRef } : {}),
      ...(system ? { system } : {}),
      parameters,
      state: 'requested',
      drifted: false,
      conditions: [],
      outputs: {},
      monthlyCostUsd: 0,
      billable: false,
      createdBy: actor,
      createdAt: now,
      updatedAt: now,
    };
    const decision = await this.#decision(provisioningResourceCreatePermission, credentials);
    if (decision.result === AuthorizeResult.DENY) {
      throw new NotAllowedError('You may not request resources');
    }
    if (!this.#authorizeConditions(decision, candidate)) {
      throw new NotAllowedError(
        `You can only request resources for groups you belong to; you are not a member of ${owner}`,
      );
    }
    // approvers' own requests need no approval (the policy says who approves)
    const approveDecision = await this.#decision(provisioningResourceApprovePermission, credentials);
    const isApprover = this.#authorizeConditions(approveDecision, candidate);

    const overBudget =
      !isApprover && this.#budgetCheck
        ? await this.#budgetCheck({ owner, monthlyCostUsd: ParameterValidator.monthlyCost(type, parameters) })
        : undefined;
    const sizeNeedsApproval = ParameterValidator.needsApproval(type, parameters) && !isApprover;
    const waitingDeviations = isApprover ? [] : found;
    const needsApproval = sizeNeedsApproval || waitingDeviations.length > 0 || Boolean(overBudget?.exceeded);
    const approvalReason = this.#approvalReason({
      size: parameters.size,
      sizeNeedsApproval,
      deviations: waitingDeviations,
      overBudget,
    });
    const t = transition('new', needsApproval ? 'request-with-approval' : 'request');
    const id = randomUUID();
    const deviations: Deviation[] = found.map(d => ({
      ...d,
      justification,
      requestedBy: actor,
      requestedAt: now,
      // an approver's own request is approved by them
      ...(isApprover ? { approvedBy: actor, approvedAt: now } : {}),
    }));
    const own = patchOf(t, Date.now());
    const ttl = ttlMs !== undefined ? this.#ttlFields(ttlMs, this.#now()) : undefined;
    const resource: StoredResource = {
      id,
      name: input.name,
      type: type.id,
      owner,
      ...(entityRef ? { entityRef } : {}),
      ...(system ? { system } : {}),
      parameters,
      state: t.to,
      drifted: false,
      ...(needsApproval
        ? { reason: approvalReason.charAt(0).toUpperCase() + approvalReason.slice(1) }
        : {}),
      ...(deviations.length ? { deviations } : {}),
      conditions: [],
      outputs: {},
      monthlyCostUsd: ParameterValidator.monthlyCost(type, parameters),
      billable: false,
      createdBy: actor,
      createdAt: now,
      updatedAt: now,
      pendingOperation: t.operation ?? undefined,
      ...(own.nextAttemptAt ? { nextAttemptAt: own.nextAttemptAt } : {}),
      attempts: 0,
      targetVersion: createVersionOf(type),
      ...(ttl
        ? {
            ttlMs: ttl.ttlMs,
            expiresAt: new Date(ttl.expiresAtMs).toISOString(),
            ttlRemindersSent: ttl.ttlRemindersSent,
          }
        : {}),
    };
    const expiry = ttl
      ? `; time to live ${formatDuration(ttl.ttlMs)} (expires at ${new Date(ttl.expiresAtMs).toISOString()})`
      : '';
    const deviating = deviations.length
      ? `; ${describeDeviations(deviations)} outside the golden path, justification: ${justification}`
      : '';
    const message = needsApproval
      ? `Requested by ${actor}; ${approvalReason}${expiry}${deviating}`
      : `Requested by ${actor}${expiry}${deviating}`;
    const event = {
      id: randomUUID(), resourceId: id, actor, message,
      announcement: {
        auditEventId: 'resource-create', name: input.name, type: type.id, owner, toState: t.to as ResourceState,
        notifyApprovers: t.effects.includes('notify-approvers'),
      },
    };
    const stored = await this.#store.createResource(
      resource,
      { id: event.id, actor, type: 'created', toState: t.to, message, announcement: event.announcement },
      { quota: type.policy.quotaPerOwner, ...(idempotency ? { idempotency } : {}) },
    );
    if (stored.existing) {
      return { resource: await this.get(stored.id, caller), created: false };
    }
    this.#logger.info(`Resource ${type.id}/${input.name} requested by ${actor}`, { resourceId: id });
    await this.#runner.announceRecorded(event, caller.request);
    if (t.effects.includes('schedule')) {
      this.#reconciler.kick(id);
    }
    return { resource: toPublicResource((await this.#store.getResource(id))!), created: true };
  }

  /** Carries out a user event through the lifecycle; 409 when it is invalid or the resource changed. */
  async #change(
    r: StoredResource,
    event: LifecycleEvent,
    options: {
      message: string;
      auditEventId: string;
      eventType?: string;
      patch?: ResourcePatch;
      invalid?: string;
    },
    caller: Caller,
  ): Promise<ApiResource> {
    const actor = this.#actor(caller.credentials);
    if (!can(r.state, event)) {
      throw new ConflictError(
        options.invalid ?? `Resource ${r.type}/${r.name} is ${r.state}; '${event}' is not possible now`,
      );
    }
    const t = transition(r.state, event);
    const ok = await this.#runner.run({
      resource: r,
      event,
      actor,
      message: options.message,
      patch: options.patch,
      eventType: options.eventType,
      auditEventId: options.auditEventId,
      request: caller.request,
    });
    if (!ok) {
      throw new ConflictError(
        `Resource ${r.type}/${r.name} changed meanwhile (it is no longer ${r.state}); reload and try again`,
      );
    }
    this.#logger.info(`Resource ${r.type}/${r.name}: ${event} by ${actor}`, { resourceId: r.id });
    if (t.effects.includes('schedule')) {
      this.#reconciler.kick(r.id);
    }
    return toPublicResource((await this.#store.getResource(r.id))!);
  }

  async update(
    id: string,
    input: { parameters: Record<string, unknown>; justification?: string },
    caller: Caller,
  ) {
    const r = await this.#load(id, caller.credentials);
    await this.#authorize(provisioningResourceUpdatePermission, r, caller.credentials, 'update');
    const failedCreate = r.state === 'failed' && !r.billable;
    if (!can(r.state, 'update') || failedCreate) {
      throw new ConflictError(
        `Resource ${r.type}/${r.name} is ${r.state}; it can be changed when it is ready`,
      );
    }
    const type = this.#type(r.type);
    const parameters = this.#validator.validate(type, { ...r.parameters, ...input.parameters });
    // deviations already approved with the same value stay; new or changed ones need a justification and approval
    const { kept, added } = compareDeviations(findDeviations(type, parameters), r.deviations);
    const justification = assertJustified(added, input.justification);
    const isApprover = await this.#allowed(provisioningResourceApprovePermission, r, caller.credentials);
    const resized = parameters.size !== r.parameters.size;
    const sizeNeedsApproval = ParameterValidator.needsApproval(type, parameters) && resized && !isApprover;
    const waitingDeviations = isApprover ? [] : added;
    const overBudget =
      resized && !isApprover && this.#budgetCheck
        ? await this.#budgetCheck({
            owner: r.owner,
            monthlyCostUsd: ParameterValidator.monthlyCost(type, parameters),
            resourceId: r.id,
          })
        : undefined;
    const needsApproval = sizeNeedsApproval || waitingDeviations.length > 0 || Boolean(overBudget?.exceeded);
    const approvalReason = this.#approvalReason({
      size: parameters.size,
      sizeNeedsApproval,
      deviations: waitingDeviations,
      overBudget,
    });
    if (needsApproval && r.state !== 'ready') {
      throw new ConflictError(
        `Resource ${r.type}/${r.name} is ${r.state}; a change that needs approval can be requested when it is ready (retry it first)`,
      );
    }
    const actor = this.#actor(caller.credentials);
    const at = new Date().toISOString();
    const deviations: Deviation[] = [
      ...kept,
      ...added.map(d => ({
        ...d,
        justification,
        requestedBy: actor,
        requestedAt: at,
        ...(isApprover ? { approvedBy: actor, approvedAt: at } : {}),
      })),
    ];
    const deviating = added.length
      ? `; ${describeDeviations(added)} outside the golden path, justification: ${justification}`
      : '';
    if (needsApproval) {
      const pendingChange: PendingChange = {
        parameters,
        monthlyCostUsd: ParameterValidator.monthlyCost(type, parameters),
        requestedBy: actor,
        requestedAt: at,
        changes: diffParameters(r.parameters, parameters),
        ...(deviations.length || r.deviations?.length ? { deviations } : {}),
      };
      return this.#change(
        r,
        'update-with-approval',
        {
          patch: { pendingChange },
          eventType: 'update-requested',
          auditEventId: 'resource-update',
          message: `Update requested (${JSON.stringify(parameters)}); ${approvalReason}; the resource keeps serving meanwhile${deviating}`,
        },
        caller,
      );
    }
    return this.#change(
      r,
      'update',
      {
        patch: {
          parameters,
          monthlyCostUsd: ParameterValidator.monthlyCost(type, parameters),
          deviations,
        },
        eventType: 'update-requested',
        auditEventId: 'resource-update',
        message: `Update requested (${JSON.stringify(parameters)})${deviating}`,
      },
      caller,
    );
  }

  /**
   * Deletes a resource in any state but `deleted`. With `force` (approvers only) the record is removed without
   * calling the driver (e.g. when the infrastructure was removed by hand or the driver is gone).
   */
  async delete(id: string, caller: Caller & { force?: boolean }): Promise<ApiResource> {
    const r = await this.#load(id, caller.credentials);
    const actor = this.#actor(caller.credentials);
    if (caller.force) {
      if (!(await this.#allowed(provisioningResourceApprovePermission, r, caller.credentials))) {
        throw new NotAllowedError(
          `Only members of ${this.#approvers} may force-remove ${r.type}/${r.name}`,
        );
      }
      const reason = `Force-removed by ${actor} without calling the driver`;
      return this.#change(
        r,
        'force-remove',
        {
          patch: { reason },
          eventType: 'force-removed',
          auditEventId: 'resource-force-remove',
          message: reason,
          invalid: `Resource ${r.type}/${r.name} is already deleted`,
        },
        caller,
      );
    }
    await this.#authorize(provisioningResourceDeletePermission, r, caller.credentials, 'delete');
    if (r.state === 'deleted') {
      throw new ConflictError(`Resource ${r.type}/${r.name} is already deleted`);
    }
    if (r.state === 'deleting') {
      return toPublicResource(r);
    }
    const withdrawn = r.state === 'awaiting-approval';
    return this.#change(
      r,
      'delete',
      {
        ...(withdrawn ? { patch: { reason: 'Withdrawn before approval' } } : {}),
        eventType: 'delete-requested',
        auditEventId: 'resource-delete',
        message: withdrawn ? 'Request withdrawn before approval' : 'Deletion requested',
      },
      caller,
    );
  }

  /**
   * Extends (or shortens) the time to live of a resource to `ttl` from now, at most the type's maximum (400
   * beyond); the reminders start again. Owners (the update permission); any state but deleting or deleted.
   */
  async extend(id: string, input: { ttl: string }, caller: Caller): Promise<ApiResource> {
    const r = await this.#load(id, caller.credentials);
    await this.#authorize(provisioningResourceUpdatePermission, r, caller.credentials, 'extend');
    if (r.state === 'deleting' || r.state === 'deleted') {
      throw new ConflictError(`Resource ${r.type}/${r.name} is ${r.state}; it can no longer be extended`);
    }
    const type = this.#type(r.type);
    const ttlMs = this.#ttlMs(type, input.ttl, true);
    if (ttlMs === undefined) {
      throw new InputError('ttl is required');
    }
    const now = this.#now();
    const fields = this.#ttlFields(ttlMs, now);
    const actor = this.#actor(caller.credentials);
    const expiresAt = new Date(fields.expiresAtMs).toISOString();
    const message = `Time to live set to ${formatDuration(ttlMs)} by ${actor}: expires at ${expiresAt}${
      r.expiresAt ? ` (was ${r.expiresAt})` : ''
    }`;
    // any live state: the reconciler may move it on meanwhile; a deletion (e.g. expiry) wins
    const event = {
      id: randomUUID(), resourceId: r.id, actor, message,
      announcement: { auditEventId: 'resource-extend', name: r.name, type: r.type, owner: r.owner },
    };
    const ok = await this.#store.updateResource(r.id, fields, {
      guard: { state: RESOURCE_STATES.filter(st => st !== 'deleting' && st !== 'deleted') },
      event: { id: event.id, actor, type: 'ttl-extended', message, announcement: event.announcement },
    });
    if (!ok) {
      throw new ConflictError(
        `Resource ${r.type}/${r.name} is being deleted; it can no longer be extended`,
      );
    }
    this.#logger.info(`Resource ${r.type}/${r.name}: ${message}`, { resourceId: r.id });
    await this.#runner.announceRecorded(event, caller.request);
    return toPublicResource((await this.#store.getResource(r.id))!);
  }

  /** Withdraws what is pending: the pending change (stays ready) or a create awaiting approval (deleted). */
  async withdraw(id: string, caller: Caller): Promise<ApiResource> {
    const r = await this.#load(id, caller.credentials);
    await this.#authorize(provisioningResourceUpdatePermission, r, caller.credentials, 'withdraw the request for');
    const actor = this.#actor(caller.credentials);
    if (r.state === 'ready' && r.pendingChange) {
      return this.#change(
        r,
        'withdraw',
        {
          eventType: 'withdrawn',
          auditEventId: 'resource-withdraw',
          message: `Pending change withdrawn by ${actor}`,
        },
        caller,
      );
    }
    if (r.state === 'awaiting-approval') {
      return this.#change(
        r,
        'withdraw',
        {
          patch: { reason: `Request withdrawn by ${actor}` },
          eventType: 'withdrawn',
          auditEventId: 'resource-withdraw',
          message: `Request withdrawn by ${actor} before approval`,
        },
        caller,
      );
    }
    throw new ConflictError(`Nothing is pending for ${r.type}/${r.name}`);
  }

  async retry(id: string, caller: Caller): Promise<ApiResource> {
    const r = await this.#load(id, caller.credentials);
    await this.#authorize(provisioningResourceUpdatePermission, r, caller.credentials, 'retry');
    if (r.state !== 'failed' || !r.pendingOperation) {
      throw new ConflictError(
        `Only failed resources can be retried; ${r.type}/${r.name} is ${r.state}`,
      );
    }
    return this.#change(
      r,
      RETRY_EVENT[r.pendingOperation],
      { eventType: 'retry', auditEventId: 'resource-retry', message: `Retry of ${r.pendingOperation}` },
      caller,
    );
  }

  async approve(id: string, input: { reason?: string }, caller: Caller): Promise<ApiResource> {
    const r = await this.#load(id, caller.credentials);
    await this.#authorize(provisioningResourceApprovePermission, r, caller.credentials, 'approve');
    const actor = this.#actor(caller.credentials);
    const suffix = input.reason ? `: ${input.reason}` : '';
    const at = new Date().toISOString();
    const approveAll = (list: Deviation[] | undefined) =>
      (list ?? []).map(d => (d.approvedBy ? d : { ...d, approvedBy: actor, approvedAt: at }));
    if (r.state === 'ready' && r.pendingChange) {
      const change = r.pendingChange;
      return this.#change(
        r,
        'approve',
        {
          patch: {
            parameters: change.parameters,
            monthlyCostUsd: change.monthlyCostUsd,
            ...(change.deviations ? { deviations: approveAll(change.deviations) } : {}),
          },
          eventType: 'approved',
          auditEventId: 'resource-approve',
          message: `Update approved by ${actor}${suffix}`,
        },
        caller,
      );
    }
    if (r.state !== 'awaiting-approval') {
      throw new ConflictError(`${r.type}/${r.name} is ${r.state}, not awaiting approval`);
    }
    return this.#change(
      r,
      'approve',
      {
        ...(r.deviations?.length ? { patch: { deviations: approveAll(r.deviations) } } : {}),
        eventType: 'approved',
        auditEventId: 'resource-approve',
        message: `Approved by ${actor}${suffix}${
          r.deviations?.length ? ` (with ${describeDeviations(r.deviations)} outside the golden path)` : ''
        }`,
      },
      caller,
    );
  }

  async reject(id: string, input: { reason: string }, caller: Caller): Promise<ApiResource> {
    const r = await this.#load(id, caller.credentials);
    await this.#authorize(provisioningResourceApprovePermission, r, caller.credentials, 'reject');
    if (!input.reason || !input.reason.trim()) {
      throw new InputError('A reason is required to reject');
    }
    const actor = this.#actor(caller.credentials);
    if (r.state === 'ready' && r.pendingChange) {
      return this.#change(
        r,
        'reject',
        {
          patch: { reason: `Update rejected by ${actor}: ${input.reason}` },
          eventType: 'rejected',
          auditEventId: 'resource-reject',
          message: `Update rejected by ${actor}: ${input.reason}`,
        },
        caller,
      );
    }
    if (r.state !== 'awaiting-approval') {
      throw new ConflictError(`${r.type}/${r.name} is ${r.state}, not awaiting approval`);
    }
    return this.#change(
      r,
      'reject',
      {
        patch: { reason: `Rejected by ${actor}: ${input.reason}` },
        eventType: 'rejected',
        auditEventId: 'resource-reject',
        message: `Rejected by ${actor}: ${input.reason}`,
      },
      caller,
    );
  }

  async credentials(id: string, caller: Caller): Promise<ResourceCredentials> {
    const r = await this.#load(id, caller.credentials);
    await this.#authorize(
      provisioningResourceCredentialsReadPermission, r, caller.credentials, 'reveal the credentials of',
    );
    if (!r.encryptedSecrets) {
      throw new NotFoundError(`${r.type}/${r.name} has no credentials (yet)`);
    }
    const { url, ...values } = this.#cipher.decrypt(r.encryptedSecrets, r.id);
    const actor = this.#actor(caller.credentials);
    await this.#notifier.notify({
      id: r.id, name: r.name, type: r.type, owner: r.owner, eventId: 'resource-credentials-read',
      actor, message: `Credentials revealed to ${actor}`, request: caller.request,
    });
    return { ...(url ? { url } : {}), values };
  }
}
