/*
 * Copyright 2026 The Paved Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 */
import { InputError } from '@backstage/errors';
import type {
  DriverContext,
  DriverResource,
  DriverNamingRules,
  DriverPending,
  DriverResult,
  ObservedState,
  ProvisioningDriver,
  ResourceUtilisation,
} from '@paved/backstage-plugin-provisioning-node';
import type { ResourceTypeDefinition } from '@paved/backstage-plugin-provisioning-common';
import Ajv, { ValidateFunction } from 'ajv';
import {
  KubeObject,
  KubernetesCluster,
  KubernetesClusterError,
  ObjectRef,
} from '../cluster/KubernetesCluster';
import { LABEL_RESOURCE_ID, ObjectWatcher } from '../watch/ObjectWatcher';
import { parseKubernetesTypeConfig, KubernetesTypeConfig } from './typeConfig';
import { renderTemplate, TemplateContext } from './template';
import { readPath, verdictOf } from './status';

/** Annotation with the owning group's entity ref on applied objects. @internal */
export const ANNOTATION_OWNER = 'paved.dev/owner';
/** Annotation with the resource type id on applied objects. @internal */
export const ANNOTATION_TYPE = 'paved.dev/resource-type';

/** Options of {@link KubernetesDriver.create}. @internal */
export interface KubernetesDriverOptions {
  clusters: KubernetesCluster[];
  watcher?: ObjectWatcher;
  /** How long `delete` waits for the object to disappear (finalizers), in ms. */
  deleteTimeoutMs: number;
  /** Interval between checks while waiting for deletion, in ms. */
  deletePollIntervalMs: number;
  /**
   * Whether create/update wait until the control plane reports the object ready (bounded by the operation's
   * abort signal), so that outputs and connection secrets are returned. Default true.
   */
  waitForReady?: boolean;
  /** Interval between checks while waiting for readiness, in ms. Default 2000. */
  readyPollIntervalMs?: number;
}

function labelValue(value: string): string {
  const cleaned = value
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  return cleaned;
}

