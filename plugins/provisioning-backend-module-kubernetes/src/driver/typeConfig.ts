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
import type { ResourceTypeDefinition } from '@paved/backstage-plugin-provisioning-common';
import { hasPlaceholder, validateTemplate } from './template';

/**
 * The `driverConfig` of a resource type fulfilled by the `kubernetes` driver.
 * @internal
 */
export interface KubernetesTypeConfig {
  /** Name of a configured cluster. */
  cluster: string;
  /** Namespace every object of this type is applied to. */
  namespace: string;
  /** e.g. `database.example.org/v1alpha1`. */
  apiVersion: string;
  /** e.g. `PostgreSQLInstance`; must be a namespaced kind. */
  kind: string;
  /** Manifest template (see template.ts); metadata.name/namespace are always set by the driver. */
  manifest: Record<string, unknown>;
  /** When true, `spec` starts from all parameters and the template's `spec` is merged over it. */
  parametersAsSpec: boolean;
  /** Outputs: name -> dotted path into the object, starting with `status.` (e.g. `status.address`). */
  outputs: Record<string, string>;
  /**
   * Connection Secret to read secrets from (all keys, or `keys`); the name is a template, and defaults to
   * `spec.writeConnectionSecretToRef.name` of the rendered manifest (Crossplane).
   */
  connectionSecret?: { name?: string; keys?: string[] };
  /**
   * Utilisation figures the object's status reports (rightsizing): figure -> dotted path under `status.` of a
   * number. Figures without a path, or whose path holds no number, are not reported. Default: none.
   */
  utilisation: Partial<Record<(typeof UTILISATION_FIGURES)[number], string>>;
}

/** The utilisation figures a type may map to status paths (connections; bytes; keys). @internal */
export const UTILISATION_FIGURES = [
  'connections',
  'connectionLimit',
  'storageBytes',
  'memoryBytes',
  'memoryLimitBytes',
  'keys',
] as const;

/**
 * Kinds that are cluster-scoped or grant cluster-wide power; refused even before discovery can tell.
 * @internal
 */
export const DENIED_KINDS: ReadonlySet<string> = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'ClusterRole',
  'ClusterRoleBinding',
  'Role',
  'RoleBinding',
  'CustomResourceDefinition',
  'APIService',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding',
  'StorageClass',
  'PriorityClass',
  'RuntimeClass',
  'IngressClass',
  'CSIDriver',
  'CSINode',
  'VolumeAttachment',
  'CertificateSigningRequest',
  'ClusterIssuer',
  'CompositeResourceDefinition',
  'Composition',
  'CompositionRevision',
  'Provider',
  'ProviderConfig',
  'ProviderRevision',
  'Configuration',
  'Function',
  'Promise',
  'PromiseRelease',
  'Destination',
  'GitStateStore',
  'BucketStateStore',
  'List',
]);

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const API_VERSION =
  /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?v[0-9]+((alpha|beta)[0-9]+)?$/;
const KIND = /^[A-Za-z][A-Za-z0-9]*$/;
const STATUS_PATH = /^status(\.[A-Za-z_][A-Za-z0-9_-]*)+$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Parses and checks a type's `driverConfig`: namespaced kinds only, no namespace escape, supported placeholders.
 * @throws InputError describing the first problem.
 * @internal
 */
