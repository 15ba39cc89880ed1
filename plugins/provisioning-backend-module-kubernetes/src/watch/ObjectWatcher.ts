/*
 * Copyright 2026 The Paved Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  KubeObject,
  KubernetesCluster,
  WatchEvent,
} from '../cluster/KubernetesCluster';

/** Label on every object the driver applies: the resource id. @internal */
export const LABEL_RESOURCE_ID = 'paved.dev/resource-id';

interface Target {
  key: string;
  cluster: KubernetesCluster;
  apiVersion: string;
  kind: string;
  namespace: string;
  /** True while a watch stream is open on top of a complete list: only then is the cache trusted. */
  synced: boolean;
  resourceVersion?: string;
  objects: Map<string, KubeObject>;
  stopStream?: () => void;
  running: boolean;
}

/** Statistics for tests and logs. @internal */
export interface WatcherStats {
  lists: number;
  watches: number;
  relistsAfterGone: number;
}

/**
 * Keeps a per-replica cache of the objects the driver manages, fed by list + watch (with bookmarks; on
 * `410 Gone` it relists), per (cluster, apiVersion, kind, namespace). The cache is only an optimisation:
 * `lookup` answers only while the watch is healthy and only for objects it has seen; everything else falls
 * back to a GET in the driver.
 * @internal
 */
export class ObjectWatcher {
  readonly #logger: LoggerService;
  readonly #targets = new Map<string, Target>();
  readonly #minBackoffMs: number;
  readonly #maxBackoffMs: number;
  readonly #watchTimeoutSeconds: number;
  #stopped = false;
  readonly stats: WatcherStats = { lists: 0, watches: 0, relistsAfterGone: 0 };

  static create(options: {
    logger: LoggerService;
    minBackoffMs?: number;
    maxBackoffMs?: number;
    watchTimeoutSeconds?: number;
  }) {
    return new ObjectWatcher(options);
  }

  private constructor(options: {
    logger: LoggerService;
    minBackoffMs?: number;
    maxBackoffMs?: number;
    watchTimeoutSeconds?: number;
  }) {
    this.#logger = options.logger;
    this.#minBackoffMs = options.minBackoffMs ?? 1000;
    this.#maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.#watchTimeoutSeconds = options.watchTimeoutSeconds ?? 300;
  }