function ownerName(ref: string): string {
  const afterKind = ref.includes(':') ? ref.slice(ref.indexOf(':') + 1) : ref;
  return afterKind.includes('/')
    ? afterKind.slice(afterKind.indexOf('/') + 1)
    : afterKind;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/**
 * The `kubernetes` driver: fulfils a resource type by server-side applying a namespaced custom resource
 * (e.g. a Crossplane claim or a Kratix request) and reading back what the control plane reports.
 * @internal
 */
export class KubernetesDriver implements ProvisioningDriver {
  readonly id = 'kubernetes';
  readonly #clusters: Map<string, KubernetesCluster>;
  readonly #watcher?: ObjectWatcher;
  readonly #deleteTimeoutMs: number;
  readonly #deletePollIntervalMs: number;
  readonly #waitForReady: boolean;
  readonly #readyPollIntervalMs: number;
  readonly #ajv = new Ajv({
    strict: false,
    allErrors: true,
    useDefaults: false,
  });
  readonly #validators = new WeakMap<object, ValidateFunction>();

  static create(options: KubernetesDriverOptions) {
    return new KubernetesDriver(options);
  }

  private constructor(options: KubernetesDriverOptions) {
    this.#clusters = new Map(options.clusters.map(c => [c.name, c]));
    this.#watcher = options.watcher;
    this.#deleteTimeoutMs = options.deleteTimeoutMs;
    this.#deletePollIntervalMs = options.deletePollIntervalMs;
    this.#waitForReady = options.waitForReady ?? true;
    this.#readyPollIntervalMs = options.readyPollIntervalMs ?? 2000;
  }

  #config(type: ResourceTypeDefinition): KubernetesTypeConfig {
    return parseKubernetesTypeConfig(type, [...this.#clusters.keys()]);
  }

  #cluster(config: KubernetesTypeConfig): KubernetesCluster {
    return this.#clusters.get(config.cluster)!;
  }

  /**
   * Refuses types whose manifest would escape the namespace, set a cluster-scoped or denied kind, or use an
   * unsupported placeholder.
   * @throws InputError describing the problem.
   */
  validateType(type: ResourceTypeDefinition): void {
    this.#config(type);
    if (!isObject(type.parameters)) {
      throw new InputError(
        `Resource type '${type.id}': parameters must be a JSON Schema object`,
      );
    }
    try {
      this.#ajv.compile(type.parameters);
    } catch (e) {
      throw new InputError(
        `Resource type '${type.id}': invalid parameters schema: ${
          (e as Error).message
        }`,
      );
    }
  }

  #validateParameters(resource: DriverResource) {
    const schema = resource.type.parameters;
    let validate = this.#validators.get(schema);
    if (!validate) {
      validate = this.#ajv.compile(schema);
      this.#validators.set(schema, validate);
    }
    if (!validate(resource.parameters)) {
      const msg = this.#ajv.errorsText(validate.errors, {
        dataVar: 'parameters',
      });
      throw new InputError(
        `Invalid parameters for ${resource.type.id}: ${msg}`,
      );
    }
  }

  #ref(resource: DriverResource, config: KubernetesTypeConfig): ObjectRef {
    return {
      apiVersion: config.apiVersion,
      kind: config.kind,
      namespace: config.namespace,
      name: resource.name,
    };
  }

  #templateContext(
    resource: DriverResource,
    config: KubernetesTypeConfig,
  ): TemplateContext {
    return {
      parameters: resource.parameters,
      resource: {
        name: resource.name,
        id: resource.id,
        owner: resource.owner,
        ownerName: ownerName(resource.owner),
      },
      namespace: config.namespace,
    };
  }

  /** Builds the object to apply: rendered template, identity and links back to the resource. @internal */
  buildManifest(resource: DriverResource): KubeObject {
    const config = this.#config(resource.type);
    const rendered = renderTemplate(
      config.manifest,
      this.#templateContext(resource, config),
    ) as Record<string, unknown>;
    const metadata = (
      isObject(rendered.metadata) ? rendered.metadata : {}
    ) as Record<string, unknown>;
    const labels = isObject(metadata.labels) ? metadata.labels : {};
    const annotations = isObject(metadata.annotations)
      ? metadata.annotations
      : {};
    let spec = rendered.spec;
    if (config.parametersAsSpec) {
      spec = {
        ...structuredClone(resource.parameters),
        ...(isObject(spec) ? spec : {}),
      };
    }
    spec = applyVersionSettings(spec, resource);
    const object: KubeObject = {
      ...rendered,
      apiVersion: config.apiVersion,
      kind: config.kind,
      metadata: {
        labels: {
          ...Object.fromEntries(
            Object.entries(labels).map(([k, v]) => [k, String(v)]),
          ),
          [LABEL_RESOURCE_ID]: resource.id,
          'app.kubernetes.io/managed-by': 'paved-provisioning',
          'paved.dev/owner': labelValue(ownerName(resource.owner)),
        },
        annotations: {
          ...Object.fromEntries(
            Object.entries(annotations).map(([k, v]) => [k, String(v)]),
          ),
          [LABEL_RESOURCE_ID]: resource.id,
          [ANNOTATION_OWNER]: resource.owner,
          [ANNOTATION_TYPE]: resource.type.id,
        },
        name: resource.name,
        namespace: config.namespace,
      },
    };
    if (spec !== undefined) {
      object.spec = spec;
    }
    delete (object as Record<string, unknown>).status;
    return object;
  }

  async #assertNamespaced(
    cluster: KubernetesCluster,
    config: KubernetesTypeConfig,
  ) {
    const info = await cluster.resourceInfo(config.apiVersion, config.kind);
    if (!info) {
      throw new InputError(
        `Kubernetes cluster '${cluster.name}' does not serve ${config.apiVersion} ${config.kind} (is the CRD, XRD or Promise installed?)`,
      );
    }
    if (!info.namespaced) {
      throw new InputError(
        `${config.apiVersion} ${config.kind} is cluster-scoped on cluster '${cluster.name}'; only namespaced kinds are allowed`,
      );
    }
  }

  async #apply(
    resource: DriverResource,
    ctx: DriverContext,
  ): Promise<DriverResult | DriverPending> {
    this.#validateParameters(resource);
    const config = this.#config(resource.type);
    const cluster = this.#cluster(config);
    await this.#assertNamespaced(cluster, config);
    ctx.signal.throwIfAborted();
    const ref = this.#ref(resource, config);
    const existing = await cluster.get(ref);
    const existingId = existing?.metadata.labels?.[LABEL_RESOURCE_ID];
    if (existing && existingId !== resource.id) {
      throw new InputError(
        `${config.kind} ${config.namespace}/${
          resource.name
        } already exists on cluster '${
          cluster.name
        }' and is not managed for this resource (${LABEL_RESOURCE_ID}=${
          existingId ?? 'none'
        })`,
      );
    }
    const manifest = this.buildManifest(resource);
    const applied = await cluster.apply(manifest);
    ctx.logger.info(
      `Applied ${config.kind} ${config.namespace}/${resource.name} on cluster ${cluster.name}`,
      {
        resourceId: resource.id,
      },
    );
    if (this.#watcher) {
      this.#watcher.ensure(
        cluster,
        config.apiVersion,
        config.kind,
        config.namespace,
      );
      this.#watcher.remember(cluster.name, applied);
    }
    let read: {
      outputs: Record<string, string>;
      secrets?: Record<string, string>;
    } = { outputs: {} };
    try {
      read = await this.#read(applied, manifest, config, cluster, resource);
    } catch (e) {
      // Outputs are read again by observe; a failure here must not fail an apply that succeeded.
      ctx.logger.warn(
        `Could not read outputs of ${config.kind} ${config.namespace}/${
          resource.name
        } yet: ${(e as Error).message}`,
      );
    }
    if (!this.#waitForReady) {
      return {
        outputs: read.outputs,
        ...(read.secrets ? { secrets: read.secrets } : {}),
        conditions: verdictOf(applied).conditions,
      };
    }
    return this.#readyOrPending(resource, ctx);
  }

  /**
   * Looks once at what the control plane reports after an apply: the result when the object is ready (or
   * exists but drifted), otherwise `pending` so that the reconciler calls `apply` again later instead of this
   * driver waiting in a loop.
   */
  async #readyOrPending(
    resource: DriverResource,
    ctx: DriverContext,
  ): Promise<DriverResult | DriverPending> {
    const state = await this.observe(resource, ctx);
    if (state.status === 'ready') {
      return {
        outputs: state.outputs,
        ...(state.secrets ? { secrets: state.secrets } : {}),
        conditions: state.conditions,
      };
    }
    if (state.status === 'drifted') {
      // It exists; the drift check reports what the cluster says.
      return { outputs: state.outputs ?? {}, conditions: state.conditions };
    }
    const verb =
      state.status === 'failed' ? 'reports a failure' : 'is still provisioning';
    return {
      status: 'pending',
      retryAfterMs: this.#readyPollIntervalMs,
      reason: `The control plane ${verb}: ${state.reason}`,
      ...('conditions' in state && state.conditions
        ? { conditions: state.conditions }
        : {}),
    };
  }

  #connectionSecretName(
    object: KubeObject,
    config: KubernetesTypeConfig,
    resource: DriverResource | undefined,
  ): string | undefined {
    if (config.connectionSecret?.name && resource) {
      const name = renderTemplate(
        config.connectionSecret.name,
        this.#templateContext(resource, config),
      );
      return typeof name === 'string' && name ? name : undefined;
    }
    const ref = (object.spec as any)?.writeConnectionSecretToRef;
    return typeof ref?.name === 'string' ? ref.name : undefined;
  }

  async #read(
    object: KubeObject,
    declared: KubeObject,
    config: KubernetesTypeConfig,
    cluster: KubernetesCluster,
    resource?: DriverResource,
  ): Promise<{
    outputs: Record<string, string>;
    secrets?: Record<string, string>;
    secretName?: string;
    secretMissing: boolean;
  }> {
    const outputs: Record<string, string> = {};
    for (const [name, path] of Object.entries(config.outputs)) {
      const value = readPath(object, path);
      if (value !== undefined) {
        outputs[name] = value;
      }
    }
    const secretName = this.#connectionSecretName(declared, config, resource);
    if (!secretName) {
      return { outputs, secretMissing: false };
    }
    const data = await cluster.readSecret(config.namespace, secretName);
    if (!data) {
      return { outputs, secretName, secretMissing: true };
    }
    const keys = config.connectionSecret?.keys;
    const secrets = keys
      ? Object.fromEntries(
          Object.entries(data).filter(([k]) => keys.includes(k)),
        )
      : data;
    return { outputs, secrets, secretName, secretMissing: false };
  }

  /**
   * Server-side applies the custom resource (force) with the declared parameters, then answers its outputs when
   * the control plane reports it ready, or `pending` (check again in `readyPollIntervalMs`) while it converges.
   */
  async apply(
    resource: DriverResource,
    ctx: DriverContext,
  ): Promise<DriverResult | DriverPending> {
    return this.#apply(resource, ctx);
  }

  /** Naming rules: Kubernetes object names are DNS labels of at most 63 characters. */
  readonly naming: DriverNamingRules = { label: 'Kubernetes', maxLength: 63 };

  /**
   * Reads the object (from the watch cache when it is warm, otherwise with a GET) and maps its status.
   * @throws KubernetesClusterError (retryable) when the cluster cannot be reached or rejects the token.
   */
  async observe(
    resource: DriverResource,
    _ctx: DriverContext,
  ): Promise<ObservedState> {
    const config = this.#config(resource.type);
    const cluster = this.#cluster(config);
    const ref = this.#ref(resource, config);
    let object: KubeObject | undefined;
    if (this.#watcher) {
      this.#watcher.ensure(
        cluster,
        config.apiVersion,
        config.kind,
        config.namespace,
      );
      object = this.#watcher.lookup(
        cluster.name,
        ref.apiVersion,
        ref.kind,
        ref.namespace,
        ref.name,
      );
    }
    if (!object) {
      object = await cluster.get(ref);
    }
    if (!object) {
      return {
        status: 'missing',
        reason: `${config.kind} ${config.namespace}/${resource.name} not found on cluster '${cluster.name}'`,
      };
    }
    const ownerId = object.metadata.labels?.[LABEL_RESOURCE_ID];
    if (ownerId !== resource.id) {
      return {
        status: 'missing',
        reason: `${config.kind} ${config.namespace}/${
          resource.name
        } on cluster '${cluster.name}' belongs to another resource (${
          ownerId ?? 'unlabelled'
        })`,
      };
    }
    const verdict = verdictOf(object);
    if (verdict.status !== 'ready') {
      return verdict.status === 'drifted'
        ? {
            ...verdict,
            outputs: (
              await this.#read(object, object, config, cluster, resource)
            ).outputs,
          }
        : verdict;
    }
    const read = await this.#read(object, object, config, cluster, resource);
    if (read.secretMissing) {
      return {
        status: 'pending',
        reason: `waiting for connection Secret ${config.namespace}/${read.secretName}`,
        conditions: verdict.conditions,
      };
    }
    const utilisation = utilisationOf(object, config);
    return {
      status: 'ready',
      outputs: read.outputs,
      ...(read.secrets ? { secrets: read.secrets } : {}),
      conditions: verdict.conditions,
      ...(utilisation ? { utilisation } : {}),
    };
  }

  /**
   * Deletes the object and waits until it is gone (finalizers respected).
   * @throws KubernetesClusterError (retryable) when it is still present after the delete timeout.
   */
  async delete(resource: DriverResource, ctx: DriverContext): Promise<void> {
    const config = this.#config(resource.type);
    const cluster = this.#cluster(config);
    const ref = this.#ref(resource, config);
    const existing = await cluster.get(ref);
    if (!existing) {
      return;
    }
    if (existing.metadata.labels?.[LABEL_RESOURCE_ID] !== resource.id) {
      ctx.logger.warn(
        `Not deleting ${config.kind} ${config.namespace}/${resource.name}: it belongs to another resource`,
        { resourceId: resource.id },
      );
      return;
    }
    if (!existing.metadata.deletionTimestamp) {
      await cluster.delete(ref);
    }
    const deadline = Date.now() + this.#deleteTimeoutMs;
    for (;;) {
      const current = await cluster.get(ref);
      if (!current || current.metadata.uid !== existing.metadata.uid) {
        this.#watcher?.forget(
          cluster.name,
          ref.apiVersion,
          ref.kind,
          ref.namespace,
          ref.name,
        );
        ctx.logger.info(
          `Deleted ${config.kind} ${config.namespace}/${resource.name} on cluster ${cluster.name}`,
          {
            resourceId: resource.id,
          },
        );
        return;
      }
      if (Date.now() >= deadline || ctx.signal.aborted) {
        const finalizers = current.metadata.finalizers ?? [];
        const waiting = finalizers.length
          ? `, waiting for finalizers: ${finalizers.join(', ')}`
          : '';
        throw new KubernetesClusterError(
          `${config.kind} ${config.namespace}/${
            resource.name
          } is still present on cluster '${cluster.name}' after ${
            this.#deleteTimeoutMs
          } ms${waiting}; will retry`,
          { retryable: true },
        );
      }
      await new Promise(resolve =>
        setTimeout(resolve, this.#deletePollIntervalMs),
      );
    }
  }
}

