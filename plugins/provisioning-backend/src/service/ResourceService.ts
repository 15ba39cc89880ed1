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
  CostEstimate,
  provisioningResourceApprovePermission,
  provisioningResourceCreatePermission,
  provisioningResourceCredentialsReadPermission,
  provisioningResourceDeletePermission,
  provisioningResourceReadPermission,
  provisioningResourceUpdatePermission,
  Resource,
  RESOURCE_NAME_PATTERN,
  ResourceCredentials,
  ResourceEvent,
  ResourceState,
  ResourceType,
} from '@paved/backstage-plugin-provisioning-common';
import type { Request } from 'express';
import { randomUUID } from 'node:crypto';
import type { ResourceFilter, ResourceStore, StoredResource } from '../database/types';
import type { ProvisioningResourceQuery } from '../permissions/rules';
import type { Reconciler } from '../reconciler/Reconciler';
import type { SecretsCipher } from '../secrets/SecretsCipher';
import type { ChangeNotifier } from './ChangeNotifier';
import { ParameterValidator } from './parameters';
import type { TypeRegistry } from './TypeRegistry';

/** Strips the reconciler's bookkeeping. @internal */
export function toPublicResource(r: StoredResource): Resource {
  const {
    pendingOperation: _op,
    encryptedSecrets: _s,
    nextAttemptAt: _n,
    attempts: _a,
    claimedBy: _c,
    claimExpiresAt: _e,
    ...rest
  } = r;
  return rest;
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

/**
 * The provisioning model: validation, policy and permission checks, and state changes that
 * the reconciler then carries out. Used by the router.
 * @internal
 */
export class ResourceService {
  readonly #store: ResourceStore;
  readonly #types: TypeRegistry;
  readonly #reconciler: Reconciler;
  readonly #cipher: SecretsCipher;
  readonly #notifier: ChangeNotifier;
  readonly #permissions: PermissionsService;
  readonly #userInfo: UserInfoService;
  readonly #catalog: CatalogService;
  readonly #logger: LoggerService;
  readonly #approvers: string;
  readonly #validator = new ParameterValidator();
  readonly #authorizeConditions: (decision: PolicyDecision, resource: Resource | undefined) => boolean;

  constructor(options: {
    store: ResourceStore;
    types: TypeRegistry;
    reconciler: Reconciler;
    cipher: SecretsCipher;
    notifier: ChangeNotifier;
    permissions: PermissionsService;
    userInfo: UserInfoService;
    catalog: CatalogService;
    logger: LoggerService;
    approvers: string;
    ruleset: PermissionRuleset<Resource, ProvisioningResourceQuery>;
  }) {
    this.#store = options.store;
    this.#types = options.types;
    this.#reconciler = options.reconciler;
    this.#cipher = options.cipher;
    this.#notifier = options.notifier;
    this.#permissions = options.permissions;
    this.#userInfo = options.userInfo;
    this.#catalog = options.catalog;
    this.#logger = options.logger;
    this.#approvers = options.approvers;
    this.#authorizeConditions = createConditionAuthorizer(options.ruleset);
  }

  listTypes(): ResourceType[] {
    return this.#types.list();
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

  estimate(request: { type: string; parameters?: Record<string, unknown> }): CostEstimate {
    return this.#validator.estimate(
      this.#type(request.type),
      request.parameters,
      this.#approvers,
    );
  }

  async #claims(credentials: BackstageCredentials): Promise<string[]> {
    if (credentials.principal && (credentials.principal as { type?: string }).type === 'user') {
      const info = await this.#userInfo.getUserInfo(credentials);
      return info.ownershipEntityRefs;
    }
    return [];
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

  async #authorize(
    permission: ResourcePermission,
    resource: StoredResource,
    credentials: BackstageCredentials,
    what: string,
  ) {
    const decision = await this.#decision(permission, credentials);
    if (!this.#authorizeConditions(decision, toPublicResource(resource))) {
      const who =
        permission.name === provisioningResourceApprovePermission.name
          ? `members of ${this.#approvers}`
          : `members of ${resource.owner} (or ${this.#approvers})`;
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

  async get(id: string, caller: Caller): Promise<Resource> {
    return toPublicResource(await this.#load(id, caller.credentials));
  }

  async events(id: string, caller: Caller): Promise<ResourceEvent[]> {
    await this.#load(id, caller.credentials);
    return this.#store.listEvents(id);
  }

  async create(
    input: {
      name: string;
      type: string;
      owner: string;
      entityRef?: string;
      system?: string;
      parameters?: Record<string, unknown>;
    },
    caller: Caller,
  ): Promise<Resource> {
    const { credentials } = caller;
    if (!RESOURCE_NAME_PATTERN.test(input.name)) {
      throw new InputError(
        `Invalid name '${input.name.slice(0, 60)}': use a DNS label of at most 40 characters (lowercase letters, digits and '-', starting with a letter)`,
      );
    }
    const type = this.#type(input.type);
    const parameters = this.#validator.validate(type, input.parameters);
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

    const [decision] = await this.#permissions.authorize(
      [{ permission: provisioningResourceCreatePermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError('You may not request resources');
    }
    const ownerEntity = await this.#catalog.getEntityByRef(owner, { credentials });
    if (!ownerEntity) {
      throw new InputError(`Owner group '${owner}' does not exist in the catalog`);
    }
    const claims = await this.#claims(credentials);
    const isApprover = claims.includes(this.#approvers);
    const isUser = (credentials.principal as { type: string }).type === 'user';
    if (isUser && !isApprover && !claims.includes(owner)) {
      throw new NotAllowedError(
        `You can only request resources for groups you belong to; you are not a member of ${owner}`,
      );
    }

    const needsApproval = ParameterValidator.needsApproval(type, parameters) && !isApprover;
    const state: ResourceState = needsApproval ? 'awaiting-approval' : 'requested';
    const actor = this.#actor(credentials);
    const id = randomUUID();
    const now = new Date().toISOString();
    const resource: StoredResource = {
      id,
      name: input.name,
      type: type.id,
      owner,
      ...(entityRef ? { entityRef } : {}),
      ...(system ? { system } : {}),
      parameters,
      state,
      drifted: false,
      ...(needsApproval
        ? { reason: `Size '${parameters.size}' needs approval by ${this.#approvers}` }
        : {}),
      conditions: [],
      outputs: {},
      monthlyCostUsd: ParameterValidator.monthlyCost(type, parameters),
      createdBy: actor,
      createdAt: now,
      updatedAt: now,
      pendingOperation: 'create',
      ...(needsApproval ? {} : { nextAttemptAt: Date.now() }),
      attempts: 0,
    };
    const message = needsApproval
      ? `Requested by ${actor}; size '${parameters.size}' needs approval by ${this.#approvers}`
      : `Requested by ${actor}`;
    await this.#store.createResource(
      resource,
      { actor, type: 'created', toState: state, message },
      { quota: type.policy.quotaPerOwner },
    );
    this.#logger.info(`Resource ${type.id}/${input.name} requested by ${actor}`, { resourceId: id });
    await this.#notifier.notify({
      id, name: input.name, type: type.id, owner, eventId: 'resource-create', actor,
      toState: state, message, request: caller.request,
    });
    if (!needsApproval) {
      this.#reconciler.kick(id);
    }
    return toPublicResource((await this.#store.getResource(id))!);
  }

  async #change(
    r: StoredResource,
    patch: Parameters<ResourceStore['updateResource']>[1],
    event: { type: string; toState?: ResourceState; message: string; eventId: string },
    caller: Caller,
  ): Promise<Resource> {
    const actor = this.#actor(caller.credentials);
    const ok = await this.#store.updateResource(r.id, patch, {
      guard: { state: r.state },
      event: {
        actor,
        type: event.type,
        ...(event.toState && event.toState !== r.state
          ? { fromState: r.state, toState: event.toState }
          : {}),
        message: event.message,
      },
    });
    if (!ok) {
      throw new ConflictError(
        `Resource ${r.type}/${r.name} changed meanwhile (it is no longer ${r.state}); reload and try again`,
      );
    }
    this.#logger.info(`Resource ${r.type}/${r.name}: ${event.type} by ${actor}`, { resourceId: r.id });
    await this.#notifier.notify({
      id: r.id, name: r.name, type: r.type, owner: r.owner, eventId: event.eventId, actor,
      fromState: r.state, toState: event.toState, message: event.message, request: caller.request,
    });
    if (patch.nextAttemptAt) {
      this.#reconciler.kick(r.id);
    }
    return toPublicResource((await this.#store.getResource(r.id))!);
  }

  async update(id: string, input: { parameters: Record<string, unknown> }, caller: Caller) {
    const r = await this.#load(id, caller.credentials);
    await this.#authorize(provisioningResourceUpdatePermission, r, caller.credentials, 'update');
    const failedUpdate =
      r.state === 'failed' && (r.pendingOperation === 'update' || r.pendingOperation === 'repair');
    if (r.state !== 'ready' && !failedUpdate) {
      throw new ConflictError(
        `Resource ${r.type}/${r.name} is ${r.state}; it can be changed when it is ready`,
      );
    }
    const type = this.#type(r.type);
    const parameters = this.#validator.validate(type, { ...r.parameters, ...input.parameters });
    const claims = await this.#claims(caller.credentials);
    const needsApproval =
      ParameterValidator.needsApproval(type, parameters) &&
      parameters.size !== r.parameters.size &&
      !claims.includes(this.#approvers);
    if (needsApproval) {
      return this.#change(
        r,
        { state: 'awaiting-approval', pendingParameters: parameters, pendingOperation: 'update',
          nextAttemptAt: null, reason: `Size '${parameters.size}' needs approval by ${this.#approvers}` },
        { type: 'update-requested', toState: 'awaiting-approval', eventId: 'resource-update',
          message: `Update requested (${JSON.stringify(parameters)}); size '${parameters.size}' needs approval by ${this.#approvers}` },
        caller,
      );
    }
    return this.#change(
      r,
      { state: 'updating', parameters, pendingOperation: 'update', pendingParameters: null,
        nextAttemptAt: Date.now(), attempts: 0, reason: null,
        monthlyCostUsd: ParameterValidator.monthlyCost(type, parameters) },
      { type: 'update-requested', toState: 'updating', eventId: 'resource-update',
        message: `Update requested (${JSON.stringify(parameters)})` },
      caller,
    );
  }

  async delete(id: string, caller: Caller): Promise<Resource> {
    const r = await this.#load(id, caller.credentials);
    await this.#authorize(provisioningResourceDeletePermission, r, caller.credentials, 'delete');
    if (r.state === 'deleted') {
      throw new ConflictError(`Resource ${r.type}/${r.name} is already deleted`);
    }
    if (r.state === 'deleting') {
      return toPublicResource(r);
    }
    if (r.state === 'awaiting-approval' && r.pendingOperation === 'create') {
      // nothing was created yet
      return this.#change(
        r,
        { state: 'deleted', pendingOperation: null, nextAttemptAt: null, monthlyCostUsd: 0,
          reason: 'Withdrawn before approval' },
        { type: 'delete-requested', toState: 'deleted', eventId: 'resource-delete',
          message: 'Request withdrawn before approval' },
        caller,
      );
    }
    return this.#change(
      r,
      { state: 'deleting', pendingOperation: 'delete', pendingParameters: null,
        nextAttemptAt: Date.now(), attempts: 0, reason: null },
      { type: 'delete-requested', toState: 'deleting', eventId: 'resource-delete',
        message: 'Deletion requested' },
      caller,
    );
  }

  async retry(id: string, caller: Caller): Promise<Resource> {
    const r = await this.#load(id, caller.credentials);
    await this.#authorize(provisioningResourceUpdatePermission, r, caller.credentials, 'retry');
    if (r.state !== 'failed' || !r.pendingOperation) {
      throw new ConflictError(
        `Only failed resources can be retried; ${r.type}/${r.name} is ${r.state}`,
      );
    }
    const toState = (
      { create: 'requested', delete: 'deleting', update: 'updating', repair: 'updating' } as const
    )[r.pendingOperation];
    return this.#change(
      r,
      { state: toState, nextAttemptAt: Date.now(), attempts: 0, reason: null },
      { type: 'retry', toState, eventId: 'resource-retry', message: `Retry of ${r.pendingOperation}` },
      caller,
    );
  }

  async approve(id: string, input: { reason?: string }, caller: Caller): Promise<Resource> {
    const r = await this.#load(id, caller.credentials);
    await this.#authorize(provisioningResourceApprovePermission, r, caller.credentials, 'approve');
    if (r.state !== 'awaiting-approval') {
      throw new ConflictError(`${r.type}/${r.name} is ${r.state}, not awaiting approval`);
    }
    const actor = this.#actor(caller.credentials);
    const suffix = input.reason ? `: ${input.reason}` : '';
    if (r.pendingOperation === 'update' && r.pendingParameters) {
      const type = this.#type(r.type);
      return this.#change(
        r,
        { state: 'updating', parameters: r.pendingParameters, pendingParameters: null,
          monthlyCostUsd: ParameterValidator.monthlyCost(type, r.pendingParameters),
          nextAttemptAt: Date.now(), attempts: 0, reason: null },
        { type: 'approved', toState: 'updating', eventId: 'resource-approve',
          message: `Update approved by ${actor}${suffix}` },
        caller,
      );
    }
    return this.#change(
      r,
      { state: 'requested', nextAttemptAt: Date.now(), attempts: 0, reason: null },
      { type: 'approved', toState: 'requested', eventId: 'resource-approve',
        message: `Approved by ${actor}${suffix}` },
      caller,
    );
  }

  async reject(id: string, input: { reason: string }, caller: Caller): Promise<Resource> {
    const r = await this.#load(id, caller.credentials);
    await this.#authorize(provisioningResourceApprovePermission, r, caller.credentials, 'reject');
    if (r.state !== 'awaiting-approval') {
      throw new ConflictError(`${r.type}/${r.name} is ${r.state}, not awaiting approval`);
    }
    const actor = this.#actor(caller.credentials);
    if (r.pendingOperation === 'update') {
      return this.#change(
        r,
        { state: 'ready', pendingParameters: null, pendingOperation: null,
          reason: `Update rejected by ${actor}: ${input.reason}` },
        { type: 'rejected', toState: 'ready', eventId: 'resource-reject',
          message: `Update rejected by ${actor}: ${input.reason}` },
        caller,
      );
    }
    return this.#change(
      r,
      { state: 'deleted', pendingOperation: null, monthlyCostUsd: 0,
        reason: `Rejected by ${actor}: ${input.reason}` },
      { type: 'rejected', toState: 'deleted', eventId: 'resource-reject',
        message: `Rejected by ${actor}: ${input.reason}` },
      caller,
    );
  }

  async credentials(id: string, caller: Caller): Promise<ResourceCredentials> {
    const r = await this.#load(id, caller.credentials);
    await this.#authorize(
      provisioningResourceCredentialsReadPermission, r, caller.credentials, 'reveal the credentials of',
    );
    const claims = await this.#claims(caller.credentials);
    if (!claims.includes(r.owner)) {
      throw new NotAllowedError(
        `Only members of ${r.owner} may reveal the credentials of ${r.type}/${r.name}`,
      );
    }
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
