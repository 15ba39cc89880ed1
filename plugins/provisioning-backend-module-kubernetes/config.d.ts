/*
 * Copyright 2026 The Paved Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 */
import { HumanDuration } from '@backstage/types';
import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  provisioning?: {
    drivers?: {
      /**
       * The `kubernetes` driver: fulfils resource types by applying namespaced custom resources (Crossplane
       * claims, Kratix requests, ...) to a cluster. Nothing is registered unless `clusters` or `inCluster` is set.
       */
      kubernetes?: {
        /**
         * Use the pod's service account (KUBERNETES_SERVICE_HOST and the mounted token and CA), as a cluster
         * named `in-cluster`. Default false.
         */
        inCluster?: boolean;
        /** Clusters reached with a service-account token. Default: none. */
        clusters?: Array<{
          /** Name referenced by resource types' `driverConfig.cluster`; a DNS label. Required. */
          name: string;
          /** API server URL, e.g. `https://k8s.example.com:6443`. Required. */
          url: string;
          /** Base64-encoded PEM CA bundle of the API server. Default: the system CAs. */
          caData?: string;
          /** Skip TLS verification (only for test clusters; also required for plain `http://` URLs). Default false. */
          skipTLSVerify?: boolean;
          /**
           * Service-account token (bearer). Required.
           * @visibility secret
           */
          serviceAccountToken: string;
        }>;
        /** Discovery of offerings (Crossplane XRDs offering a claim, Kratix Promises) as resource types. */
        discovery?: {
          /** Default false. */
          enabled?: boolean;
          /** Label selector the XRDs and Promises must match. Default `paved.dev/offer=true`. */
          labelSelector?: string;
          /** Cluster to discover on. Default: the first cluster. */
          cluster?: string;
          /** Namespace requests of discovered types are applied to (unless annotated `paved.dev/namespace`). Default `default`. */
          namespace?: string;
          /** How often to refresh. Default every 5 minutes, timeout 2 minutes. */
          schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        };
        /** Watching managed objects (list + watch with bookmarks, relist on 410 Gone). */
        watch?: {
          /** Default true. When false, every observe reads the object with a GET. */
          enabled?: boolean;
        };
        /** Periodic relist of watched collections, the safety net of the watch cache. */
        resync?: {
          /** Default every 5 minutes, timeout 2 minutes. */
          schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        };
        /** Timeout of one API request. Default 30 seconds. */
        requestTimeout?: HumanDuration | string;
        /** How long a delete waits for the object (and its finalizers) to be gone before reporting a retryable timeout. Default 5 minutes. */
        deleteTimeout?: HumanDuration | string;
        /** Interval between checks while waiting for a delete. Default 2 seconds. */
        deletePollInterval?: HumanDuration | string;
        /**
         * Whether create and update wait (within the reconciler's operation timeout) until the control plane
         * reports the object ready, so outputs and connection-secret values are returned with the result; while
         * it is still provisioning the operation ends with a retryable error. Default true.
         */
        waitForReady?: boolean;
        /** Interval between status checks while waiting for readiness. Default 2 seconds. */
        readyPollInterval?: HumanDuration | string;
        /**
         * Hand-written resource types fulfilled by this driver, checked at load (namespaced kinds only, no
         * namespace escape, supported placeholders only); refused ones are logged and not offered. Inactive
         * unless a cluster is configured. Default: none.
         */
        offerings?: Array<{
          /** Stable id, a DNS label. */
          id: string;
          /** Default: the id. */
          title?: string;
          /** Default: empty. */
          description?: string;
          /** Catalog entity `spec.type`. Default `kubernetes-resource`. */
          entityType?: string;
          /** JSON Schema (object) of the parameters. Default: an object without properties. */
          parameters?: { [key: string]: any };
          /** Monthly price per value of the `size` parameter, USD/month. Default none. */
          pricing?: { [size: string]: number };
          policy?: {
            /** Default none. */
            approvalRequiredForSizes?: string[];
            /** Default: no quota. */
            quotaPerOwner?: number;
          };
          /** Default false. */
          repairDrift?: boolean;
          /** Cluster name. Default: the first cluster. */
          cluster?: string;
          /** Namespace the object is applied to (a manifest may not name another). Required. */
          namespace: string;
          /** e.g. `database.example.org/v1alpha1`. Required. */
          apiVersion: string;
          /** A namespaced kind, e.g. `PostgreSQLInstance`. Required. */
          kind: string;
          /**
           * Manifest template: string values may hold `$` + `{{ parameters.x }}`, `resource.name`, `resource.id`,
           * `resource.owner`, `resource.ownerName` or `namespace` placeholders. metadata.name and namespace are
           * set by the driver. Default `{}`.
           */
          manifest?: { [key: string]: any };
          /** Start `spec` from all parameters, then merge the manifest's spec over it. Default false. */
          parametersAsSpec?: boolean;
          /** Outputs: name to a dotted path under `status`, e.g. `status.address`. Default none. */
          outputs?: { [name: string]: string };
          /**
           * Utilisation the object's status reports, for rightsizing (issue 13): each figure to a dotted path under
           * `status` holding a number, e.g. `{ connections: status.atProvider.connections, connectionLimit:
           * status.atProvider.maxConnections }`. Figures: connections and connectionLimit (both needed),
           * storageBytes, memoryBytes and memoryLimitBytes (both needed), keys. Default none: no utilisation.
           */
          utilisation?: {
            connections?: string;
            connectionLimit?: string;
            storageBytes?: string;
            memoryBytes?: string;
            memoryLimitBytes?: string;
            keys?: string;
          };
          /** Connection Secret whose values become the resource's (encrypted) credentials. */
          connectionSecret?: {
            /** Name template. Default: the manifest's `spec.writeConnectionSecretToRef.name`. */
            name?: string;
            /** Keys to keep. Default: all. */
            keys?: string[];
          };
        }>;
        /**
         * Overrides of discovered resource types, by type id (the Promise name, or the lower-cased claim kind,
         * or the offering's `paved.dev/type-id` annotation). Default: none.
         */
        types?: {
          [typeId: string]: {
            /** Default: the offering's `paved.dev/title` annotation or its kind. */
            title?: string;
            /** Default: the offering's `paved.dev/description` annotation or schema description. */
            description?: string;
            /** Monthly price per value of the `size` parameter, USD/month. Default none. */
            pricing?: { [size: string]: number };
            policy?: {
              /** Sizes whose requests need approval. Default none. */
              approvalRequiredForSizes?: string[];
              /** Most live resources of this type per owner. Default: no quota. */
              quotaPerOwner?: number;
            };
            /** Default false. */
            repairDrift?: boolean;
            /** Catalog entity `spec.type`. Default `kubernetes-resource` (or the `paved.dev/entity-type` annotation). */
            entityType?: string;
          };
        };
      };
    };
  };
}
