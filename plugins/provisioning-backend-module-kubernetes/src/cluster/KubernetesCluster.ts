/*
 * Copyright 2026 The Paved Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 */
import {
  KubeConfig,
  KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
  Watch,
} from '@kubernetes/client-node';
import { InputError } from '@backstage/errors';
import type { ClusterConfig } from '../config';

/** Field manager of every server-side apply the driver makes. @internal */
export const FIELD_MANAGER = 'paved-provisioning';

/** A Kubernetes object as the driver handles it (custom resources are plain JSON). @internal */
export type KubeObject = KubernetesObject & {
  metadata: NonNullable<KubernetesObject['metadata']> & {
    name: string;
  };
  [key: string]: unknown;
};

/** Identifies one namespaced object. @internal */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

/** What API discovery says about a kind. @internal */
export interface ResourceInfo {
  plural: string;
  namespaced: boolean;
}

/**
 * A failure talking to the cluster. `retryable` failures (unreachable, 401/403, 5xx, timeouts) keep the request
 * and let the reconciler retry with backoff.
 * @internal
 */
export class KubernetesClusterError extends Error {
  readonly statusCode?: number;
  readonly retryable: boolean;
  constructor(
    message: string,
    options: { statusCode?: number; retryable: boolean; cause?: unknown },
  ) {
    super(message, { cause: options.cause });
    this.name = 'KubernetesClusterError';
    this.statusCode = options.statusCode;
    this.retryable = options.retryable;
  }
}

/** An event of a watch stream. @internal */
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR' | string;
  object: any;
}

class PavedObjectApi extends KubernetesObjectApi {
  lookup(apiVersion: string, kind: string) {
    return this.resource(apiVersion, kind);
  }
}

function statusCodeOf(e: unknown): number | undefined {
  const code = (e as { code?: unknown; statusCode?: unknown })?.code;
  if (typeof code === 'number') {
    return code;
  }
  const statusCode = (e as { statusCode?: unknown })?.statusCode;
  return typeof statusCode === 'number' ? statusCode : undefined;
}

function statusMessageOf(e: unknown): string | undefined {
  const body = (e as { body?: unknown })?.body;
  if (
    body &&
    typeof body === 'object' &&
    typeof (body as any).message === 'string'
  ) {
    return (body as any).message;
  }
  if (typeof body === 'string') {
    try {
      const parsed = JSON.parse(body);
      if (typeof parsed?.message === 'string') {
        return parsed.message;
      }
    } catch {
      // not JSON
    }
  }
  return undefined;
}

/**
 * One configured cluster: API calls through `@kubernetes/client-node` with errors turned into readable,
 * classified {@link KubernetesClusterError}s (never containing the token).
 * @internal
 */
export class KubernetesCluster {
  readonly name: string;
  readonly #api: PavedObjectApi;
  readonly #watch: Watch;
  readonly #timeoutMs: number;
  readonly #server: string;

  static fromConfig(
    config: ClusterConfig,
    options: { requestTimeoutMs: number },
  ) {
    const kc = new KubeConfig();
    if (config.inCluster) {
      kc.loadFromCluster();
    } else {
      kc.loadFromOptions({
        clusters: [
          {
            name: config.name,
            server: config.url!,
            caData: config.caData,
            skipTLSVerify: config.skipTLSVerify,
          },
        ],
        users: [{ name: 'paved', token: config.serviceAccountToken }],
        contexts: [{ name: config.name, cluster: config.name, user: 'paved' }],
        currentContext: config.name,
      });
    }
    return new KubernetesCluster(config.name, kc, options.requestTimeoutMs);
  }

  private constructor(name: string, kc: KubeConfig, timeoutMs: number) {
    this.name = name;
    this.#api = kc.makeApiClient(PavedObjectApi);
    this.#watch = new Watch(kc);
    this.#timeoutMs = timeoutMs;
    this.#server = kc.getCurrentCluster()?.server ?? '(unknown)';
  }