/** Defaults under `base`: objects merged key by key, everything else from `base` when it has the key. */
function mergeDefaults(defaults: unknown, base: unknown): unknown {
  if (base === undefined) return structuredClone(defaults);
  if (!isObject(defaults) || !isObject(base)) return base;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(defaults as Record<string, unknown>)) {
    out[k] = mergeDefaults(v, (base as Record<string, unknown>)[k]);
  }
  return out;
}

/**
 * The type version's settings on the spec: `specDefaults` (an object) under the rendered spec (what the
 * manifest renders wins), and `compositionRevision` (a Crossplane CompositionRevision name) as
 * `spec.compositionRevisionRef.name` with `compositionUpdatePolicy: Manual`, so a claim moves to a new
 * composition revision only when a rollout reaches it.
 */
function applyVersionSettings(spec: unknown, resource: DriverResource): unknown {
  const settings = resource.settings ?? {};
  let out = spec;
  if (settings.specDefaults !== undefined) {
    if (!isObject(settings.specDefaults)) {
      throw new InputError(
        `Invalid setting specDefaults of ${resource.type.id} ${resource.typeVersion ?? ''}: must be an object`,
      );
    }
    out = mergeDefaults(settings.specDefaults, out);
  }
  const revision = settings.compositionRevision;
  if (revision !== undefined) {
    if (typeof revision !== 'string' || !/^[a-z0-9]([-.a-z0-9]{0,251}[a-z0-9])?$/.test(revision)) {
      throw new InputError(
        `Invalid setting compositionRevision of ${resource.type.id} ${resource.typeVersion ?? ''}: must be a Kubernetes object name`,
      );
    }
    out = {
      ...(isObject(out) ? (out as Record<string, unknown>) : {}),
      compositionRevisionRef: { name: revision },
      compositionUpdatePolicy: 'Manual',
    };
  }
  return out;
}

