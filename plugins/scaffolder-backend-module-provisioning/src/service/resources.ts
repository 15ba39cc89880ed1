/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { createHash } from 'node:crypto';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ResponseError,
} from '@backstage/errors';
import { Resource } from '@paved/backstage-plugin-provisioning-common';
import { ScaffolderProvisioning } from './provisioningClient';

/** Whether an error from the provisioning client is a 409 Conflict. @internal */
export function isConflict(error: unknown): boolean {
  if (error instanceof ResponseError) {
    return error.statusCode === 409;
  }
  return (error as { name?: string } | undefined)?.name === 'ConflictError';
}

/** Whether an error from the provisioning client is a 404 Not Found. @internal */
export function isNotFound(error: unknown): boolean {
  if (error instanceof ResponseError) {
    return error.statusCode === 404;
  }
  return (error as { name?: string } | undefined)?.name === 'NotFoundError';
}

/**
 * Finds the live resource of a type with a name (names are unique per type among live resources) with one
 * `GET /resources?name=&type=` call.
 * @internal
 */
export async function findLiveResource(
  provisioning: ScaffolderProvisioning,
  query: { type: string; name: string; owner?: string },
  credentials: BackstageCredentials,
): Promise<Resource | undefined> {
  const res = await provisioning.listResources(
    {
      type: query.type,
      name: query.name,
      owner: query.owner ? [query.owner] : undefined,
      limit: 10,
    },
    { credentials },
  );
  return res.items.find(r => r.name === query.name && r.state !== 'deleted');
}

/**
 * The `Idempotency-Key` of a task step's create request: derived from the task id, the step id and what it creates
 * (a step with `each` creates several), at most 200 characters.
 * @internal
 */
export function idempotencyKeyOf(options: {
  taskId: string;
  stepId?: string;
  type: string;
  name: string;
}): string {
  const key = `scaffolder:${options.taskId}:${options.stepId ?? 'step'}:${
    options.type
  }/${options.name}`;
  if (key.length <= 200) {
    return key;
  }
  return `scaffolder:${createHash('sha256').update(key).digest('hex')}`;
}

/**
 * Catalog entity ref of the Resource entity the provisioning entity provider makes for a resource.
 * @internal
 */
export function resourceEntityRef(name: string): string {
  return `resource:default/${name}`;
}

/** Link to a resource's page in the portal. @internal */
export function resourceLink(appBaseUrl: string, name: string): string {
  return `${appBaseUrl}/catalog/default/resource/${encodeURIComponent(name)}`;
}

/**
 * Turns an error of the provisioning client into one whose message is the backend's own message
 * (`ResponseError` only says "Request failed with 400 ..."), keeping the error class of the status.
 * @internal
 */
export function toActionError(error: unknown): Error {
  if (!(error instanceof ResponseError)) {
    return error as Error;
  }
  const message = `Provisioning: ${error.body?.error?.message ?? error.message}`;
  switch (error.statusCode) {
    case 400:
      return new InputError(message, error);
    case 403:
      return new NotAllowedError(message, error);
    case 404:
      return new NotFoundError(message, error);
    case 409:
      return new ConflictError(message, error);
    default:
      return new Error(message, { cause: error });
  }
}
