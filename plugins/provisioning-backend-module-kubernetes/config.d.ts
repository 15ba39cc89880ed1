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
