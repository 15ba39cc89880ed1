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
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { provisioningDriversExtensionPoint } from '@paved/backstage-plugin-provisioning-node';
import { KubernetesCluster } from './cluster/KubernetesCluster';
import { readKubernetesDriverConfig } from './config';
import { KubernetesResourceTypeProvider } from './discovery/KubernetesResourceTypeProvider';
import { KubernetesDriver } from './driver/KubernetesDriver';
import { ObjectWatcher } from './watch/ObjectWatcher';

/**
 * Provisioning backend module that adds the `kubernetes` driver (Crossplane claims, Kratix requests and other
 * namespaced custom resources, applied with server-side apply) and, when enabled, discovery of offerings
 * (Crossplane XRDs and Kratix Promises) as resource types. Registers nothing when no cluster is configured
 * under `provisioning.drivers.kubernetes`.
 *
 * @public
 */
export const provisioningModuleKubernetes = createBackendModule({
  pluginId: 'provisioning',
  moduleId: 'kubernetes',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        drivers: provisioningDriversExtensionPoint,
      },
      async init({ config, logger, scheduler, lifecycle, drivers }) {
        const settings = readKubernetesDriverConfig(config);
        if (!settings) {
          logger.info(
            'No Kubernetes cluster configured under provisioning.drivers.kubernetes; the kubernetes driver is not registered',
          );
          return;
        }
        const clusters = settings.clusters.map(c =>
          KubernetesCluster.fromConfig(c, {
            requestTimeoutMs: settings.requestTimeoutMs,
          }),
        );
        const watcher = settings.watch.enabled
          ? ObjectWatcher.create({ logger })
          : undefined;
        const driver = KubernetesDriver.create({
          clusters,
          watcher,
          deleteTimeoutMs: settings.deleteTimeoutMs,
          deletePollIntervalMs: settings.deletePollIntervalMs,
          waitForReady: settings.waitForReady,
          readyPollIntervalMs: settings.readyPollIntervalMs,
        });
        drivers.addDriver(driver);
        // Hand-written offerings are checked here, at config load: a manifest that would escape its namespace
        // or use a cluster-scoped kind is refused (logged and not offered) without stopping the backend.
        const configured = settings.offerings.filter(type => {
          try {
            driver.validateType(type);
            return true;
          } catch (e) {
            logger.error(
              `Refusing resource type '${type.id}': ${(e as Error).message}`,
            );
            return false;
          }
        });
        logger.info(
          `Kubernetes provisioning driver registered for clusters: ${clusters
            .map(c => c.name)
            .join(', ')}`,
        );

        if (watcher) {
          lifecycle.addShutdownHook(() => watcher.stop());
          // The watch cache lives in each replica, so each replica resyncs its own (local scope).
          await scheduler.scheduleTask({
            ...settings.resync,
            id: 'provisioning-kubernetes-resync',
            scope: 'local',
            fn: () => watcher.resync(),
          });
        }

        if (settings.discovery.enabled || configured.length > 0) {
          const provider = KubernetesResourceTypeProvider.create({
            cluster: clusters.find(c => c.name === settings.discovery.cluster)!,
            labelSelector: settings.discovery.labelSelector,
            namespace: settings.discovery.namespace,
            overrides: settings.types,
            logger,
            configured,
            discover: settings.discovery.enabled,
          });
          drivers.addResourceTypeProvider(provider);
          if (settings.discovery.enabled) {
            await scheduler.scheduleTask({
              ...settings.discovery.schedule,
              id: 'provisioning-kubernetes-discovery',
              scope: 'local',
              fn: () => provider.refresh(),
            });
          }
        }
      },
    });
  },
});
