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
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';
import type {
  JsonSchema,
  ResourceTypeDefinition,
  ResourceTypePolicy,
} from '@paved/backstage-plugin-provisioning-common';

/** Connection settings of one cluster. @internal */
export interface ClusterConfig {
  name: string;
  /** API server URL; `undefined` with `inCluster`. */
  url?: string;
  caData?: string;
  skipTLSVerify: boolean;
  serviceAccountToken?: string;
  inCluster: boolean;
}

/** Overrides a platform team sets on a (discovered) type. @internal */
export interface TypeOverride {
  title?: string;
  description?: string;
  pricing?: Record<string, number>;
  policy?: Partial<ResourceTypePolicy>;
  repairDrift?: boolean;
  entityType?: string;
}

/** Parsed `provisioning.drivers.kubernetes`. @internal */
export interface KubernetesDriverConfig {
  clusters: ClusterConfig[];
  discovery: {
    enabled: boolean;
    labelSelector: string;
    /** Cluster whose offerings are discovered; default the first one. */
    cluster: string;
    /** Namespace requests of discovered types are applied to, unless the offering's `paved.dev/namespace` annotation says otherwise. */
    namespace: string;
    schedule: SchedulerServiceTaskScheduleDefinition;
  };
  watch: { enabled: boolean };
  resync: SchedulerServiceTaskScheduleDefinition;
  /** ms */
  requestTimeoutMs: number;
  /** ms */
  deleteTimeoutMs: number;
  /** ms */
  deletePollIntervalMs: number;
  waitForReady: boolean;
  /** ms */
  readyPollIntervalMs: number;
  types: Record<string, TypeOverride>;
  /** Hand-written resource types fulfilled by this driver (not yet validated). */
  offerings: ResourceTypeDefinition[];
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function readSchedule(
  config: Config | undefined,
  fallback: SchedulerServiceTaskScheduleDefinition,
): SchedulerServiceTaskScheduleDefinition {
  return config
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(config)
    : fallback;
}

function readMs(config: Config, key: string, fallbackMs: number): number {
  if (!config.has(key)) {
    return fallbackMs;
  }
  const value = config.getOptional(key);
  if (typeof value === 'number') {
    return value;
  }
  return durationToMilliseconds(readDurationFromConfig(config, { key }));
}

function readOverride(config: Config): TypeOverride {
  const policy = config.getOptionalConfig('policy');
  const pricingConfig = config.getOptionalConfig('pricing');
  const pricing = pricingConfig
    ? Object.fromEntries(
        pricingConfig.keys().map(k => [k, pricingConfig.getNumber(k)]),
      )
    : undefined;
  return {
    title: config.getOptionalString('title'),
    description: config.getOptionalString('description'),
    pricing,
    policy: policy
      ? {
          approvalRequiredForSizes: policy.getOptionalStringArray(
            'approvalRequiredForSizes',
          ),
          quotaPerOwner: policy.getOptionalNumber('quotaPerOwner'),
        }
      : undefined,
    repairDrift: config.getOptionalBoolean('repairDrift'),
    entityType: config.getOptionalString('entityType'),
  };
}

const DRIVER_CONFIG_KEYS = [
  'cluster',
  'namespace',
  'apiVersion',
  'kind',
  'manifest',
  'parametersAsSpec',
  'outputs',
  'connectionSecret',
  'utilisation',
] as const;

function readOffering(config: Config): ResourceTypeDefinition {
  const id = config.getString('id');
  if (!DNS_LABEL.test(id)) {
    throw new InputError(
      `provisioning.drivers.kubernetes.offerings: id '${id}' must be a DNS label`,
    );
  }
  const override = readOverride(config);
  const driverConfig: Record<string, unknown> = {};
  for (const key of DRIVER_CONFIG_KEYS) {
    const value = config.getOptional(key);
    if (value !== undefined) {
      driverConfig[key] = structuredClone(value);
    }
  }
  return {
    id,
    title: override.title ?? id,
    description: override.description ?? '',
    driver: 'kubernetes',
    parameters: (config.getOptional('parameters') as
      | JsonSchema
      | undefined) ?? {
      type: 'object',
      properties: {},
    },
    pricing: override.pricing ?? {},
    policy: {
      approvalRequiredForSizes: override.policy?.approvalRequiredForSizes ?? [],
      ...(override.policy?.quotaPerOwner !== undefined
        ? { quotaPerOwner: override.policy.quotaPerOwner }
        : {}),
    },
    repairDrift: override.repairDrift ?? false,
    entityType: override.entityType ?? 'kubernetes-resource',
    driverConfig,
  };
}

/**
 * Reads `provisioning.drivers.kubernetes`; returns `undefined` when no cluster is configured.
 * @throws InputError when the configuration is invalid (duplicate or malformed cluster names, missing URL or token).
 * @internal
 */
export function readKubernetesDriverConfig(
  root: Config,
): KubernetesDriverConfig | undefined {
  const config = root.getOptionalConfig('provisioning.drivers.kubernetes');
  if (!config) {
    return undefined;
  }
  const clusters: ClusterConfig[] = [];
  if (config.getOptionalBoolean('inCluster')) {
    clusters.push({
      name: 'in-cluster',
      inCluster: true,
      skipTLSVerify: false,
    });
  }
  for (const c of config.getOptionalConfigArray('clusters') ?? []) {
    const name = c.getString('name');
    if (!DNS_LABEL.test(name)) {
      throw new InputError(
        `provisioning.drivers.kubernetes.clusters: name '${name}' must be a DNS label`,
      );
    }
    if (clusters.some(x => x.name === name)) {
      throw new InputError(
        `provisioning.drivers.kubernetes.clusters: duplicate cluster name '${name}'`,
      );
    }
    const url = c.getString('url');
    if (!/^https?:\/\//.test(url)) {
      throw new InputError(
        `provisioning.drivers.kubernetes.clusters[${name}].url must be an http(s) URL`,
      );
    }
    clusters.push({
      name,
      url: url.replace(/\/+$/, ''),
      caData: c.getOptionalString('caData'),
      skipTLSVerify: c.getOptionalBoolean('skipTLSVerify') ?? false,
      serviceAccountToken: c.getString('serviceAccountToken'),
      inCluster: false,
    });
  }
  if (clusters.length === 0) {
    return undefined;
  }

  const discovery = config.getOptionalConfig('discovery');
  const discoveryCluster =
    discovery?.getOptionalString('cluster') ?? clusters[0].name;
  if (!clusters.some(c => c.name === discoveryCluster)) {
    throw new InputError(
      `provisioning.drivers.kubernetes.discovery.cluster: unknown cluster '${discoveryCluster}'`,
    );
  }
  const discoveryNamespace =
    discovery?.getOptionalString('namespace') ?? 'default';
  if (!DNS_LABEL.test(discoveryNamespace)) {
    throw new InputError(
      `provisioning.drivers.kubernetes.discovery.namespace '${discoveryNamespace}' must be a DNS label`,
    );
  }

  const typesConfig = config.getOptionalConfig('types');
  const types: Record<string, TypeOverride> = {};
  for (const id of typesConfig?.keys() ?? []) {
    types[id] = readOverride(typesConfig!.getConfig(id));
  }

  return {
    clusters,
    discovery: {
      enabled: discovery?.getOptionalBoolean('enabled') ?? false,
      labelSelector:
        discovery?.getOptionalString('labelSelector') ?? 'paved.dev/offer=true',
      cluster: discoveryCluster,
      namespace: discoveryNamespace,
      schedule: readSchedule(discovery?.getOptionalConfig('schedule'), {
        frequency: { minutes: 5 },
        timeout: { minutes: 2 },
        initialDelay: { seconds: 5 },
      }),
    },
    watch: { enabled: config.getOptionalBoolean('watch.enabled') ?? true },
    resync: readSchedule(config.getOptionalConfig('resync.schedule'), {
      frequency: { minutes: 5 },
      timeout: { minutes: 2 },
      initialDelay: { minutes: 1 },
    }),
    requestTimeoutMs: readMs(config, 'requestTimeout', 30_000),
    deleteTimeoutMs: readMs(config, 'deleteTimeout', 300_000),
    deletePollIntervalMs: readMs(config, 'deletePollInterval', 2_000),
    waitForReady: config.getOptionalBoolean('waitForReady') ?? true,
    readyPollIntervalMs: readMs(config, 'readyPollInterval', 2_000),
    types,
    offerings: (config.getOptionalConfigArray('offerings') ?? []).map(
      readOffering,
    ),
  };
}
