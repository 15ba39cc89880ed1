/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  AuthService,
  BackstageCredentials,
  coreServices,
  createServiceFactory,
  createServiceRef,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  CostEstimate,
  ListResourcesQuery,
  ProvisioningApiClient,
  Resource,
} from '@paved/backstage-plugin-provisioning-common';

/** Options of every call: whose request it is. @internal */
export interface CallOptions {
  /** The task initiator's (or the module's own) credentials; a plugin token on their behalf is sent. */
  credentials: BackstageCredentials;
}

/** Body of a create request. @internal */
export interface CreateRequest {
  name: string;
  type: string;
  owner: string;
  entityRef?: string;
  system?: string;
  parameters: Record<string, unknown>;
  /** Time to live (ISO 8601 or e.g. `2h`), for types that allow one. */
  ttl?: string;
  /** Why advanced values outside the golden path are needed. */
  justification?: string;
}

/**
 * What the scaffolder actions need from the provisioning API. The default implementation is the typed
 * `ProvisioningApiClient` of provisioning-common with a plugin token per call; tests replace it.
 * @internal
 */
export interface ScaffolderProvisioning {
  estimate(
    request: { type: string; name?: string; parameters: Record<string, unknown> },
    options: CallOptions,
  ): Promise<CostEstimate>;
  listResources(
    query: ListResourcesQuery,
    options: CallOptions,
  ): Promise<{ items: Resource[]; nextCursor?: string }>;
  /** The resource, or undefined when it does not exist (404). */
  getResource(id: string, options: CallOptions): Promise<Resource | undefined>;
  /** `POST /resources`; the same `idempotencyKey` and body return the same resource. */
  createResource(
    request: CreateRequest,
    options: CallOptions & { idempotencyKey?: string },
  ): Promise<Resource>;
  deleteResource(id: string, options: CallOptions): Promise<Resource>;
  /** `POST /resources/{id}/extend`: a new time to live from now, at most the type's maximum. */
  extendResource(id: string, request: { ttl: string }, options: CallOptions): Promise<Resource>;
}

/**
 * The provisioning API through {@link @paved/backstage-plugin-provisioning-common#ProvisioningApiClient}, with a
 * plugin token from `auth.getPluginRequestToken` on behalf of the caller's credentials.
 * @internal
 */
export function createScaffolderProvisioning(options: {
  discovery: DiscoveryService;
  auth: AuthService;
  fetch?: typeof fetch;
}): ScaffolderProvisioning {
  const client = new ProvisioningApiClient({
    discoveryApi: options.discovery,
    fetchApi: options.fetch ? { fetch: options.fetch } : undefined,
  });
  const token = async (credentials: BackstageCredentials) =>
    (
      await options.auth.getPluginRequestToken({
        onBehalfOf: credentials,
        targetPluginId: 'provisioning',
      })
    ).token;
  return {
    async estimate(request, { credentials }) {
      return client.estimate(request, { token: await token(credentials) });
    },
    async listResources(query, { credentials }) {
      return client.listResources(query, { token: await token(credentials) });
    },
    async getResource(id, { credentials }) {
      try {
        return await client.getResource(id, {
          token: await token(credentials),
        });
      } catch (e) {
        if ((e as { statusCode?: number }).statusCode === 404) {
          return undefined;
        }
        throw e;
      }
    },
    async createResource(request, { credentials, idempotencyKey }) {
      return client.createResource(request, {
        token: await token(credentials),
        idempotencyKey,
      });
    },
    async deleteResource(id, { credentials }) {
      return client.deleteResource(id, { token: await token(credentials) });
    },
    async extendResource(id, request, { credentials }) {
      return client.extendResource(id, request, { token: await token(credentials) });
    },
  };
}

/**
 * The module's provisioning API access (default: {@link createScaffolderProvisioning}); a service ref so that tests
 * and adopters can replace it.
 * @internal
 */
export const scaffolderProvisioningServiceRef =
  createServiceRef<ScaffolderProvisioning>({
    id: 'paved.scaffolder.provisioning',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: { discovery: coreServices.discovery, auth: coreServices.auth },
        factory: ({ discovery, auth }) =>
          createScaffolderProvisioning({ discovery, auth }),
      }),
  });
