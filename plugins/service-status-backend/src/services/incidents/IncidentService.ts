import type {
  BackstageCredentials,
  BackstageUserPrincipal,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  Incident,
  ListIncidentsQuery,
  ListIncidentsResponse,
  OpenIncidentRequest,
  ResolveIncidentRequest,
  UpdateIncidentRequest,
} from '@paved/backstage-plugin-service-status-common';
import { IncidentStore } from '../../database/IncidentStore';
import { normalizeEntityRef, ownerRef } from '../status/entityRefs';
import { StatusService } from '../status/StatusService';

/**
 * Opens, updates and resolves incidents. Only members of the entity's owning group or of the
 * platform group may change incidents; others get NotAllowedError naming who may.
 * @internal
 */
export class IncidentService {
  readonly #store: IncidentStore;
  readonly #status: StatusService;
  readonly #userInfo: UserInfoService;
  readonly #platformGroup: string;
  readonly #clock: () => number;

  static create(options: {
    store: IncidentStore;
    status: StatusService;
    userInfo: UserInfoService;
    platformGroup: string;
    clock?: () => number;
  }): IncidentService {
    return new IncidentService(options);
  }

  private constructor(options: {
    store: IncidentStore;
    status: StatusService;
    userInfo: UserInfoService;
    platformGroup: string;
    clock?: () => number;
  }) {
    this.#store = options.store;
    this.#status = options.status;
    this.#userInfo = options.userInfo;
    this.#platformGroup = options.platformGroup;
    this.#clock = options.clock ?? Date.now;
  }

  async open(
    request: OpenIncidentRequest,
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ): Promise<Incident> {
    const { entityRef, entity } = await this.#status.requireEntity(
      request.entityRef,
      credentials,
    );
    await this.#authorize(entityRef, entity, credentials);
    const incident = await this.#store.open({
      entityRef,
      title: request.title.trim(),
      severity: request.severity,
      state: request.state ?? 'investigating',
      message: request.message,
      author: credentials.principal.userEntityRef,
      now: this.#clock(),
    });
    await this.#status.refreshSnapshotFor(entityRef);
    return incident;
  }

  async get(id: string): Promise<Incident> {
    const incident = await this.#store.get(id);
    if (!incident) {
      throw new NotFoundError(`Incident '${id}' not found`);
    }
    return incident;
  }

  async list(
    query: ListIncidentsQuery,
    credentials: BackstageCredentials,
  ): Promise<ListIncidentsResponse> {
    let entityRef: string | undefined;
    if (query.entityRef) {
      entityRef = (
        await this.#status.requireEntity(query.entityRef, credentials)
      ).entityRef;
    }
    return this.#store.list({
      entityRef,
      state: query.state ?? 'open',
      cursor: query.cursor,
      limit: query.limit ?? 25,
    });
  }

  async update(
    id: string,
    request: UpdateIncidentRequest,
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ): Promise<Incident> {
    const incident = await this.get(id);
    await this.#authorizeForIncident(incident, credentials);
    const updated = await this.#store.update(id, {
      message: request.message,
      severity: request.severity,
      state: request.state,
      title: request.title?.trim(),
      author: credentials.principal.userEntityRef,
      now: this.#clock(),
    });
    await this.#status.refreshSnapshotFor(incident.entityRef);
    return updated;
  }

  async resolve(
    id: string,
    request: ResolveIncidentRequest,
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ): Promise<Incident> {
    const incident = await this.get(id);
    await this.#authorizeForIncident(incident, credentials);
    const resolved = await this.#store.update(id, {
      message: request.message ?? 'Resolved.',
      state: 'resolved',
      author: credentials.principal.userEntityRef,
      now: this.#clock(),
    });
    await this.#status.refreshSnapshotFor(incident.entityRef);
    return resolved;
  }

  async #authorizeForIncident(
    incident: Incident,
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ) {
    let entity: Entity | undefined;
    try {
      entity = (
        await this.#status.requireEntity(incident.entityRef, credentials)
      ).entity;
    } catch (error) {
      if (!(error instanceof NotFoundError)) {
        throw error;
      }
      // The entity left the catalog: only the platform group may still change the incident.
    }
    await this.#authorize(
      normalizeEntityRef(incident.entityRef),
      entity,
      credentials,
    );
  }

  async #authorize(
    entityRef: string,
    entity: Entity | undefined,
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ) {
    const owner = entity ? ownerRef(entity) : undefined;
    const { ownershipEntityRefs } = await this.#userInfo.getUserInfo(
      credentials,
    );
    const mine = new Set(
      ownershipEntityRefs.map(r => r.toLocaleLowerCase('en-US')),
    );
    if ((owner && mine.has(owner)) || mine.has(this.#platformGroup)) {
      return;
    }
    const who = owner
      ? `members of ${owner} (the owner of ${entityRef}) or of ${
          this.#platformGroup
        }`
      : `members of ${this.#platformGroup}`;
    throw new NotAllowedError(
      `Only ${who} may manage incidents on ${entityRef}`,
    );
  }
}
