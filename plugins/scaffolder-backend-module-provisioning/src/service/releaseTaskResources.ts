/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ScaffolderProvisioning } from './provisioningClient';
import { TaskResourceStore } from '../database/TaskResourceStore';
import {
  findLiveResource,
  isConflict,
  isNotFound,
  toActionError,
} from './resources';

/** Slack (ms) when comparing the provisioning backend's clock with ours. */
const CLOCK_SKEW_MS = 60_000;

/**
 * Releases (deletes) what a scaffolder task created, except resources marked `keepOnFailure`
 * (or all of them when `keepAll`), logging each decision. Idempotent.
 * Throws when a deletion failed (after trying all of them).
 * @internal
 */
export async function releaseTaskResources(options: {
  taskId: string;
  keepAll: boolean;
  provisioning: ScaffolderProvisioning;
  store: TaskResourceStore;
  credentials: BackstageCredentials;
  logger: LoggerService;
}): Promise<{ released: string[]; kept: string[] }> {
  const { taskId, keepAll, provisioning, store, credentials, logger } =
    options;
  const released: string[] = [];
  const kept: string[] = [];
  const failures: string[] = [];
  const records = await store.listForTask(taskId);
  const relevant = records.filter(r => r.status !== 'rejected');
  if (relevant.length === 0) {
    logger.info('This run created no resources; nothing to release');
  }
  for (const record of relevant) {
    const key = `${record.type}/${record.name}`;
    const label = `${record.type} '${record.name}'`;
    if (record.status === 'released') {
      released.push(key);
      continue;
    }
    if (record.status === 'kept') {
      kept.push(key);
      continue;
    }
    if (keepAll || record.keepOnFailure) {
      await store.setStatus({ ...record, status: 'kept' });
      logger.info(
        `Kept ${label}${
          record.resourceId ? ` (id ${record.resourceId})` : ''
        } because the template asked to keep it on failure`,
      );
      kept.push(key);
      continue;
    }
    try {
      let resourceId = record.resourceId;
      if (!resourceId) {
        // The run crashed around the request: find out whether it went through.
        const existing = await findLiveResource(
          provisioning,
          { type: record.type, name: record.name },
          credentials,
        );
        if (
          existing &&
          existing.owner === record.owner &&
          Date.parse(existing.createdAt) >=
            record.createdAt.getTime() - CLOCK_SKEW_MS
        ) {
          resourceId = existing.id;
        } else {
          await store.setStatus({ ...record, status: 'rejected' });
          logger.info(`${label} was never created; nothing to release`);
          continue;
        }
      }
      try {
        await provisioning.deleteResource(resourceId, { credentials });
        logger.info(
          `Released ${label} (id ${resourceId}): deletion requested because the run failed`,
        );
      } catch (e) {
        // 404: gone; 409: already deleted (the backend refuses to delete twice).
        const gone =
          isNotFound(e) ||
          (isConflict(e) &&
            ['deleted', 'deleting', undefined].includes(
              (await provisioning.getResource(resourceId, { credentials }))
                ?.state,
            ));
        if (!gone) {
          throw e;
        }
        logger.info(`${label} (id ${resourceId}) is already gone`);
      }
      await store.setStatus({ ...record, status: 'released' });
      released.push(key);
    } catch (e) {
      const message = toActionError(e).message;
      logger.error(`Failed to release ${label}: ${message}`);
      failures.push(`${label}: ${message}`);
    }
  }
  if (failures.length > 0) {
    throw new Error(
      `Failed to release ${failures.length} resource(s): ${failures.join('; ')}`,
    );
  }
  return { released, kept };
}