/**
 * The utilisation the object's status reports, through the type's `utilisation` paths (numbers only; a figure
 * whose path holds no number is left out); undefined when it reports none.
 */
function utilisationOf(object: unknown, config: KubernetesTypeConfig): ResourceUtilisation | undefined {
  const figure = (name: keyof KubernetesTypeConfig['utilisation']) => {
    const path = config.utilisation[name];
    const raw = path === undefined ? undefined : readPath(object, path);
    const value = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
    return Number.isFinite(value) ? value : undefined;
  };
  const connections = figure('connections');
  const connectionLimit = figure('connectionLimit');
  const storageBytes = figure('storageBytes');
  const memoryBytes = figure('memoryBytes');
  const memoryLimitBytes = figure('memoryLimitBytes');
  const keys = figure('keys');
  const u: ResourceUtilisation = {
    ...(connections !== undefined && connectionLimit !== undefined
      ? { connections: { used: connections, limit: connectionLimit } }
      : {}),
    ...(storageBytes !== undefined ? { storageBytes } : {}),
    ...(memoryBytes !== undefined && memoryLimitBytes !== undefined
      ? { memory: { usedBytes: memoryBytes, limitBytes: memoryLimitBytes } }
      : {}),
    ...(keys !== undefined ? { keys } : {}),
  };
  return Object.keys(u).length > 0 ? u : undefined;
}