  #wrap(e: unknown, what: string): Error {
    if (e instanceof KubernetesClusterError || e instanceof InputError) {
      return e;
    }
    const status = statusCodeOf(e);
    const detail = statusMessageOf(e);
    const prefix = `Kubernetes cluster '${this.name}': ${what}`;
    if (status === undefined) {
      const reason = e instanceof Error ? e.message.split('\n')[0] : String(e);
      return new KubernetesClusterError(
        `${prefix} failed: cluster unreachable at ${
          this.#server
        } (${reason}); will retry`,
        { retryable: true, cause: e },
      );
    }
    if (status === 401) {
      return new KubernetesClusterError(
        `${prefix} failed: 401 Unauthorized, the service-account token was rejected (expired or revoked); will retry`,
        { statusCode: status, retryable: true },
      );
    }
    if (status === 403) {
      return new KubernetesClusterError(
        `${prefix} failed: 403 Forbidden, the service account lacks RBAC permission${
          detail ? ` (${detail})` : ''
        }; will retry`,
        { statusCode: status, retryable: true },
      );
    }
    if (status === 400 || status === 422) {
      return new InputError(
        `${prefix} was rejected by the API server (${status}): ${
          detail ?? 'invalid object'
        }`,
      );
    }
    return new KubernetesClusterError(
      `${prefix} failed: HTTP ${status}${detail ? ` (${detail})` : ''}`,
      {
        statusCode: status,
        retryable: status >= 500 || status === 409 || status === 429,
      },
    );
  }

  async #call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        fn(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new KubernetesClusterError(
                  `Kubernetes cluster '${this.name}': ${what} timed out after ${
                    this.#timeoutMs
                  } ms (cluster unreachable at ${this.#server}); will retry`,
                  { retryable: true },
                ),
              ),
            this.#timeoutMs,
          );
        }),
      ]);
    } catch (e) {
      throw this.#wrap(e, what);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Looks up a kind through API discovery; `undefined` when the cluster does not serve it. */
  async resourceInfo(
    apiVersion: string,
    kind: string,
  ): Promise<ResourceInfo | undefined> {
    return this.#call(`discovery of ${apiVersion} ${kind}`, async () => {
      try {
        const r = await this.#api.lookup(apiVersion, kind);
        return r ? { plural: r.name, namespaced: r.namespaced } : undefined;
      } catch (e) {
        if (statusCodeOf(e) === 404) {
          return undefined;
        }
        throw e;
      }
    });
  }

  /** Server-side apply (`application/apply-patch+yaml`, field manager `paved-provisioning`, force). */
  async apply(object: KubeObject): Promise<KubeObject> {
    const ref = `${object.kind} ${object.metadata.namespace}/${object.metadata.name}`;
    return this.#call(
      `apply of ${ref}`,
      () =>
        this.#api.patch(
          object,
          undefined,
          undefined,
          FIELD_MANAGER,
          true,
          PatchStrategy.ServerSideApply,
        ) as Promise<KubeObject>,
    );
  }

  /** Reads one object; `undefined` when it does not exist. */
  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    return this.#call(
      `read of ${ref.kind} ${ref.namespace}/${ref.name}`,
      async () => {
        try {
          return (await this.#api.read({
            apiVersion: ref.apiVersion,
            kind: ref.kind,
            metadata: { name: ref.name, namespace: ref.namespace },
          })) as KubeObject;
        } catch (e) {
          if (statusCodeOf(e) === 404) {
            return undefined;
          }
          throw e;
        }
      },
    );
  }

  /** Deletes one object (background propagation); succeeds when it is already gone. */
  async delete(ref: ObjectRef): Promise<void> {
    await this.#call(
      `delete of ${ref.kind} ${ref.namespace}/${ref.name}`,
      async () => {
        try {
          await this.#api.delete(
            {
              apiVersion: ref.apiVersion,
              kind: ref.kind,
              metadata: { name: ref.name, namespace: ref.namespace },
            },
            undefined,
            undefined,
            undefined,
            undefined,
            'Background',
          );
        } catch (e) {
          if (statusCodeOf(e) !== 404) {
            throw e;
          }
        }
      },
    );
  }

  /** Lists objects of a kind (all pages), with the list's resourceVersion to start a watch from. */
  async list(options: {
    apiVersion: string;
    kind: string;
    namespace?: string;
    labelSelector?: string;
  }): Promise<{ items: KubeObject[]; resourceVersion?: string }> {
    const where = options.namespace ? ` in ${options.namespace}` : '';
    return this.#call(
      `list of ${options.apiVersion} ${options.kind}${where}`,
      async () => {
        const items: KubeObject[] = [];
        let continueToken: string | undefined;
        let resourceVersion: string | undefined;
        do {
          const page = await this.#api.list(
            options.apiVersion,
            options.kind,
            options.namespace,
            undefined,
            undefined,
            undefined,
            undefined,
            options.labelSelector,
            500,
            continueToken,
          );
          items.push(...(page.items as KubeObject[]));
          continueToken = page.metadata?._continue || undefined;
          resourceVersion = page.metadata?.resourceVersion;
        } while (continueToken);
        return { items, resourceVersion };
      },
    );
  }

  /** Reads a Secret's data, base64-decoded; `undefined` when it does not exist. */
  async readSecret(
    namespace: string,
    name: string,
  ): Promise<Record<string, string> | undefined> {
    const secret = await this.get({
      apiVersion: 'v1',
      kind: 'Secret',
      namespace,
      name,
    });
    if (!secret) {
      return undefined;
    }
    const data = (secret.data ?? {}) as Record<string, string>;
    return Object.fromEntries(
      Object.entries(data).map(([k, v]) => [
        k,
        Buffer.from(v, 'base64').toString('utf8'),
      ]),
    );
  }

  /** API path of a namespaced collection, e.g. `/apis/database.example.org/v1alpha1/namespaces/default/postgresqlinstances`. */
  static collectionPath(apiVersion: string, namespace: string, plural: string) {
    const root = apiVersion.includes('/')
      ? `/apis/${apiVersion}`
      : `/api/${apiVersion}`;
    return `${root}/namespaces/${encodeURIComponent(namespace)}/${plural}`;
  }

  /**
   * Opens a watch stream; `onDone` is called once when it ends (with the error, or `null` when the server closed it).
   * Returns a function that stops the watch.
   */
  async watch(
    path: string,
    params: {
      resourceVersion?: string;
      labelSelector?: string;
      timeoutSeconds?: number;
    },
    onEvent: (event: WatchEvent) => void,
    onDone: (err: Error | null) => void,
  ): Promise<() => void> {
    const controller = await this.#watch.watch(
      path,
      {
        allowWatchBookmarks: true,
        resourceVersion: params.resourceVersion,
        labelSelector: params.labelSelector,
        timeoutSeconds: params.timeoutSeconds,
      },
      (type, object) => onEvent({ type, object }),
      err => onDone(err ? this.#wrap(err, `watch of ${path}`) : null),
    );
    return () => controller.abort();
  }
}
