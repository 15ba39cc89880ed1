import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  provisioningPermissions,
} from '@paved/backstage-plugin-provisioning-common';
import {
  ProvisioningDriver,
  provisioningDriversExtensionPoint,
  ResourceTypeProvider,
} from '@paved/backstage-plugin-provisioning-node';
import { createListResourcesAction } from './actions/createListResourcesAction';
import { readProvisioningConfig } from './config';
import { KnexResourceStore } from './database/KnexResourceStore';
import {
  provisioningPermissionRules,
  provisioningResourcePermissionResourceRef,
} from './permissions/rules';
import { Reconciler } from './reconciler/Reconciler';
import { SecretsCipher } from './secrets/SecretsCipher';
import { AnnouncementSweeper } from './service/AnnouncementSweeper';
import { ChangeNotifier } from './service/ChangeNotifier';
import { ResourceService, toPublicResource } from './service/ResourceService';
import { createRouter } from './service/router';
import { TransitionRunner } from './service/TransitionRunner';
import { TypeRegistry } from './service/TypeRegistry';
import { TtlSweeper } from './ttl/TtlSweeper';
import { noHealthGate, ServiceStatusGate } from './rollouts/gate';
import { KnexRolloutStore } from './rollouts/KnexRolloutStore';
import { RolloutRunner } from './rollouts/RolloutRunner';
import { RolloutService } from './rollouts/RolloutService';
import { readCostsConfig } from './costs/config';
import { CostAccrual } from './costs/CostAccrual';
import { CostService } from './costs/CostService';
import { KnexCostStore } from './costs/KnexCostStore';
import { RESOURCE_CHANGED_TOPIC } from './service/ChangeNotifier';
import { createInventoryRouter } from './inventory/router';
import { InventoryService, readInventoryConfig } from './inventory/InventoryService';
import { readRightsizingConfig } from './recommendations/config';
import { RecommendationService } from './recommendations/RecommendationService';
import { KnexUtilisationStore } from './utilisation/KnexUtilisationStore';
import { UtilisationRecorder } from './utilisation/UtilisationRecorder';

/**
 * The provisioning backend plugin: REST API under `/api/provisioning/v1`, the store, the
 * reconciler and secrets. Drivers come from modules through `provisioningDriversExtensionPoint`.
 *
 * @public
 */
