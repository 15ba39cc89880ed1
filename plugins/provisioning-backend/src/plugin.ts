import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { provisioningPermissions } from '@paved/backstage-plugin-provisioning-common';
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
import { ChangeNotifier } from './service/ChangeNotifier';
import { ResourceService, toPublicResource } from './service/ResourceService';
import { createRouter } from './service/router';
import { TransitionRunner } from './service/TransitionRunner';
import { TypeRegistry } from './service/TypeRegistry';
import { TtlSweeper } from './ttl/TtlSweeper';

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
        const runner = new TransitionRunner({ store, notifier });
        const reconciler = new Reconciler({
          store,
          types,
          cipher,
          runner,
          logger,
          config: config.reconciler,
        });

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
            echoSignal: (nonce, userEntityRef) =>
              notifier.echo(nonce, userEntityRef),
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
        if (typeProviders.length > 0) {
          await scheduler.scheduleTask({
            id: 'provisioning-type-providers-refresh',
            frequency: { minutes: 1 },
            timeout: { minutes: 1 },
            scope: 'local',
            fn: () => types.refresh(),
          });
        }
        deps.lifecycle.addShutdownHook(() => reconciler.stop());
      },
    });
  },
});