  static #key(
    cluster: string,
    apiVersion: string,
    kind: string,
    namespace: string,
  ) {
    return `${cluster}|${apiVersion}|${kind}|${namespace}`;
  }

  /** Starts watching a collection if not already watched. */
  ensure(
    cluster: KubernetesCluster,
    apiVersion: string,
    kind: string,
    namespace: string,
  ): void {
    if (this.#stopped) {
      return;
    }
    const key = ObjectWatcher.#key(cluster.name, apiVersion, kind, namespace);
    if (this.#targets.has(key)) {
      return;
    }
    const target: Target = {
      key,
      cluster,
      apiVersion,
      kind,
      namespace,
      synced: false,
      objects: new Map(),
      running: true,
    };
    this.#targets.set(key, target);
    void this.#run(target);
  }

  /**
   * The cached object, or `undefined` when the cache cannot answer (cold, reconnecting, or not seen: the
   * caller must GET).
   */
  lookup(
    cluster: string,
    apiVersion: string,
    kind: string,
    namespace: string,
    name: string,
  ): KubeObject | undefined {
    const target = this.#targets.get(
      ObjectWatcher.#key(cluster, apiVersion, kind, namespace),
    );
    if (!target?.synced) {
      return undefined;
    }
    return target.objects.get(name);
  }

  /** Records an object the driver just read or applied, so the cache does not lag behind our own writes. */
  remember(cluster: string, object: KubeObject): void {
    const target = this.#targets.get(
      ObjectWatcher.#key(
        cluster,
        object.apiVersion!,
        object.kind!,
        object.metadata.namespace!,
      ),
    );
    target?.objects.set(object.metadata.name, object);
  }

  /** Forgets an object (after delete). */
  forget(
    cluster: string,
    apiVersion: string,
    kind: string,
    namespace: string,
    name: string,
  ) {
    this.#targets
      .get(ObjectWatcher.#key(cluster, apiVersion, kind, namespace))
      ?.objects.delete(name);
  }

  /** Relists every watched collection (the periodic safety net); failures are logged, not thrown. */
  async resync(): Promise<void> {
    for (const target of this.#targets.values()) {
      try {
        await this.#list(target);
      } catch (e) {
        target.synced = false;
        this.#logger.warn(
          `Resync of ${target.kind} in ${target.cluster.name}/${
            target.namespace
          } failed: ${(e as Error).message}`,
        );
      }
    }
  }

  /** Stops all watches. */
  stop(): void {
    this.#stopped = true;
    for (const target of this.#targets.values()) {
      target.running = false;
      target.synced = false;
      target.stopStream?.();
    }
  }

  async #list(target: Target) {
    this.stats.lists += 1;
    const { items, resourceVersion } = await target.cluster.list({
      apiVersion: target.apiVersion,
      kind: target.kind,
      namespace: target.namespace,
      labelSelector: LABEL_RESOURCE_ID,
    });
    target.objects = new Map(items.map(o => [o.metadata.name, o]));
    target.resourceVersion = resourceVersion;
  }

  async #sleep(ms: number) {
    await new Promise(resolve => setTimeout(resolve, ms).unref?.());
  }

  async #run(target: Target) {
    let backoff = this.#minBackoffMs;
    while (target.running && !this.#stopped) {
      try {
        if (!target.resourceVersion) {
          await this.#list(target);
        }
        const info = await target.cluster.resourceInfo(
          target.apiVersion,
          target.kind,
        );
        if (!info) {
          throw new Error(
            `${target.apiVersion} ${target.kind} is not served by the cluster`,
          );
        }
        const result = await this.#watchOnce(
          target,
          KubernetesCluster.collectionPath(
            target.apiVersion,
            target.namespace,
            info.plural,
          ),
        );
        target.synced = false;
        if (result === 'gone') {
          this.stats.relistsAfterGone += 1;
          this.#logger.debug(
            `Watch of ${target.kind} in ${target.namespace} expired (410 Gone); relisting`,
          );
          target.resourceVersion = undefined;
          backoff = this.#minBackoffMs;
        } else if (result === 'closed') {
          backoff = this.#minBackoffMs;
        } else {
          throw result;
        }
      } catch (e) {
        target.synced = false;
        target.resourceVersion = undefined;
        if (!target.running || this.#stopped) {
          return;
        }
        this.#logger.warn(
          `Watch of ${target.kind} in cluster ${target.cluster.name}/${
            target.namespace
          } failed, retrying in ${backoff} ms: ${(e as Error).message}`,
        );
        await this.#sleep(backoff);
        backoff = Math.min(backoff * 2, this.#maxBackoffMs);
      }
    }
  }

  #watchOnce(target: Target, path: string): Promise<'gone' | 'closed' | Error> {
    this.stats.watches += 1;
    return new Promise(resolve => {
      let gone = false;
      let settled = false;
      const finish = (value: 'gone' | 'closed' | Error) => {
        if (!settled) {
          settled = true;
          target.stopStream = undefined;
          resolve(value);
        }
      };
      const onEvent = (event: WatchEvent) => {
        const obj = event.object as KubeObject | undefined;
        switch (event.type) {
          case 'ADDED':
          case 'MODIFIED':
            if (obj?.metadata?.name) {
              target.objects.set(obj.metadata.name, obj);
              target.resourceVersion =
                obj.metadata.resourceVersion ?? target.resourceVersion;
            }
            break;
          case 'DELETED':
            if (obj?.metadata?.name) {
              target.objects.delete(obj.metadata.name);
              target.resourceVersion =
                obj.metadata.resourceVersion ?? target.resourceVersion;
            }
            break;
          case 'BOOKMARK':
            target.resourceVersion =
              obj?.metadata?.resourceVersion ?? target.resourceVersion;
            break;
          case 'ERROR':
            target.synced = false;
            if ((event.object as { code?: number })?.code === 410) {
              gone = true;
            }
            target.stopStream?.();
            finish(
              gone
                ? 'gone'
                : new Error(
                    `watch error: ${
                      (event.object as { message?: string })?.message ??
                      'unknown'
                    }`,
                  ),
            );
            break;
          default:
            break;
        }
      };
      target.cluster
        .watch(
          path,
          {
            resourceVersion: target.resourceVersion,
            labelSelector: LABEL_RESOURCE_ID,
            timeoutSeconds: this.#watchTimeoutSeconds,
          },
          onEvent,
          err => {
            if (gone) {
              finish('gone');
            } else if (
              err &&
              (err as { statusCode?: number }).statusCode === 410
            ) {
              finish('gone');
            } else {
              finish(err ?? 'closed');
            }
          },
        )
        .then(stop => {
          if (settled) {
            stop();
            return;
          }
          target.stopStream = stop;
          if (!target.running) {
            stop();
            return;
          }
          target.synced = true;
        })
        .catch(e => finish(e as Error));
    });
  }
}
