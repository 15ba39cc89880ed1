import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { readServiceStatusConfig } from './config';
import { applyDatabaseMigrations } from './database/migrations';
import { SampleStore } from './database/SampleStore';
import { DeploymentStore } from './database/DeploymentStore';
import { IncidentStore } from './database/IncidentStore';
import { SnapshotStore } from './database/SnapshotStore';
import { createRouter } from './router';
import { createGetEntityStatusAction } from './actions/createGetEntityStatusAction';
import { StatusService } from './services/status/StatusService';
import { DeploymentService } from './services/deployments/DeploymentService';
import { IncidentService } from './services/incidents/IncidentService';
import { ProbeTask } from './services/probes/ProbeTask';
import { DeliveryStore } from './database/DeliveryStore';
import { DeliveryMetricsService } from './services/delivery/DeliveryMetricsService';

/**
 * The Paved service status backend plugin (`pluginId: 'service-status'`): health probes, uptime
 * and latency history, deployments, incidents and status roll-up, served under
 * `/api/service-status/v1`.
 *
 * @public
 */
export const serviceStatusPlugin = createBackendPlugin({
  pluginId: 'service-status',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        auth: coreServices.auth,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        userInfo: coreServices.userInfo,
        auditor: coreServices.auditor,
        catalog: catalogServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init({
        config,
        logger,
        database,
        scheduler,
        auth,
        httpAuth,
        httpRouter,
        userInfo,
        auditor,
        catalog,
        actionsRegistry,
      }) {
        const settings = readServiceStatusConfig(config);
        const knex = await database.getClient();
        if (!database.migrations?.skip) {
          await applyDatabaseMigrations(knex);
        }

        const samples = SampleStore.create({ knex });
        const incidentStore = IncidentStore.create({ knex });
        const deploymentStore = DeploymentStore.create({ knex });
        const status = StatusService.create({
          catalog,
          samples,
          incidents: incidentStore,
          maxDepth: settings.rollup.maxDepth,
          staleAfterMs: settings.probes.staleAfterMs,
          probeAllow: settings.probes.allow,
          snapshots: SnapshotStore.create({ knex }),
          auth,
          deployments: deploymentStore,
        });
        const deployments = DeploymentService.create({
          store: deploymentStore,
          status,
          auth,
        });
        const incidents = IncidentService.create({
          store: incidentStore,
          status,
          userInfo,
          platformGroup: settings.platformGroup,
        });

        const probeTask = ProbeTask.create({
          catalog,
          auth,
          logger: logger.child({ task: 'service-status-probes' }),
          samples,
          config: settings,
        });
        await scheduler.scheduleTask({
          id: 'service-status-probes',
          scope: 'global',
          ...settings.probes.schedule,
          fn: async signal => {
            const started = performance.now();
            // One catalog read for the probes and the snapshot.
            const credentials = await auth.getOwnServiceCredentials();
            const entities = await status.readSnapshotEntities(credentials);
            const read = performance.now();
            const probes = await probeTask.run(signal, entities);
            const probed = performance.now();
            // The overview's snapshot, from the results just stored; only rows whose status
            // changed are written.
            const snapshot = await status.writeSnapshot(credentials, entities);
            const catalogMs = Math.round(read - started);
            const probeMs = Math.round(probed - read);
            const snapshotMs = Math.round(performance.now() - probed);
            logger.info(
              `Probe run: ${entities.length} entities read from the catalog in ${catalogMs} ms; ${probes.probed} health URLs in ${probeMs} ms; snapshot: ${snapshot.written} rows written, ${snapshot.unchanged} unchanged, ${snapshot.deleted} deleted in ${snapshotMs} ms`,
              { ...probes, ...snapshot, catalogMs, probeMs, snapshotMs },
            );
          },
        });
        await scheduler.scheduleTask({
          id: 'service-status-rollup',
          scope: 'global',
          ...settings.retention.schedule,
          fn: async () => {
            const now = Date.now();
            const result = await samples.rollup({
              rawBefore: now - settings.retention.rawSamplesMs,
              hourlyBefore: now - settings.retention.hourlyMs,
            });
            logger.info('Rolled up health samples', { ...result });
          },
        });

        createGetEntityStatusAction({ actionsRegistry, status });

        httpRouter.use(
          await createRouter({
            httpAuth,
            auditor,
            status,
            deployments,
            incidents,
            delivery: DeliveryMetricsService.create({
              store: DeliveryStore.create({ knex }),
              catalog,
              auth,
            }),
          }),
        );
      },
    });
  },
});