export function parseKubernetesTypeConfig(
  type: Pick<ResourceTypeDefinition, 'id' | 'driverConfig'>,
  clusters: readonly string[],
): KubernetesTypeConfig {
  const where = `Resource type '${type.id}' (driver kubernetes)`;
  const raw = type.driverConfig;
  if (!isObject(raw)) {
    throw new InputError(
      `${where}: driverConfig with cluster, namespace, apiVersion, kind and manifest is required`,
    );
  }
  const cluster = raw.cluster ?? clusters[0];
  if (typeof cluster !== 'string' || !clusters.includes(cluster)) {
    throw new InputError(
      `${where}: driverConfig.cluster '${String(
        cluster,
      )}' is not a configured cluster (${clusters.join(', ') || 'none'})`,
    );
  }
  const { namespace, apiVersion, kind } = raw;
  if (typeof namespace !== 'string' || !DNS_LABEL.test(namespace)) {
    throw new InputError(
      `${where}: driverConfig.namespace must be a namespace name`,
    );
  }
  if (typeof apiVersion !== 'string' || !API_VERSION.test(apiVersion)) {
    throw new InputError(
      `${where}: driverConfig.apiVersion must look like group/version`,
    );
  }
  if (typeof kind !== 'string' || !KIND.test(kind)) {
    throw new InputError(`${where}: driverConfig.kind must be a kind name`);
  }
  if (DENIED_KINDS.has(kind) || kind.startsWith('Cluster')) {
    throw new InputError(
      `${where}: kind '${kind}' is cluster-scoped or grants cluster-wide access; only namespaced custom resources are allowed`,
    );
  }
  const manifest = raw.manifest ?? {};
  if (!isObject(manifest)) {
    throw new InputError(`${where}: driverConfig.manifest must be an object`);
  }
  if (manifest.apiVersion !== undefined && manifest.apiVersion !== apiVersion) {
    throw new InputError(
      `${where}: manifest.apiVersion must be '${apiVersion}' or absent`,
    );
  }
  if (manifest.kind !== undefined && manifest.kind !== kind) {
    throw new InputError(`${where}: manifest.kind must be '${kind}' or absent`);
  }
  if ('items' in manifest) {
    throw new InputError(
      `${where}: manifest must be a single object, not a list`,
    );
  }
  const metadata = manifest.metadata ?? {};
  if (!isObject(metadata)) {
    throw new InputError(`${where}: manifest.metadata must be an object`);
  }
  if (metadata.namespace !== undefined && metadata.namespace !== namespace) {
    throw new InputError(
      `${where}: manifest.metadata.namespace must be '${namespace}' (the configured namespace) or absent`,
    );
  }
  for (const key of [
    'name',
    'namespace',
    'generateName',
    'ownerReferences',
    'finalizers',
  ]) {
    if (key !== 'namespace' && metadata[key] !== undefined) {
      throw new InputError(
        `${where}: manifest.metadata.${key} is set by the driver and must be absent`,
      );
    }
  }
  for (const key of ['labels', 'annotations']) {
    const v = metadata[key];
    if (
      v !== undefined &&
      (!isObject(v) || Object.keys(v).some(k => hasPlaceholder(k)))
    ) {
      throw new InputError(`${where}: manifest.metadata.${key} must be a map`);
    }
  }
  validateTemplate(manifest, `${where}: manifest`);

  const outputs: Record<string, string> = {};
  if (raw.outputs !== undefined) {
    if (!isObject(raw.outputs)) {
      throw new InputError(
        `${where}: driverConfig.outputs must map names to status paths`,
      );
    }
    for (const [name, path] of Object.entries(raw.outputs)) {
      if (typeof path !== 'string' || !STATUS_PATH.test(path)) {
        throw new InputError(
          `${where}: driverConfig.outputs.${name} must be a dotted path under status, e.g. status.address`,
        );
      }
      outputs[name] = path;
    }
  }

  let connectionSecret: KubernetesTypeConfig['connectionSecret'];
  if (raw.connectionSecret !== undefined) {
    const cs = raw.connectionSecret;
    if (!isObject(cs)) {
      throw new InputError(
        `${where}: driverConfig.connectionSecret must be an object`,
      );
    }
    if (cs.name !== undefined && typeof cs.name !== 'string') {
      throw new InputError(
        `${where}: driverConfig.connectionSecret.name must be a string`,
      );
    }
    if (
      cs.keys !== undefined &&
      (!Array.isArray(cs.keys) || cs.keys.some(k => typeof k !== 'string'))
    ) {
      throw new InputError(
        `${where}: driverConfig.connectionSecret.keys must be a list of strings`,
      );
    }
    validateTemplate(cs.name, `${where}: connectionSecret.name`);
    connectionSecret = {
      name: cs.name as string | undefined,
      keys: cs.keys as string[] | undefined,
    };
  }

  const utilisation: KubernetesTypeConfig['utilisation'] = {};
  if (raw.utilisation !== undefined) {
    if (!isObject(raw.utilisation)) {
      throw new InputError(`${where}: driverConfig.utilisation must map figures to status paths`);
    }
    for (const [figure, path] of Object.entries(raw.utilisation)) {
      if (!(UTILISATION_FIGURES as readonly string[]).includes(figure)) {
        throw new InputError(
          `${where}: driverConfig.utilisation.${figure} is not one of ${UTILISATION_FIGURES.join(', ')}`,
        );
      }
      if (typeof path !== 'string' || !STATUS_PATH.test(path)) {
        throw new InputError(
          `${where}: driverConfig.utilisation.${figure} must be a dotted path under status, e.g. status.connections`,
        );
      }
      utilisation[figure as (typeof UTILISATION_FIGURES)[number]] = path;
    }
  }

  return {
    cluster,
    namespace,
    apiVersion,
    kind,
    manifest,
    parametersAsSpec: raw.parametersAsSpec === true,
    outputs,
    connectionSecret,
    utilisation,
  };
}
