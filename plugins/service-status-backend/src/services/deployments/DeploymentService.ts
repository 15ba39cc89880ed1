import type {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  CreateDeploymentRequest,
  Deployment,
  DeploymentSummariesResponse,
  ListDeploymentsQuery,
  ListDeploymentsResponse,
} from '@paved/backstage-plugin-service-status-common';
import { DeploymentStore } from '../../database/DeploymentStore';
import { StatusService } from '../status/StatusService';
import { normalizeEntityRef } from '../status/entityRefs';

/**
 * Records deployments reported by users or CI services, and lists them per entity.
 * @internal
 */
export class DeploymentService {
  readonly #store: DeploymentStore;
  readonly #status: StatusService;
  readonly #auth: AuthService;
  readonly #clock: () => number;

  static create(options: {
    store: DeploymentStore;
    status: StatusService;
    auth: AuthService;
    clock?: () => number;
  }): DeploymentService {
    return new DeploymentService(options);
  }

  private constructor(options: {
    store: DeploymentStore;
    status: StatusService;
    auth: AuthService;
    clock?: () => number;
  }) {
    this.#store = options.store;
    this.#status = options.status;
    this.#auth = options.auth;
    this.#clock = options.clock ?? Date.now;
  }

  /**
   * Credentials for catalog look-ups. External service tokens are usually restricted to this
   * plugin (`accessRestrictions: [{ plugin: 'service-status' }]`) and cannot be forwarded to the
   * catalog, so service callers look entities up with this plugin's own credentials.
   */
  async #catalogCredentials(credentials: BackstageCredentials) {
    return this.#auth.isPrincipal(credentials, 'service')
      ? this.#auth.getOwnServiceCredentials()
      : credentials;
  }

  /**
   * Records a deployment. Throws InputError when times are invalid, NotFoundError when the entity
   * is unknown.
   */
  async create(
    request: CreateDeploymentRequest,
    credentials: BackstageCredentials,
  ): Promise<Deployment> {
    const started = Date.parse(request.startedAt);
    if (Number.isNaN(started)) {
      throw new InputError('startedAt must be an ISO 8601 date-time');
    }
    if (request.finishedAt !== undefined) {
      const finished = Date.parse(request.finishedAt);
      if (Number.isNaN(finished)) {
        throw new InputError('finishedAt must be an ISO 8601 date-time');
      }
      if (finished < started) {
        throw new InputError('finishedAt must not be before startedAt');
      }
    }
    if (request.committedAt !== undefined) {
      const committed = Date.parse(request.committedAt);
      if (Number.isNaN(committed)) {
        throw new InputError('committedAt must be an ISO 8601 date-time');
      }
      if (committed > started) {
        throw new InputError('committedAt must not be after startedAt');
      }
    }
    const { entityRef } = await this.#status.requireEntity(
      request.entityRef,
      await this.#catalogCredentials(credentials),
    );
    let createdBy = 'unknown';
    if (this.#auth.isPrincipal(credentials, 'user')) {
      createdBy = credentials.principal.userEntityRef;
    } else if (this.#auth.isPrincipal(credentials, 'service')) {
      createdBy = credentials.principal.subject;
    }
    return this.#store.create({
      ...request,
      entityRef,
      createdBy,
      now: this.#clock(),
    });
  }

  /**
   * Count, first and last deployment of each given entity (refs are normalised; malformed ones
   * are a 400). Only entities with reported deployments are in the answer, and for a user only
   * those the user may read in the catalog (one catalog look-up of the refs that have deployments;
   * a service caller reads them all, like the catalog look-ups of {@link DeploymentService.create}).
   */
  async summaries(
    query: {
      entityRefs: string[];
      environment?: string;
    },
    credentials: BackstageCredentials,
  ): Promise<DeploymentSummariesResponse> {
    const refs = [...new Set(query.entityRefs.map(r => normalizeEntityRef(r)))];
    let rows = await this.#store.summaries({
      entityRefs: refs,
      environment: query.environment,
    });
    if (rows.length > 0 && !this.#auth.isPrincipal(credentials, 'service')) {
      const readable = await this.#status.readableRefs(
        rows.map(r => r.entityRef),
        credentials,
      );
      rows = rows.filter(r => readable.has(r.entityRef));
    }
    return {
      items: rows.map(r => ({
        entityRef: r.entityRef,
        deployments: r.deployments,
        firstDeployedAt: new Date(r.first).toISOString(),
        lastDeployedAt: new Date(r.last).toISOString(),
      })),
    };
  }

  async list(
    query: ListDeploymentsQuery,
    credentials: BackstageCredentials,
  ): Promise<ListDeploymentsResponse> {
    const { entityRef } = await this.#status.requireEntity(
      query.entityRef,
      await this.#catalogCredentials(credentials),
    );
    return this.#store.list({
      entityRef,
      environment: query.environment,
      cursor: query.cursor,
      limit: query.limit ?? 25,
    });
  }
}