export const provisioningPlugin = createBackendPlugin({
  pluginId: 'provisioning',
  register(env) {
    const drivers = new Map<string, ProvisioningDriver>();
    const typeProviders: ResourceTypeProvider[] = [];
    env.registerExtensionPoint(provisioningDriversExtensionPoint, {
      addDriver(driver) {
        if (drivers.has(driver.id)) {
          throw new Error(
            `A provisioning driver with id '${driver.id}' is already installed`,
          );
        }
        drivers.set(driver.id, driver);
      },
      addResourceTypeProvider(provider) {
        if (typeProviders.some(p => p.id === provider.id)) {
          throw new Error(
            `A resource type provider with id '${provider.id}' is already installed`,
          );
        }
        typeProviders.push(provider);
      },
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        userInfo: coreServices.userInfo,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        catalog: catalogServiceRef,
        events: eventsServiceRef,
        signals: signalsServiceRef,
        notifications: notificationService,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init(deps) {
        const { logger, scheduler } = deps;
        const config = readProvisioningConfig(deps.config);
        const cipher = SecretsCipher.fromKeyConfig({
          key: config.secretsKey,
          onGenerated: file =>
            logger.warn(
              `provisioning.secrets.key is not set; generated a development key in ${file}`,
            ),
        });
        const store = await KnexResourceStore.create({
          database: deps.database,
        });
        const costsConfig = readCostsConfig(deps.config);
        const costStore = new KnexCostStore(await deps.database.getClient());
        const costAccrual = new CostAccrual({
          store: costStore,
          catalog: deps.catalog,
          auth: deps.auth,
          logger,
          demo: costsConfig.seedDemoHistory,
        });
        const costs = new CostService({ store: costStore, budgets: costsConfig.budgets });
        const types = new TypeRegistry({
          configTypes: config.types,
          drivers,
          providers: typeProviders,
          logger,
        });
        await types.refresh();
        logger.info(
          `Provisioning offers ${types.list().length} resource type(s): ${types
            .list()
            .map(t => t.id)
            .join(', ')}; drivers: ${[...drivers.keys()].join(', ') || 'none'}`,
        );
        const notifier = new ChangeNotifier({
          auditor: deps.auditor,
          events: deps.events,
          signals: deps.signals,
          notifications: deps.notifications,
          approvers: config.approvers,
          logger,
        });
        const runner = new TransitionRunner({ store, notifier, logger });
        const announcementSweeper = new AnnouncementSweeper({
          store,
          notifier,
          logger,
          gracePeriodMs: config.announcements.gracePeriodMs,
        });
        const rightsizing = readRightsizingConfig(deps.config);
        const utilisationStore = await KnexUtilisationStore.create({ database: deps.database });
        const utilisation = new UtilisationRecorder({
          store: utilisationStore,
          logger,
          demo: rightsizing.demoUtilisation,
        });
        const reconciler = new Reconciler({
          store,
          types,
          cipher,
          runner,
          logger,
          config: config.reconciler,
          onUtilisation: (r, u) => utilisation.record(r, u),
        });

        deps.permissionsRegistry.addPermissions(
          provisioningPermissions.filter(p => p.type === 'basic'),
        );
        deps.permissionsRegistry.addResourceType({
          resourceRef: provisioningResourcePermissionResourceRef,
          permissions: provisioningPermissions.filter(
            p => p.type === 'resource',
          ),
          rules: Object.values(provisioningPermissionRules),
          getResources: async ids =>
            Promise.all(
              ids.map(async id => {
                const r = await store.getResource(id);
                return r ? toPublicResource(r) : undefined;
              }),
            ),
        });

        const rolloutStore = new KnexRolloutStore(await deps.database.getClient());
        const rolloutRunner = new RolloutRunner({
          rollouts: rolloutStore,
          store,
          runner,
          kick: id => reconciler.kick(id),
          gate:
            config.rollouts.healthGate === 'none'
              ? noHealthGate
              : new ServiceStatusGate({
                  discovery: deps.discovery,
                  auth: deps.auth,
                  catalog: deps.catalog,
                  logger,
                }),
          logger,
          auditor: deps.auditor,
          signals: deps.signals,
          notifications: deps.notifications,
          leaseMs: config.rollouts.leaseDurationMs,
        });
        const rollouts = new RolloutService({
          rollouts: rolloutStore,
          store,
          types,
          permissions: deps.permissions,
          auditor: deps.auditor,
          logger,
          defaultSoakMs: config.rollouts.defaultSoakMs,
          runner: rolloutRunner,
        });

        const service = new ResourceService({
          store,
          types,
          reconciler,
          cipher,
          notifier,
          runner,
          permissions: deps.permissions,
          userInfo: deps.userInfo,
          catalog: deps.catalog,
          logger,
          approvers: config.approvers,
          ruleset: deps.permissionsRegistry.getPermissionRuleset(
            provisioningResourcePermissionResourceRef,
          ),
          ttlRemindersMs: config.ttl.remindersMs,
          budgetCheck: options => costs.budgetCheck(options),
        });
        const ttlSweeper = new TtlSweeper({
          store,
          runner,
          kick: id => reconciler.kick(id),
          notifications: deps.notifications,
          logger,
          remindersMs: config.ttl.remindersMs,
        });
        createListResourcesAction({
          actionsRegistry: deps.actionsRegistry,
          service,
        });
        deps.httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            service,
            maxBodyBytes: config.maxBodyBytes,
            rollouts,
            costs,
            catalog: deps.catalog,
            echoSignal: (nonce, userEntityRef) =>
              notifier.echo(nonce, userEntityRef),
          }),
        );

        deps.httpRouter.use(
          await createInventoryRouter({
            httpAuth: deps.httpAuth,
            recommendations: new RecommendationService({
              service,
              types,
              store: utilisationStore,
              config: rightsizing,
            }),
            inventory: new InventoryService({
              service,
              store,
              types,
              cipher,
              runner,
              kick: id => reconciler.kick(id),
              permissions: deps.permissions,
              catalog: deps.catalog,
              auth: deps.auth,
              logger,
              config: readInventoryConfig(deps.config),
              operationTimeoutMs: config.reconciler.operationTimeoutMs,
            }),
          }),
        );

        const { sweepIntervalMs, driftCheckIntervalMs, operationTimeoutMs } =
          config.reconciler;
        await scheduler.scheduleTask({
          id: 'provisioning-reconcile-sweep',
          frequency: { milliseconds: sweepIntervalMs },
          timeout: { milliseconds: Math.max(sweepIntervalMs * 10, 60_000) },
          scope: 'local',
          fn: async () => {
            await reconciler.sweep();
          },
        });
        const driftTaskMs = Math.max(
          250,
          Math.min(10_000, Math.floor(driftCheckIntervalMs / 4)),
        );
        await scheduler.scheduleTask({
          id: 'provisioning-drift-check',
          frequency: { milliseconds: driftTaskMs },
          timeout: { milliseconds: operationTimeoutMs * 2 },
          scope: 'local',
          fn: async () => {
            await reconciler.checkDrift(200, driftTaskMs);
          },
        });
        await scheduler.scheduleTask({
          id: 'provisioning-ttl-sweep',
          frequency: { milliseconds: config.ttl.sweepIntervalMs },
          timeout: { milliseconds: Math.max(config.ttl.sweepIntervalMs * 5, 60_000) },
          // one replica at a time; the claims in the database make overlapping sweeps safe as well
          scope: 'global',
          fn: async () => {
            const { expired, reminded } = await ttlSweeper.sweep();
            if (expired || reminded) {
              logger.info(`TTL sweep: ${expired} expired, ${reminded} reminder(s) sent`);
            }
          },
        });
        await scheduler.scheduleTask({
          id: 'provisioning-announcements',
          frequency: { milliseconds: config.announcements.sweepIntervalMs },
          timeout: { minutes: 5 },
          initialDelay: { seconds: 5 },
          // every replica sweeps: each batch is claimed in the database (a lease), so each event is announced by one
          scope: 'local',
          fn: async () => {
            await announcementSweeper.sweep();
          },
        });
        await scheduler.scheduleTask({
          id: 'provisioning-rollouts',
          frequency: { milliseconds: config.rollouts.tickIntervalMs },
          timeout: { milliseconds: Math.max(config.rollouts.leaseDurationMs * 2, 60_000) },
          // every replica may tick: each rollout is claimed in the database (a lease), so one replica works on it
          scope: 'local',
          fn: async () => {
            await rolloutRunner.tick();
          },
        });
        if (typeProviders.length > 0) {
          await scheduler.scheduleTask({
            id: 'provisioning-type-providers-refresh',
            frequency: { minutes: 1 },
            timeout: { minutes: 1 },
            scope: 'local',
            fn: () => types.refresh(),
          });
        }
        // cost ledger: the price of a resource as it becomes ready, and the accrual (first run = backfill)
        await deps.events.subscribe({
          id: 'provisioning-costs-prices',
          topics: [RESOURCE_CHANGED_TOPIC],
          onEvent: async event => {
            const id = (event.eventPayload as { id?: unknown })?.id;
            if (typeof id === 'string') await costAccrual.capturePrice(id);
          },
        });
        await scheduler.scheduleTask({
          id: 'provisioning-cost-accrual',
          frequency: { milliseconds: costsConfig.accrualIntervalMs },
          timeout: { minutes: 30 },
          initialDelay: { seconds: 5 },
          // one replica at a time; upserts make an overlapping run converge on the same rows anyway
          scope: 'global',
          fn: async () => {
            const r = await costAccrual.accrue();
            logger.info(
              `Cost accrual: ${r.resources} resource(s), ${r.rows} day row(s) from ${r.fromDay ?? 'the beginning (backfill)'}`,
            );
          },
        });
        deps.lifecycle.addShutdownHook(() => reconciler.stop());
      },
    });
  },
});
