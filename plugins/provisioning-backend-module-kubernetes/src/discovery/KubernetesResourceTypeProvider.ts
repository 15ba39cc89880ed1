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
import type { ResourceTypeDefinition } from '@paved/backstage-plugin-provisioning-common';
import type { ResourceTypeProvider } from '@paved/backstage-plugin-provisioning-node';
import type {
  KubeObject,
  KubernetesCluster,
} from '../cluster/KubernetesCluster';
import type { TypeOverride } from '../config';
import { DENIED_KINDS } from '../driver/typeConfig';
import { parametersSchemaOf } from './schema';

/** Annotations an offering may carry to shape its resource type. @internal */
export const DISCOVERY_ANNOTATIONS = {
  typeId: 'paved.dev/type-id',
  title: 'paved.dev/title',
  description: 'paved.dev/description',
  namespace: 'paved.dev/namespace',
  entityType: 'paved.dev/entity-type',
} as const;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

type Source = 'crossplane' | 'kratix';

function isObject(v: unknown): v is Record<string, any> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function typeIdOf(kind: string): string {
  return kind.toLowerCase().replace(/[^a-z0-9-]/g, '-');
}

function pickVersion(versions: unknown): Record<string, any> | undefined {
  if (!Array.isArray(versions)) {
    return undefined;
  }
  const served = versions.filter(v => isObject(v) && v.served !== false);
  return (
    served.find(v => v.referenceable === true) ??
    served.find(v => v.storage === true) ??
    served[0]
  );
}

interface ProviderOptions {
  /** Cluster to discover on. */
  cluster: KubernetesCluster;
  labelSelector: string;
  /** Namespace requests of discovered types are applied to. */
  namespace: string;
  overrides: Record<string, TypeOverride>;
  logger: LoggerService;
  /** Hand-written types (already validated) offered first. */
  configured?: ResourceTypeDefinition[];
  /** Whether to discover offerings at all. Default true. */
  discover?: boolean;
  /** How long the first `getResourceTypes` waits for the first discovery, in ms. Default 5000. */
  firstLoadWaitMs?: number;
}

/**
 * Turns offerings published by a cluster into resource types: Crossplane CompositeResourceDefinitions that
 * offer a claim (or define a namespaced composite), and Kratix Promises, selected by a label. Keeps the last
 * good snapshot per source while the cluster is unreachable; drops types whose offering is gone.
 * @internal
 */
export class KubernetesResourceTypeProvider implements ResourceTypeProvider {
  readonly id = 'kubernetes';
  readonly #cluster: KubernetesCluster;
  readonly #labelSelector: string;
  readonly #namespace: string;
  readonly #overrides: Record<string, TypeOverride>;
  readonly #logger: LoggerService;
  readonly #snapshot = new Map<Source, ResourceTypeDefinition[]>();
  readonly #configured: ResourceTypeDefinition[];
  readonly #discover: boolean;
  #loaded = false;
  #inflight?: Promise<void>;
  readonly #firstLoadWaitMs: number;

  static create(options: ProviderOptions) {
    return new KubernetesResourceTypeProvider(options);
  }

  private constructor(options: ProviderOptions) {
    this.#configured = options.configured ?? [];
    this.#discover = options.discover ?? true;
    this.#firstLoadWaitMs = options.firstLoadWaitMs ?? 5000;
    this.#cluster = options.cluster;
    this.#labelSelector = options.labelSelector;
    this.#namespace = options.namespace;
    this.#overrides = options.overrides;
    this.#logger = options.logger;
  }

  /** The types from the last refresh (refreshing first if there has been none). */
  async getResourceTypes(): Promise<ResourceTypeDefinition[]> {
    if (!this.#loaded && this.#discover) {
      // Never hold up the backend's startup on a slow cluster: the scheduled refresh fills in later.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.refresh(),
        new Promise(resolve => {
          timer = setTimeout(resolve, this.#firstLoadWaitMs);
        }),
      ]);
      clearTimeout(timer);
    }
    const all = [
      ...this.#configured,
      ...(this.#snapshot.get('crossplane') ?? []),
      ...(this.#snapshot.get('kratix') ?? []),
    ];
    const seen = new Set<string>();
    return all.filter(t => {
      if (seen.has(t.id)) {
        this.#logger.warn(
          `Discovered resource type id '${t.id}' is offered twice; keeping the first`,
        );
        return false;
      }
      seen.add(t.id);
      return true;
    });
  }

