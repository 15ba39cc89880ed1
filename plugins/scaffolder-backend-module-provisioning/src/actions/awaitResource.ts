/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { NotFoundError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { ScaffolderProvisioning } from '../service/provisioningClient';
import {
  resourceEntityRef,
  resourceLink,
  toActionError,
} from '../service/resources';
import { examples } from './awaitResource.examples';

const SECRET_KEY = /pass(word)?|secret|token|credential|private|api[-_]?key/i;
const URL_USERINFO = /([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]+@/gi;

/** Masks the password of any `scheme://user:password@` URL in a text (e.g. a driver's reason). @internal */
export function redactCredentials(text: string): string {
  return text.replace(URL_USERINFO, '$1***@');
}

/**
 * The resource's outputs without anything secret: drivers report secrets separately, but a key named
 * like a secret (password, token, ...) or a URL with a password is dropped here too, so it can never
 * reach the task output or log.
 * @internal
 */
export function publicOutputs(
  outputs: Record<string, string> | undefined,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(outputs ?? {}).filter(
      ([key, value]) =>
        !SECRET_KEY.test(key) &&
        redactCredentials(String(value)) === String(value),
    ),
  );
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new Error('The step was cancelled'));
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined = undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error('The step was cancelled'));
    };
    timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Creates the `provisioning:resource:await` action: waits until a resource is `ready`, writing its
 * progress to the task log.
 *
 * @remarks
 * Fails the step with the driver's reason when the resource goes to `failed`, `deleting` or `deleted`,
 * and after `timeoutSeconds` (default 600 s). A resource in `awaiting-approval` ends the step
 * successfully (output `state: awaiting-approval`) unless `waitForApproval` is true, so a run does not
 * fail (and release the request) while the platform team has not looked at it yet.
 *
 * @internal
 */
export function createProvisioningResourceAwaitAction(options: {
  provisioning: ScaffolderProvisioning;
  /** Base URL of the frontend app, for the link output. */
  appBaseUrl: string;
  /** Poll interval in ms. Default 1000. */
  pollIntervalMs?: number;
}) {
  const { provisioning, appBaseUrl } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  return createTemplateAction({
    id: 'provisioning:resource:await',
    description:
      'Waits until a resource requested with provisioning:resource:create is ready, logging its progress; fails with the reason when provisioning fails or the timeout passes.',
    examples,
    supportsDryRun: true,
    schema: {
      input: z =>
        z.object({
          resourceId: z
            .string()
            .min(1)
            .describe(
              'Id of the resource, usually `${{ steps.<create step>.output.resourceId }}`',
            ),
          timeoutSeconds: z
            .number()
            .int()
            .min(1)
            .max(86400)
            .default(600)
            .describe(
              'How long to wait for the resource to become ready, in seconds (default 600)',
            ),
          waitForApproval: z
            .boolean()
            .default(false)
            .describe(
              'Keep waiting while the request awaits approval; by default the step ends successfully with state `awaiting-approval`',
            ),
        }),
      output: z =>
        z.object({
          state: z
            .string()
            .describe(
              'State the step ended with: `ready` or `awaiting-approval`',
            ),
          resourceName: z.string().describe('Name of the resource'),
          entityRef: z
            .string()
            .describe('Entity ref of the catalog Resource entity'),
          link: z.string().describe("URL of the resource's page in the portal"),
          outputs: z
            .record(z.string())
            .describe(
              'Non-secret connection information of the resource, e.g. `{ host, port, database }`; credentials are never included',
            ),
        }),
    },
    async handler(ctx) {
      const { resourceId } = ctx.input;
      const timeoutMs = (ctx.input.timeoutSeconds ?? 600) * 1000;
      const waitForApproval = ctx.input.waitForApproval ?? false;

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Would wait up to ${timeoutMs / 1000} s for resource ${resourceId} to become ready (dry run)`,
        );
        ctx.output('state', 'ready');
        ctx.output('resourceName', 'dry-run');
        ctx.output('entityRef', resourceEntityRef('dry-run'));
        ctx.output('link', resourceLink(appBaseUrl, 'dry-run'));
        ctx.output('outputs', {});
        return;
      }

      const credentials = await ctx.getInitiatorCredentials();
      const deadline = Date.now() + timeoutMs;
      let lastState: string | undefined;
      for (;;) {
        const resource = await provisioning
          .getResource(resourceId, { credentials })
          .catch(e => {
            throw toActionError(e);
          });
        if (!resource) {
          throw new NotFoundError(`Resource ${resourceId} does not exist`);
        }
        const label = `${resource.type} '${resource.name}'`;
        if (resource.state !== lastState) {
          ctx.logger.info(
            `${label} is ${resource.state}${
              resource.reason ? `: ${redactCredentials(resource.reason)}` : ''
            }`,
          );
          lastState = resource.state;
        }
        const done = (state: string) => {
          ctx.output('state', state);
          ctx.output('resourceName', resource.name);
          ctx.output('entityRef', resourceEntityRef(resource.name));
          ctx.output('link', resourceLink(appBaseUrl, resource.name));
          ctx.output('outputs', publicOutputs(resource.outputs));
        };
        if (resource.state === 'ready') {
          done('ready');
          return;
        }
        if (resource.state === 'awaiting-approval' && !waitForApproval) {
          ctx.logger.info(
            `${label} awaits approval by the platform team; it will be provisioned once approved`,
          );
          done('awaiting-approval');
          return;
        }
        if (
          resource.state === 'failed' ||
          resource.state === 'deleting' ||
          resource.state === 'deleted'
        ) {
          throw new Error(
            `${label} ${
              resource.state === 'failed'
                ? 'failed to provision'
                : `is ${resource.state}`
            }: ${redactCredentials(resource.reason ?? 'no reason given')}`,
          );
        }
        if (Date.now() + pollIntervalMs > deadline) {
          throw new Error(
            `Timed out after ${
              timeoutMs / 1000
            } s waiting for ${label} to become ready (state ${resource.state})`,
          );
        }
        await sleep(pollIntervalMs, ctx.signal);
      }
    },
  });
}