  /** Lists the offerings again; a source that cannot be listed keeps its previous types. */
  async refresh(): Promise<void> {
    if (!this.#discover) {
      return;
    }
    this.#inflight ??= this.#refreshAll().finally(() => {
      this.#inflight = undefined;
    });
    await this.#inflight;
  }

  async #refreshAll(): Promise<void> {
    await this.#refreshSource(
      'crossplane',
      'apiextensions.crossplane.io/v1',
      'CompositeResourceDefinition',
      o => this.#fromXrd(o),
    );
    await this.#refreshSource(
      'kratix',
      'platform.kratix.io/v1alpha1',
      'Promise',
      o => this.#fromPromise(o),
    );
    this.#loaded = true;
  }

  async #refreshSource(
    source: Source,
    apiVersion: string,
    kind: string,
    convert: (o: KubeObject) => ResourceTypeDefinition | undefined,
  ) {
    try {
      const info = await this.#cluster.resourceInfo(apiVersion, kind);
      if (!info) {
        this.#snapshot.set(source, []);
        return;
      }
      const { items } = await this.#cluster.list({
        apiVersion,
        kind,
        labelSelector: this.#labelSelector,
      });
      const types: ResourceTypeDefinition[] = [];
      for (const item of items) {
        try {
          const type = convert(item);
          if (type) {
            types.push(type);
          }
        } catch (e) {
          this.#logger.warn(
            `Skipping ${kind} ${item.metadata?.name}: ${(e as Error).message}`,
          );
        }
      }
      this.#snapshot.set(source, types);
    } catch (e) {
      this.#logger.warn(
        `Discovery of ${kind}s on cluster ${
          this.#cluster.name
        } failed; keeping ${
          this.#snapshot.get(source)?.length ?? 0
        } previously discovered types: ${(e as Error).message}`,
      );
    }
  }

  #build(options: {
    object: KubeObject;
    apiVersion: string;
    kind: string;
    openAPIV3Schema: unknown;
    fallbackTitle: string;
    fallbackDescription?: string;
    manifest: Record<string, unknown>;
    connectionSecretKeys?: string[];
  }): ResourceTypeDefinition | undefined {
    const annotations = options.object.metadata.annotations ?? {};
    const id =
      annotations[DISCOVERY_ANNOTATIONS.typeId] ?? typeIdOf(options.kind);
    if (!DNS_LABEL.test(id)) {
      throw new Error(`type id '${id}' is not a DNS label`);
    }
    if (DENIED_KINDS.has(options.kind)) {
      throw new Error(`kind ${options.kind} is not allowed`);
    }
    const namespace =
      annotations[DISCOVERY_ANNOTATIONS.namespace] ?? this.#namespace;
    const override = this.#overrides[id] ?? {};
    const schemaDescription = isObject(options.openAPIV3Schema)
      ? (options.openAPIV3Schema.description as string | undefined)
      : undefined;
    return {
      id,
      title:
        override.title ??
        annotations[DISCOVERY_ANNOTATIONS.title] ??
        options.fallbackTitle,
      description:
        override.description ??
        annotations[DISCOVERY_ANNOTATIONS.description] ??
        options.fallbackDescription ??
        schemaDescription ??
        `${options.kind} (${options.apiVersion}) on cluster ${
          this.#cluster.name
        }`,
      driver: 'kubernetes',
      parameters: parametersSchemaOf(options.openAPIV3Schema),
      pricing: override.pricing ?? {},
      policy: {
        approvalRequiredForSizes:
          override.policy?.approvalRequiredForSizes ?? [],
        ...(override.policy?.quotaPerOwner !== undefined
          ? { quotaPerOwner: override.policy.quotaPerOwner }
          : {}),
      },
      repairDrift: override.repairDrift ?? false,
      entityType:
        override.entityType ??
        annotations[DISCOVERY_ANNOTATIONS.entityType] ??
        'kubernetes-resource',
      driverConfig: {
        cluster: this.#cluster.name,
        namespace,
        apiVersion: options.apiVersion,
        kind: options.kind,
        manifest: options.manifest,
        parametersAsSpec: true,
        ...(options.connectionSecretKeys
          ? { connectionSecret: { keys: options.connectionSecretKeys } }
          : {}),
        discoveredFrom: `${options.object.kind}/${options.object.metadata.name}`,
      },
    };
  }

  #fromXrd(xrd: KubeObject): ResourceTypeDefinition | undefined {
    const spec = xrd.spec as Record<string, any> | undefined;
    if (!isObject(spec) || typeof spec.group !== 'string') {
      return undefined;
    }
    const version = pickVersion(spec.versions);
    if (!version) {
      return undefined;
    }
    const apiVersion = `${spec.group}/${version.name}`;
    const claimKind = spec.claimNames?.kind;
    const namespacedXr =
      spec.scope === 'Namespaced' ? spec.names?.kind : undefined;
    const kind: unknown = claimKind ?? namespacedXr;
    if (typeof kind !== 'string') {
      return undefined; // cluster-scoped composite without a claim: not offered
    }
    const secretKeys = Array.isArray(spec.connectionSecretKeys)
      ? (spec.connectionSecretKeys as unknown[]).filter(
          (k): k is string => typeof k === 'string',
        )
      : undefined;
    return this.#build({
      object: xrd,
      apiVersion,
      kind,
      openAPIV3Schema: version.schema?.openAPIV3Schema,
      fallbackTitle: kind,
      manifest: claimKind
        ? {
            spec: {
              writeConnectionSecretToRef: { name: '${{ resource.name }}-conn' },
            },
          }
        : {},
      connectionSecretKeys:
        claimKind && secretKeys?.length ? secretKeys : undefined,
    });
  }

  #fromPromise(promise: KubeObject): ResourceTypeDefinition | undefined {
    const api = (promise.spec as Record<string, any> | undefined)?.api;
    const crd = api?.spec;
    if (
      !isObject(crd) ||
      typeof crd.group !== 'string' ||
      typeof crd.names?.kind !== 'string'
    ) {
      return undefined;
    }
    if (crd.scope && crd.scope !== 'Namespaced') {
      throw new Error('the Promise API is cluster-scoped');
    }
    const version = pickVersion(crd.versions);
    if (!version) {
      return undefined;
    }
    const annotations = promise.metadata.annotations ?? {};
    return this.#build({
      object: {
        ...promise,
        metadata: {
          ...promise.metadata,
          annotations: {
            [DISCOVERY_ANNOTATIONS.typeId]: promise.metadata.name,
            ...annotations,
          },
        },
      },
      apiVersion: `${crd.group}/${version.name}`,
      kind: crd.names.kind,
      openAPIV3Schema: version.schema?.openAPIV3Schema,
      fallbackTitle: promise.metadata.name,
      fallbackDescription: (promise.spec as any)?.description,
      manifest: {},
    });
  }
}
